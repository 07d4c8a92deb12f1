// Bounded reads of stored ticks and bars: a read that would return more than the limit fails with a clear error
// instead of truncating silently (the caller narrows the range or raises the limit).
import type {
  Bar,
  BarInterval,
  BarRepository,
  DataNamespace,
  InstrumentId,
  InstrumentTick,
  TickRepository,
} from '@kitepilot/core';

/** The largest limit a read accepts. */
export const MAX_READ_ROWS = 100_000;

/** Thrown when a range holds more rows than the limit allows. */
export class RowLimitError extends Error {
  override name = 'RowLimitError';
  readonly limit: number;

  /** Creates the error for `what` over `limit`. */
  constructor(what: string, limit: number) {
    super(
      `${what} holds more than ${limit} rows; narrow the from/to range` +
        (limit < MAX_READ_ROWS ? ` or raise the limit (at most ${MAX_READ_ROWS})` : ''),
    );
    this.limit = limit;
  }
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_ROWS) {
    throw new RangeError(`limit ${limit} is not an integer from 1 to ${MAX_READ_ROWS}`);
  }
  return limit;
}

/** Returns the ticks of [fromMs, toMs), oldest first; throws RowLimitError when there are more than `limit`. */
export async function readTicksBounded(
  ticks: TickRepository,
  namespace: DataNamespace,
  instrumentId: InstrumentId,
  fromMs: number,
  toMs: number,
  limit: number,
): Promise<InstrumentTick[]> {
  const rows = await ticks.read(namespace, instrumentId, fromMs, toMs, checkLimit(limit) + 1);
  if (rows.length > limit) throw new RowLimitError(`the tick range of ${instrumentId}`, limit);
  return rows;
}

/** Returns the bars starting in [fromMs, toMs), oldest first; throws RowLimitError when there are more than `limit`. */
export async function readBarsBounded(
  bars: BarRepository,
  namespace: DataNamespace,
  instrumentId: InstrumentId,
  interval: BarInterval,
  fromMs: number,
  toMs: number,
  limit: number,
): Promise<Bar[]> {
  checkLimit(limit);
  // BarRepository.read has no limit; 18 months of 1m bars of one instrument (~140k rows) still fit in memory.
  const rows = await bars.read(namespace, instrumentId, interval, fromMs, toMs);
  if (rows.length > limit) throw new RowLimitError(`the ${interval} bar range of ${instrumentId}`, limit);
  return rows;
}
