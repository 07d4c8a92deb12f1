// The shape of ticks and bars in the reads (CLI JSON/CSV and the API): the field names of Tick and Bar, prices in
// integer paise as in the domain, times as ISO 8601 in IST with the +05:30 offset.
import { formatIst, type Bar, type Depth, type InstrumentTick } from '@kitepilot/core';

/** A tick as read: `instrumentId` and every Tick field; times in IST ISO 8601. */
export interface TickRow {
  readonly instrumentId: string;
  readonly token: number;
  readonly tradable: boolean;
  readonly mode: string;
  readonly lastPricePaise: number;
  readonly lastTradedQty: number | null;
  readonly avgTradedPricePaise: number | null;
  readonly volume: number | null;
  readonly totalBuyQty: number | null;
  readonly totalSellQty: number | null;
  readonly openPaise: number | null;
  readonly highPaise: number | null;
  readonly lowPaise: number | null;
  readonly closePaise: number | null;
  readonly changePaise: number | null;
  readonly lastTradeTime: string | null;
  readonly oi: number | null;
  readonly oiDayHigh: number | null;
  readonly oiDayLow: number | null;
  readonly exchangeTs: string | null;
  readonly depth: Depth | null;
  readonly tsInit: string;
}

/** A bar as read: every Bar field; `start` in IST ISO 8601. */
export interface BarRow {
  readonly instrumentId: string;
  readonly interval: string;
  readonly start: string;
  readonly openPaise: number;
  readonly highPaise: number;
  readonly lowPaise: number;
  readonly closePaise: number;
  readonly volume: number;
  readonly oi: number | null;
  readonly origin: string;
}

const istOrNull = (ms: number | null): string | null => (ms === null ? null : formatIst(ms));

/** Returns the read form of a stored tick. */
export function tickRow(entry: InstrumentTick): TickRow {
  const t = entry.tick;
  return {
    instrumentId: entry.instrumentId,
    token: t.token,
    tradable: t.tradable,
    mode: t.mode,
    lastPricePaise: t.lastPricePaise,
    lastTradedQty: t.lastTradedQty,
    avgTradedPricePaise: t.avgTradedPricePaise,
    volume: t.volume,
    totalBuyQty: t.totalBuyQty,
    totalSellQty: t.totalSellQty,
    openPaise: t.openPaise,
    highPaise: t.highPaise,
    lowPaise: t.lowPaise,
    closePaise: t.closePaise,
    changePaise: t.changePaise,
    lastTradeTime: istOrNull(t.lastTradeTime),
    oi: t.oi,
    oiDayHigh: t.oiDayHigh,
    oiDayLow: t.oiDayLow,
    exchangeTs: istOrNull(t.exchangeTs),
    depth: t.depth,
    tsInit: formatIst(t.tsInit),
  };
}

/** Returns the read form of a stored bar. */
export function barRow(bar: Bar): BarRow {
  return {
    instrumentId: bar.instrumentId,
    interval: bar.interval,
    start: formatIst(bar.start),
    openPaise: bar.openPaise,
    highPaise: bar.highPaise,
    lowPaise: bar.lowPaise,
    closePaise: bar.closePaise,
    volume: bar.volume,
    oi: bar.oi,
    origin: bar.origin,
  };
}

/** The CSV columns of ticks, in TickRow order. */
export const TICK_CSV_COLUMNS: readonly (keyof TickRow)[] = [
  'instrumentId',
  'token',
  'tradable',
  'mode',
  'lastPricePaise',
  'lastTradedQty',
  'avgTradedPricePaise',
  'volume',
  'totalBuyQty',
  'totalSellQty',
  'openPaise',
  'highPaise',
  'lowPaise',
  'closePaise',
  'changePaise',
  'lastTradeTime',
  'oi',
  'oiDayHigh',
  'oiDayLow',
  'exchangeTs',
  'depth',
  'tsInit',
];

/** The CSV columns of bars, in BarRow order. */
export const BAR_CSV_COLUMNS: readonly (keyof BarRow)[] = [
  'instrumentId',
  'interval',
  'start',
  'openPaise',
  'highPaise',
  'lowPaise',
  'closePaise',
  'volume',
  'oi',
  'origin',
];

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // RFC 4180: a field with a comma, quote or line break is quoted, inner quotes doubled.
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Returns rows as CSV with a header line; null is an empty field, depth is its JSON text. */
export function toCsv<R extends object>(columns: readonly (keyof R)[], rows: readonly R[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
