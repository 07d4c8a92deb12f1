// Inline SVG charts drawn by hand (no library, no external resource): line and area charts of one or more series,
// and a histogram. Coordinates are printed with fixed decimals so the same data always gives the same markup.
import { escapeHtml, formatCount } from './format.ts';
import type { HistogramBin } from './histogram.ts';

/** One line of a chart: its name (for the legend), its points in order and its colour. */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** What a line chart shows and how its axis values read. */
export interface LineChartOptions {
  /** The text a screen reader reads for the chart (escaped here). */
  readonly ariaLabel: string;
  readonly series: readonly ChartSeries[];
  readonly formatY: (value: number) => string;
  /** The labels under the left and right ends of the x axis (escaped here). */
  readonly xLabels: readonly [string, string];
  /** Fill between each line and zero (the underwater chart). */
  readonly area?: boolean;
  /** Keep zero inside the y range. */
  readonly includeZero?: boolean;
}

const WIDTH = 800;
const HEIGHT = 260;
const LEFT = 110;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 30;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const Y_TICKS = 5;

/** Returns `n` as an SVG coordinate with one decimal. */
function c(n: number): string {
  return n.toFixed(1);
}

function svgOpen(ariaLabel: string): string {
  const label = escapeHtml(ariaLabel);
  return (
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}">` +
    `<title>${label}</title>`
  );
}

/** Returns the y range of the values, padded when flat so a flat line sits in the middle. */
function dataRange(values: readonly number[], includeZero: boolean): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.01 || 1;
    return { lo: lo - pad, hi: hi + pad };
  }
  return { lo, hi };
}

/** Returns the smallest 1, 2 or 5 × 10^k (k may be negative) that is at least `x` (x > 0). */
function niceStep(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5]) {
    if (step * power >= x) return step * power;
  }
  return 10 * power;
}

/** Returns the y axis: the data range widened to round steps, and its tick values (about five). */
function yAxis(values: readonly number[], includeZero: boolean): { lo: number; hi: number; ticks: number[] } {
  const range = dataRange(values, includeZero);
  const step = niceStep((range.hi - range.lo) / (Y_TICKS - 1));
  const first = Math.floor(range.lo / step);
  const last = Math.ceil(range.hi / step);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(k * step);
  return { lo: first * step, hi: last * step, ticks };
}

/** Returns the labels under the left and right ends of the x axis (none for empty text). */
function xAxisLabels(left: string, right: string): string {
  const labelY = HEIGHT - 10;
  return (
    (left === ''
      ? ''
      : `<text class="axis" x="${LEFT}" y="${labelY}" text-anchor="start">${escapeHtml(left)}</text>`) +
    (right === ''
      ? ''
      : `<text class="axis" x="${WIDTH - RIGHT}" y="${labelY}" text-anchor="end">${escapeHtml(right)}</text>`)
  );
}

/** Returns the y grid lines with their labels at `ticks` (values between lo and hi) and the two x labels. */
function axes(
  lo: number,
  hi: number,
  ticks: readonly number[],
  formatY: (value: number) => string,
  xLabels: readonly [string, string],
): string {
  const parts: string[] = [];
  for (const value of ticks) {
    const y = TOP + PLOT_H - ((value - lo) / (hi - lo)) * PLOT_H;
    parts.push(
      `<line class="grid" x1="${LEFT}" y1="${c(y)}" x2="${WIDTH - RIGHT}" y2="${c(y)}"/>`,
      `<text class="axis" x="${LEFT - 6}" y="${c(y + 4)}" text-anchor="end">${escapeHtml(formatY(value))}</text>`,
    );
  }
  parts.push(xAxisLabels(xLabels[0], xLabels[1]));
  return parts.join('');
}

/** Returns the notice shown instead of a chart that has nothing to draw. */
function emptyChart(ariaLabel: string): string {
  return `<p class="empty">${escapeHtml(ariaLabel)}: no data to chart.</p>`;
}

/**
 * Returns an SVG line chart (an area chart with `area`) of the series, each spread over the full width, with
 * five labelled y grid lines; a notice paragraph when no series has a finite point.
 */
export function lineChartSvg(options: LineChartOptions): string {
  const series = options.series
    .map((s) => ({ ...s, values: s.values.filter((v) => Number.isFinite(v)) }))
    .filter((s) => s.values.length > 0);
  if (series.length === 0) return emptyChart(options.ariaLabel);
  const { lo, hi, ticks } = yAxis(
    series.flatMap((s) => s.values),
    options.includeZero ?? false,
  );
  const yOf = (v: number): number => TOP + PLOT_H - ((v - lo) / (hi - lo)) * PLOT_H;
  const parts = [svgOpen(options.ariaLabel), axes(lo, hi, ticks, options.formatY, options.xLabels)];
  for (const s of series) {
    const n = s.values.length;
    const xOf = (i: number): number => (n === 1 ? LEFT + PLOT_W / 2 : LEFT + (PLOT_W * i) / (n - 1));
    const points = s.values.map((v, i) => `${c(xOf(i))},${c(yOf(v))}`);
    const color = escapeHtml(s.color);
    if (options.area === true) {
      const zeroY = c(yOf(Math.min(Math.max(0, lo), hi)));
      const area = `M${c(xOf(0))},${zeroY} L${points.join(' L')} L${c(xOf(n - 1))},${zeroY} Z`;
      parts.push(`<path d="${area}" fill="${color}" fill-opacity="0.25" stroke="none"/>`);
    }
    if (n === 1) {
      const [x, y] = [c(xOf(0)), c(yOf(s.values[0] ?? 0))];
      parts.push(`<circle cx="${x}" cy="${y}" r="3" fill="${color}"/>`);
    } else {
      parts.push(
        `<path d="M${points.join(' L')}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** What a histogram shows and how its bin edges read. */
export interface HistogramOptions {
  readonly ariaLabel: string;
  readonly bins: readonly HistogramBin[];
  readonly formatEdge: (paise: number) => string;
}

/** Returns an SVG histogram: one bar per bin, red for losses, green for gains, grey where a bin spans zero. */
export function histogramSvg(options: HistogramOptions): string {
  const bins = options.bins;
  if (bins.length === 0) return emptyChart(options.ariaLabel);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  // Whole-number count ticks only: 0, the maximum and up to three between.
  const ticks = [...new Set([0, 1, 2, 3, 4].map((i) => Math.round((maxCount * i) / 4)))];
  const parts = [svgOpen(options.ariaLabel), axes(0, maxCount, ticks, (v) => formatCount(v), ['', ''])];
  const barW = PLOT_W / bins.length;
  for (const [i, bin] of bins.entries()) {
    const h = (bin.count / maxCount) * PLOT_H;
    const cls = bin.toPaise < 0 ? 'loss' : bin.fromPaise > 0 ? 'gain' : 'flat';
    const tip = `${options.formatEdge(bin.fromPaise)} to ${options.formatEdge(bin.toPaise)}: ${bin.count} trade${bin.count === 1 ? '' : 's'}`;
    parts.push(
      `<rect class="${cls}" x="${c(LEFT + i * barW + 1)}" y="${c(TOP + PLOT_H - h)}" width="${c(Math.max(1, barW - 2))}" height="${c(h)}">` +
        `<title>${escapeHtml(tip)}</title></rect>`,
    );
  }
  const first = bins[0]?.fromPaise ?? 0;
  const last = bins.at(-1)?.toPaise ?? 0;
  parts.push(xAxisLabels(options.formatEdge(first), options.formatEdge(last)), '</svg>');
  return parts.join('');
}
