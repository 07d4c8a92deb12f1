// Bars of one instrument held column-wise: a million one-minute bars are six Float64Arrays (48 MB) instead of a
// million objects, load without garbage and can be shared with worker threads. Prices are integer paise stored in
// doubles (exact up to 2^53); starts are UTC epoch ms of each bar's first instant.
import {
  InvariantError,
  intervalMs,
  isAlignedBarStart,
  paise,
  type Bar,
  type BarInterval,
  type InstrumentId,
} from '@kitepilot/core';

/** Closed bars of one instrument and interval, oldest first, one column per field. */
export interface BarSeries {
  readonly interval: BarInterval;
  readonly length: number;
  readonly start: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Open interest per bar, or null when the data has none. */
  readonly oi: Float64Array | null;
}

/** Returns the series' bar `i` as a kernel Bar of `instrumentId` (origin `historical`: imported or stored history). */
export function barAt(series: BarSeries, i: number, instrumentId: InstrumentId): Bar {
  const oi = series.oi;
  return {
    instrumentId,
    interval: series.interval,
    start: series.start[i] as number,
    openPaise: paise(series.open[i] as number),
    highPaise: paise(series.high[i] as number),
    lowPaise: paise(series.low[i] as number),
    closePaise: paise(series.close[i] as number),
    volume: series.volume[i] as number,
    oi: oi === null ? null : (oi[i] as number),
    origin: 'historical',
  };
}

/** Returns the bars as a series; throws InvariantError unless they share one interval and strictly ascend. */
export function barSeriesFromBars(bars: readonly Bar[]): BarSeries {
  const first = bars[0];
  if (first === undefined) throw new InvariantError('a bar series needs at least one bar');
  const n = bars.length;
  const hasOi = bars.some((b) => b.oi !== null);
  const series = {
    interval: first.interval,
    length: n,
    start: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    oi: hasOi ? new Float64Array(n) : null,
  };
  bars.forEach((b, i) => {
    if (b.interval !== first.interval) {
      throw new InvariantError(`bar ${i} is ${b.interval}; the series is ${first.interval}`);
    }
    if (i > 0 && b.start <= (series.start[i - 1] as number)) {
      throw new InvariantError(`bar ${i} starts at ${b.start}, not after the bar before it`);
    }
    series.start[i] = b.start;
    series.open[i] = b.openPaise;
    series.high[i] = b.highPaise;
    series.low[i] = b.lowPaise;
    series.close[i] = b.closePaise;
    series.volume[i] = b.volume;
    if (series.oi !== null) series.oi[i] = b.oi ?? 0;
  });
  return series;
}

/** Returns the bars with start in [fromMs, toMs) as a series sharing no memory with `series` (null when none). */
export function sliceBarSeries(series: BarSeries, fromMs: number, toMs: number): BarSeries | null {
  const lo = lowerBound(series.start, fromMs);
  const hi = lowerBound(series.start, toMs);
  if (hi <= lo) return null;
  return {
    interval: series.interval,
    length: hi - lo,
    start: series.start.slice(lo, hi),
    open: series.open.slice(lo, hi),
    high: series.high.slice(lo, hi),
    low: series.low.slice(lo, hi),
    close: series.close.slice(lo, hi),
    volume: series.volume.slice(lo, hi),
    oi: series.oi === null ? null : series.oi.slice(lo, hi),
  };
}

/** Returns the first index whose value is ≥ `x` in an ascending array. */
export function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Returns the end (exclusive, epoch ms) of bar `i`: when it closes and may enter the kernel. */
export function barEndMs(series: BarSeries, i: number): number {
  return (series.start[i] as number) + intervalMs(series.interval);
}

/** Throws InvariantError naming the first bar whose start is off the interval's grid. */
export function checkAligned(series: BarSeries): void {
  for (let i = 0; i < series.length; i++) {
    const start = series.start[i] as number;
    if (!isAlignedBarStart(start, series.interval)) {
      throw new InvariantError(
        `bar ${i} starting ${new Date(start).toISOString()} is not on the ${series.interval} grid (09:15 IST anchor; 00:00 IST for 1d)`,
      );
    }
  }
}
