// Bar CSV files: `datetime,open,high,low,close,volume[,openinterest]` with a header, `datetime` the bar's start as
// `YYYY-MM-DD HH:MM:SS` in IST (Kite's candle convention), prices in rupees with at most two decimals (exact paise),
// volume and open interest whole numbers. Parsed byte by byte from the file's buffer (no per-line strings), because
// CSV loading is part of the end-to-end backtest speed. Every row is checked; the first problems are reported
// together with their line numbers and nothing is half-loaded.
import { BAR_INTERVALS, intervalMs, isBarInterval, type BarInterval } from '@kitepilot/core';
import { checkAligned, type BarSeries } from './bar-series.ts';

/** A bar file that cannot be used as it is; `problems` name the lines. */
export class BarFileError extends Error {
  readonly problems: readonly string[];

  /** Creates the error from its problems (the message lists them). */
  constructor(source: string, problems: readonly string[], total: number) {
    const more = total > problems.length ? `\n  … and ${total - problems.length} more` : '';
    super(`${source}: ${total} problem${total === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}${more}`);
    this.name = 'BarFileError';
    this.problems = problems;
  }
}

/** Options of parseBarCsv. */
export interface BarCsvOptions {
  /** How the file is named in errors (e.g. its path). */
  readonly source: string;
  /** The bar interval; inferred from the smallest gap between bars of one day when absent. */
  readonly interval?: BarInterval;
}

const IST_OFFSET_MS = 19_800_000;
const MAX_PROBLEMS = 20;
const HEADER = ['datetime', 'open', 'high', 'low', 'close', 'volume'];
const COMMA = 44;
const LF = 10;
const CR = 13;
const DOT = 46;
const ZERO = 48;

/** Days from 1970-01-01 to the civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

class Columns {
  length = 0;
  start: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  oi: Float64Array | null;

  constructor(capacity: number, hasOi: boolean) {
    this.start = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
    this.oi = hasOi ? new Float64Array(capacity) : null;
  }
}

/**
 * Parses a bar CSV. Throws BarFileError (listing up to 20 problems with line numbers) for a wrong header, a
 * malformed or impossible datetime, a price that is not positive rupees with at most two decimals, low above
 * open/close or high below them, a negative or fractional volume, bars not strictly ascending in time, an interval
 * that is not one of the bar intervals, or a bar off the interval's grid (09:15 IST anchor).
 */
export function parseBarCsv(data: Uint8Array | string, options: BarCsvOptions): BarSeries {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (line: number, text: string): void => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(`line ${line}: ${text}`);
  };
  let pos = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
  // Header.
  let eol = bytes.indexOf(LF, pos);
  if (eol < 0) eol = bytes.length;
  const header = new TextDecoder()
    .decode(bytes.subarray(pos, eol))
    .replace(/\r$/, '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const hasOi = header.length === 7 && header[6] === 'openinterest';
  if (
    header.length < 6 ||
    header.length > 7 ||
    HEADER.some((h, i) => header[i] !== h) ||
    (header.length === 7 && !hasOi)
  ) {
    throw new BarFileError(
      options.source,
      [`line 1: the header must be ${HEADER.join(',')}[,openinterest]; got ${header.join(',')}`],
      1,
    );
  }
  pos = eol + 1;
  // Count lines for the column capacity.
  let capacity = 0;
  for (let i = pos; i < bytes.length; i++) if (bytes[i] === LF) capacity++;
  capacity++;
  const cols = new Columns(capacity, hasOi);
  const fields = hasOi ? 7 : 6;
  let line = 1;
  let previousStart = -Infinity;
  while (pos < bytes.length) {
    line++;
    let end = bytes.indexOf(LF, pos);
    if (end < 0) end = bytes.length;
    let stop = end;
    if (stop > pos && bytes[stop - 1] === CR) stop--;
    if (stop === pos) {
      pos = end + 1;
      continue; // blank line
    }
    const rowStart = pos;
    const row = parseRow(bytes, pos, stop, fields);
    pos = end + 1;
    if (typeof row === 'string') {
      problem(line, `${row}: ${new TextDecoder().decode(bytes.subarray(rowStart, stop)).slice(0, 120)}`);
      continue;
    }
    const [start, o, h, l, c, v, oi] = row;
    if (l > Math.min(o, c) || h < Math.max(o, c)) {
      problem(
        line,
        `needs low ≤ open, close ≤ high; got open ${o / 100} high ${h / 100} low ${l / 100} close ${c / 100}`,
      );
      continue;
    }
    if (start <= previousStart) {
      problem(
        line,
        start === previousStart
          ? 'a second bar with the same datetime'
          : 'bars must be in ascending time; this one is earlier than the line before',
      );
      continue;
    }
    previousStart = start;
    const k = cols.length++;
    cols.start[k] = start;
    cols.open[k] = o;
    cols.high[k] = h;
    cols.low[k] = l;
    cols.close[k] = c;
    cols.volume[k] = v;
    if (cols.oi !== null) cols.oi[k] = oi;
  }
  if (problemCount > 0) throw new BarFileError(options.source, problems, problemCount);
  if (cols.length === 0) throw new BarFileError(options.source, ['the file has a header but no bars'], 1);
  const interval = options.interval ?? inferInterval(cols, options.source);
  const n = cols.length;
  const series: BarSeries = {
    interval,
    length: n,
    start: cols.start.subarray(0, n),
    open: cols.open.subarray(0, n),
    high: cols.high.subarray(0, n),
    low: cols.low.subarray(0, n),
    close: cols.close.subarray(0, n),
    volume: cols.volume.subarray(0, n),
    oi: cols.oi === null ? null : cols.oi.subarray(0, n),
  };
  try {
    checkAligned(series);
  } catch (error) {
    throw new BarFileError(options.source, [(error as Error).message], 1);
  }
  return series;
}

/** Row values: start ms, open, high, low, close (paise), volume, oi — or the reason the row is malformed. */
type Row = [number, number, number, number, number, number, number];

function parseRow(b: Uint8Array, pos: number, stop: number, fields: number): Row | string {
  // datetime: YYYY-MM-DD HH:MM:SS (a 'T' separator is accepted too).
  if (stop - pos < 19) return 'datetime must be YYYY-MM-DD HH:MM:SS (IST)';
  const y = digits(b, pos, 4);
  const mo = digits(b, pos + 5, 2);
  const d = digits(b, pos + 8, 2);
  const hh = digits(b, pos + 11, 2);
  const mi = digits(b, pos + 14, 2);
  const ss = digits(b, pos + 17, 2);
  const sep = b[pos + 10];
  if (
    y < 0 ||
    mo < 0 ||
    d < 0 ||
    hh < 0 ||
    mi < 0 ||
    ss < 0 ||
    b[pos + 4] !== 45 ||
    b[pos + 7] !== 45 ||
    (sep !== 32 && sep !== 84) ||
    b[pos + 13] !== 58 ||
    b[pos + 16] !== 58 ||
    b[pos + 19] !== COMMA
  ) {
    return 'datetime must be YYYY-MM-DD HH:MM:SS (IST)';
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || hh > 23 || mi > 59 || ss > 59) {
    return 'datetime is not a real IST date and time';
  }
  const start = daysFromCivil(y, mo, d) * 86_400_000 + ((hh * 60 + mi) * 60 + ss) * 1000 - IST_OFFSET_MS;
  const out: Row = [start, 0, 0, 0, 0, 0, 0];
  let p = pos + 20;
  for (let f = 1; f < fields; f++) {
    let e = p;
    while (e < stop && b[e] !== COMMA) e++;
    if (e === p) return `${FIELD_NAMES[f]} is empty`;
    const value = f <= 4 ? rupeesToPaise(b, p, e) : wholeNumber(b, p, e);
    if (value < 0 || (f <= 4 && value === 0)) {
      return f <= 4
        ? `${FIELD_NAMES[f]} must be a positive price in rupees with at most two decimals`
        : `${FIELD_NAMES[f]} must be a whole number ≥ 0`;
    }
    out[f] = value;
    if (f < fields - 1 && e >= stop) return `expected ${fields} fields`;
    p = e + 1;
  }
  if (p <= stop) return `expected ${fields} fields`;
  return out;
}

const FIELD_NAMES = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'];

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = (b[i] as number) - ZERO;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Parses `123`, `123.4` or `123.45` into paise; -1 when malformed or beyond 2^53. */
function rupeesToPaise(b: Uint8Array, from: number, to: number): number {
  let whole = 0;
  let i = from;
  let n = 0;
  for (; i < to && b[i] !== DOT; i++, n++) {
    const c = (b[i] as number) - ZERO;
    if (c < 0 || c > 9) return -1;
    whole = whole * 10 + c;
  }
  if (n === 0) return -1;
  let frac = 0;
  let decimals = 0;
  if (i < to) {
    for (i++; i < to; i++) {
      const c = (b[i] as number) - ZERO;
      if (c < 0 || c > 9) return -1;
      if (decimals >= 2) {
        if (c !== 0) return -1; // a third non-zero decimal is not a paise price
        continue;
      }
      frac = frac * 10 + c;
      decimals++;
    }
  }
  if (decimals === 1) frac *= 10;
  const value = whole * 100 + frac;
  return Number.isSafeInteger(value) ? value : -1;
}

/** Parses a whole number (a trailing `.0…` is accepted); -1 when malformed. */
function wholeNumber(b: Uint8Array, from: number, to: number): number {
  let v = 0;
  let i = from;
  for (; i < to && b[i] !== DOT; i++) {
    const c = (b[i] as number) - ZERO;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  if (i === from) return -1;
  if (i < to) for (i++; i < to; i++) if (b[i] !== ZERO) return -1;
  return Number.isSafeInteger(v) ? v : -1;
}

function inferInterval(cols: Columns, source: string): BarInterval {
  let gap = Infinity;
  for (let i = 1; i < cols.length; i++) {
    const g = (cols.start[i] as number) - (cols.start[i - 1] as number);
    if (g < gap) gap = g;
  }
  if (gap === Infinity) {
    throw new BarFileError(source, ['one bar is not enough to tell the interval; give it (--interval)'], 1);
  }
  const found = BAR_INTERVALS.find((iv) => intervalMs(iv) === gap);
  if (found === undefined || !isBarInterval(found)) {
    throw new BarFileError(
      source,
      [
        `the smallest gap between bars is ${gap / 1000} s, which is not a bar interval (${BAR_INTERVALS.join(', ')})`,
      ],
      1,
    );
  }
  return found;
}
