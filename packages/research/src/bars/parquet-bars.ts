// Bar Parquet files: columns `datetime, open, high, low, close, volume[, openinterest]`, as the CSV. `datetime` is
// either a string `YYYY-MM-DD HH:MM:SS` (IST wall time, the bar's start) or a Parquet timestamp (an instant). Prices
// are rupees (doubles or decimals) and must be whole paise; the same checks as parseBarCsv apply.
import { parquetReadObjects } from 'hyparquet';
import type { BarInterval } from '@kitepilot/core';
import { BarFileError, parseBarCsv } from './csv-bars.ts';
import type { BarSeries } from './bar-series.ts';

const IST_OFFSET_MS = 19_800_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Returns an instant as the IST wall time `YYYY-MM-DD HH:MM:SS`. */
function istWallTime(ms: number): string {
  const d = new Date(ms + IST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
}

function cell(value: unknown, line: number, column: string, problems: string[]): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value;
  problems.push(`row ${line}: ${column} ${JSON.stringify(String(value))} is not a number`);
  return '';
}

/** Returns a price cell as rupees text with at most two decimals, or '' with a problem recorded. */
function priceText(value: unknown, line: number, column: string, problems: string[]): string {
  if (typeof value === 'number') {
    const p = Math.round(value * 100);
    if (!Number.isFinite(value) || Math.abs(value * 100 - p) > 1e-6) {
      problems.push(`row ${line}: ${column} ${value} is not a whole number of paise`);
      return '';
    }
    return `${Math.trunc(p / 100)}.${pad(Math.abs(p % 100))}`;
  }
  return cell(value, line, column, problems);
}

/**
 * Parses a bar Parquet file; throws BarFileError naming the rows and columns at fault. The rows are checked by the
 * CSV rules (written as CSV text in memory and parsed by parseBarCsv, so both formats accept exactly the same bars).
 */
export async function parseBarParquet(
  file: ArrayBuffer,
  options: { readonly source: string; readonly interval?: BarInterval },
): Promise<BarSeries> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  } catch (error) {
    throw new BarFileError(options.source, [`not a readable Parquet file: ${(error as Error).message}`], 1);
  }
  const first = rows[0];
  if (first === undefined) throw new BarFileError(options.source, ['the file has no rows'], 1);
  const columns = Object.keys(first).map((c) => c.toLowerCase());
  const required = ['datetime', 'open', 'high', 'low', 'close', 'volume'];
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new BarFileError(
      options.source,
      [`missing column(s) ${missing.join(', ')}; the columns are ${columns.join(', ')}`],
      1,
    );
  }
  const hasOi = columns.includes('openinterest');
  const key = (name: string): string => Object.keys(first).find((c) => c.toLowerCase() === name) ?? name;
  const k = {
    datetime: key('datetime'),
    open: key('open'),
    high: key('high'),
    low: key('low'),
    close: key('close'),
    volume: key('volume'),
    oi: key('openinterest'),
  };
  const problems: string[] = [];
  const lines: string[] = [`datetime,open,high,low,close,volume${hasOi ? ',openinterest' : ''}`];
  rows.forEach((row, i) => {
    const line = i + 1;
    const dt = row[k.datetime];
    const when =
      dt instanceof Date
        ? istWallTime(dt.getTime())
        : typeof dt === 'string'
          ? dt
          : (problems.push(`row ${line}: datetime must be a timestamp or YYYY-MM-DD HH:MM:SS text`), '');
    const fields = [
      when,
      priceText(row[k.open], line, 'open', problems),
      priceText(row[k.high], line, 'high', problems),
      priceText(row[k.low], line, 'low', problems),
      priceText(row[k.close], line, 'close', problems),
      cell(row[k.volume], line, 'volume', problems),
    ];
    if (hasOi) fields.push(cell(row[k.oi] ?? 0, line, 'openinterest', problems));
    lines.push(fields.join(','));
  });
  if (problems.length > 0) throw new BarFileError(options.source, problems.slice(0, 20), problems.length);
  return parseBarCsv(lines.join('\n'), options);
}
