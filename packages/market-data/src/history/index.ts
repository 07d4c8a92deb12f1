export * from './historical-candle-source.ts';
export * from './backfill-chunks.ts';
export * from './backfill-job.ts';
export * from './bar-merge.ts';
export * from './retry.ts';
export * from './backfill.ts';
export * from './fake-candle-source.ts';
