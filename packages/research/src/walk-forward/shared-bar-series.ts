// A bar series whose columns live in SharedArrayBuffers: handed to worker threads (workerData, postMessage) it is
// shared, not copied, so W workers backtesting a million bars hold one copy of the data, loaded once.
import type { BarSeries } from '../bars/bar-series.ts';

function shared(column: Float64Array): Float64Array {
  const copy = new Float64Array(new SharedArrayBuffer(column.length * Float64Array.BYTES_PER_ELEMENT));
  copy.set(column);
  return copy;
}

/** Returns a copy of `series` with every column in a SharedArrayBuffer. */
export function shareBarSeries(series: BarSeries): BarSeries {
  return {
    interval: series.interval,
    length: series.length,
    start: shared(series.start),
    open: shared(series.open),
    high: shared(series.high),
    low: shared(series.low),
    close: shared(series.close),
    volume: shared(series.volume),
    oi: series.oi === null ? null : shared(series.oi),
  };
}

/** Returns true when every column of `series` lives in a SharedArrayBuffer. */
export function isSharedBarSeries(series: BarSeries): boolean {
  const columns = [series.start, series.open, series.high, series.low, series.close, series.volume];
  if (series.oi !== null) columns.push(series.oi);
  return columns.every((c) => c.buffer instanceof SharedArrayBuffer);
}
