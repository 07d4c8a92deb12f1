// Text formatting for the HTML reports: HTML escaping, rupees from paise (en-IN grouping), percentages, ratios,
// counts and IST times. Every formatter prints an em dash for a missing (null) or non-finite value, so a report
// never shows "NaN", "Infinity" or "undefined".
import { formatInr, groupIndian, istDate, istTime, paise } from '@kitepilot/core';

/** The text shown for a value that is undefined (a null ratio). */
export const MISSING = '—';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Returns `text` safe to place in HTML text or in a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Returns an amount of paise in rupees with en-IN grouping (`₹1,23,456.78`, `-₹5.00`). A fractional amount (an
 * average price or a mean) keeps up to two more decimals: 157370.25 paise → `₹1,573.7025`.
 */
export function formatPaise(value: number | null | undefined): string {
  if (!isNumber(value)) return MISSING;
  if (Number.isSafeInteger(value)) return formatInr(paise(value));
  const hundredthsOfPaise = Math.round(Math.abs(value) * 100);
  const wholePaise = Math.floor(hundredthsOfPaise / 100);
  const extra = hundredthsOfPaise % 100;
  const sign = value < 0 && hundredthsOfPaise > 0 ? '-' : '';
  const rupees = formatInr(paise(wholePaise));
  if (extra === 0) return `${sign}${rupees}`;
  return `${sign}${rupees}${String(extra).padStart(2, '0').replace(/0$/, '')}`;
}

/** Returns `value` with `decimals` decimals, never as `-0.00`. */
export function formatFixed(value: number | null | undefined, decimals: number): string {
  if (!isNumber(value)) return MISSING;
  // toFixed switches to exponent notation from 1e21 on; say so plainly instead of grouping digits.
  if (Math.abs(value) >= 1e21) return value.toExponential(2);
  // Drop binary noise first, so 3.4549999999999996 (a computed 3.455) rounds as 3.455 does.
  const text = Number(value.toPrecision(12)).toFixed(decimals);
  const negative = text.startsWith('-');
  const [int = '0', frac] = (negative ? text.slice(1) : text).split('.');
  const body = `${groupIndian(int)}${frac === undefined ? '' : `.${frac}`}`;
  return negative && /[1-9]/.test(text) ? `-${body}` : body;
}

/** Returns a percentage with two decimals (`12.35%`). */
export function formatPct(value: number | null | undefined): string {
  return isNumber(value) ? `${formatFixed(value, 2)}%` : MISSING;
}

/** Returns a ratio with two decimals (`1.93`). */
export function formatRatio(value: number | null | undefined): string {
  return formatFixed(value, 2);
}

/** Returns a whole number with en-IN grouping (`1,23,456`). */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? formatFixed(Math.round(value), 0) : MISSING;
}

/** Returns an instant as IST date and time with the zone named: `2026-11-23 09:15:00 IST`. */
export function formatIstDateTime(epochMs: number | null | undefined): string {
  if (!isNumber(epochMs) || !Number.isSafeInteger(epochMs)) return MISSING;
  return `${istDate(epochMs)} ${istTime(epochMs)} IST`;
}

/** Returns a duration in milliseconds as `1h 02m 03.456s`, `2m 05.000s` or `0.250s`. */
export function formatDurationMs(ms: number | null | undefined): string {
  if (!isNumber(ms) || ms < 0) return MISSING;
  const totalMs = Math.round(ms);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const seconds = ((totalMs % 60_000) / 1000).toFixed(3);
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m ${seconds.padStart(6, '0')}s`;
  if (minutes > 0) return `${minutes}m ${seconds.padStart(6, '0')}s`;
  return `${seconds}s`;
}
