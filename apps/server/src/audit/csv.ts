// CSV as RFC 4180 describes it: a header line, CRLF line ends, fields with a comma, quote or line break quoted and
// their quotes doubled. Null is an empty field; objects and arrays are written as their JSON.
import type { JsonValue } from '@kitepilot/core';

/** Returns one CSV field. */
export function csvField(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Returns the CSV text of `rows` with the given columns (in that order), header first. */
export function toCsv(
  columns: readonly string[],
  rows: readonly { readonly [key: string]: JsonValue }[],
): string {
  const lines = [columns.map((c) => csvField(c)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Returns one JSON object per line (JSON Lines), each line ending in LF. */
export function toJsonl(rows: readonly JsonValue[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}
