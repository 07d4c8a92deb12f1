export type { QuarantineReason, QuarantinedTick } from '@kitepilot/core';
export { BatchingWriter, type BatchingWriterOptions } from './batching-writer.ts';
export { BatchingTickWriter, type BatchingTickWriterOptions } from './batching-tick-writer.ts';
export {
  BatchingQuarantineWriter,
  type BatchingQuarantineWriterOptions,
} from './batching-quarantine-writer.ts';
export { enrichTick, type EnrichedTick } from './enriched-tick.ts';
export type { QuarantineSink, TickSink, WriterStats } from './tick-sink.ts';
export {
  TickIngestor,
  type IngestCounters,
  type TickBarFeed,
  type TickIngestorOptions,
} from './tick-ingestor.ts';
export {
  TickValidator,
  type CircuitBand,
  type InstrumentLookup,
  type InvalidTick,
  type TickValidatorOptions,
  type ValidTick,
} from './tick-validator.ts';
