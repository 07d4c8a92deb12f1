import { InvariantError } from './errors.ts';
import type { InstrumentId } from './instrument-id.ts';
import type { Paise } from './money.ts';

/** The bar intervals we build and store. */
export const BAR_INTERVALS = ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'] as const;

/** A bar interval. */
export type BarInterval = (typeof BAR_INTERVALS)[number];

/** Where a bar came from: built from live ticks, fetched from history, or rebuilt after a gap. */
export type BarOrigin = 'live' | 'historical' | 'repaired';

/** One OHLCV bar; `start` is the UTC epoch ms of the bar's first instant. */
export interface Bar {
  readonly instrumentId: InstrumentId;
  readonly interval: BarInterval;
  readonly start: number;
  readonly openPaise: Paise;
  readonly highPaise: Paise;
  readonly lowPaise: Paise;
  readonly closePaise: Paise;
  readonly volume: number;
  readonly oi: number | null;
  readonly origin: BarOrigin;
}

const MS: Record<BarInterval, number> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '10m': 600_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '60m': 3_600_000,
  '1d': 86_400_000,
};

/** IST is UTC+05:30 with no DST. */
const IST_OFFSET_MS = 19_800_000;
/** 09:15 IST, the NSE normal-market open (market-rules.md §3.1), as ms after IST midnight. */
const SESSION_ANCHOR_MS = 33_300_000;

/** Returns the length of `interval` in milliseconds. */
export function intervalMs(interval: BarInterval): number {
  return MS[interval];
}

/** Returns true when `s` names a bar interval. */
export function isBarInterval(s: string): s is BarInterval {
  return (BAR_INTERVALS as readonly string[]).includes(s);
}

function anchorMs(interval: BarInterval): number {
  // Daily bars start at 00:00 IST. Intraday bars form a grid anchored at 09:15 IST (so 60m bars are
  // 09:15, 10:15, … as Kite's historical candles are); every interval divides 24 h, so the grid is the
  // same on every IST day and extends before 09:15 for pre-open ticks.
  return interval === '1d' ? -IST_OFFSET_MS : SESSION_ANCHOR_MS - IST_OFFSET_MS;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Returns the start of the `interval` bar containing `ts` (epoch ms), by the rule in anchorMs. */
export function alignBarStart(ts: number, interval: BarInterval): number {
  const ms = MS[interval];
  return ts - mod(ts - anchorMs(interval), ms);
}

/** Returns true when `start` is a valid bar start for `interval`. */
export function isAlignedBarStart(start: number, interval: BarInterval): boolean {
  return mod(start - anchorMs(interval), MS[interval]) === 0;
}

/** Returns a validated Bar; throws InvariantError when prices, volume or the start alignment are wrong. */
export function makeBar(fields: Bar): Bar {
  const b = fields;
  const what = `bar ${b.instrumentId} ${b.interval} @${b.start}`;
  if (!isBarInterval(b.interval)) throw new InvariantError(`${what}: unknown interval ${String(b.interval)}`);
  if (!Number.isSafeInteger(b.start)) throw new InvariantError(`${what}: start must be integer epoch ms`);
  if (!isAlignedBarStart(b.start, b.interval)) {
    throw new InvariantError(
      `${what}: start is not aligned to the ${b.interval} grid (09:15 IST / 00:00 IST for 1d)`,
    );
  }
  for (const [k, v] of [
    ['open', b.openPaise],
    ['high', b.highPaise],
    ['low', b.lowPaise],
    ['close', b.closePaise],
  ] as const) {
    if (!Number.isSafeInteger(v)) throw new InvariantError(`${what}: ${k} ${v} is not integer paise`);
  }
  if (b.lowPaise > Math.min(b.openPaise, b.closePaise) || b.highPaise < Math.max(b.openPaise, b.closePaise)) {
    throw new InvariantError(
      `${what}: needs low ≤ open, close ≤ high; got o=${b.openPaise} h=${b.highPaise} l=${b.lowPaise} c=${b.closePaise}`,
    );
  }
  if (!Number.isSafeInteger(b.volume) || b.volume < 0)
    throw new InvariantError(`${what}: volume ${b.volume} < 0`);
  if (b.oi !== null && (!Number.isSafeInteger(b.oi) || b.oi < 0)) {
    throw new InvariantError(`${what}: oi ${b.oi} must be a non-negative integer or null`);
  }
  return {
    instrumentId: b.instrumentId,
    interval: b.interval,
    start: b.start,
    openPaise: b.openPaise,
    highPaise: b.highPaise,
    lowPaise: b.lowPaise,
    closePaise: b.closePaise,
    volume: b.volume,
    oi: b.oi,
    origin: b.origin,
  };
}
