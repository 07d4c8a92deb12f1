// Histogram of paise amounts (trade net P&L) for the report's distribution chart. Bins have integer edges and a
// round width (1, 2 or 5 × 10^k paise), and zero is an edge: a bin holds only losses, only gains, or only zeros.

/** One bin: the amounts from fromPaise to toPaise, both included, and how many fell in it. */
export interface HistogramBin {
  readonly fromPaise: number;
  readonly toPaise: number;
  readonly count: number;
}

/** The number of bins a histogram aims at, at most (two more can appear where the range meets zero). */
export const MAX_HISTOGRAM_BINS = 30;

/** Returns the smallest 1, 2 or 5 × 10^k that is at least `x` (x ≥ 1). */
export function niceCeil(x: number): number {
  const power = 10 ** Math.max(0, Math.floor(Math.log10(x)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= x) return step * power;
  }
  return 10 * power;
}

/** Returns the bin of a value: negative bins hold losses, positive bins gains, bin 0 only zeros. */
function binIndex(value: number, width: number): number {
  if (value < 0) return Math.floor(value / width);
  if (value > 0) return Math.ceil(value / width);
  return 0;
}

function binEdges(index: number, width: number): { fromPaise: number; toPaise: number } {
  if (index < 0) return { fromPaise: index * width, toPaise: (index + 1) * width - 1 };
  if (index > 0) return { fromPaise: (index - 1) * width + 1, toPaise: index * width };
  return { fromPaise: 0, toPaise: 0 };
}

/**
 * Returns consecutive bins covering every value, about √n of them (aiming at no more than `maxBins`), in
 * ascending order; the zero bin appears only when a value is exactly zero. No bins for no values. Throws a
 * RangeError on a value that is not a safe integer.
 */
export function paiseHistogram(values: readonly number[], maxBins = MAX_HISTOGRAM_BINS): HistogramBin[] {
  if (!Number.isSafeInteger(maxBins) || maxBins < 1) {
    throw new RangeError(`maxBins ${maxBins} is not a positive integer`);
  }
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const [index, value] of values.entries()) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`value[${index}] ${value} is not a safe integer`);
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const wanted = Math.min(maxBins, Math.max(1, Math.ceil(Math.sqrt(values.length))));
  const width = niceCeil(Math.max(1, (max - min + 1) / wanted));
  const first = binIndex(min, width);
  const counts = new Map<number, number>();
  for (const value of values) {
    const index = binIndex(value, width);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  const bins: HistogramBin[] = [];
  for (let index = first; index <= binIndex(max, width); index++) {
    const count = counts.get(index) ?? 0;
    if (index === 0 && count === 0) continue;
    bins.push({ ...binEdges(index, width), count });
  }
  return bins;
}
