// Synthetic minute bars for the golden backtests and the reference-engine tests (test data only, never used by a
// production path). A seeded generator, so the fixture is this file plus its seed: the same options give the same
// bars on every machine (integer arithmetic on a 32-bit PRNG, no Math.random, no floating rounding that could
// differ). Each day is a full NSE session (09:15–15:29 IST, 375 bars) with a regime drawn from the seed — trend up,
// trend down, range-bound or volatile — an overnight gap, minute opens that sometimes jump away from the previous
// close (so marketable LIMITs and stops can miss at an open) and a U-shaped volume profile. Prices stay on the
// ₹0.05 grid.
import { createHash } from 'node:crypto';
import {
  intervalMs,
  istToEpochMs,
  makeBar,
  paise,
  SeededRandom,
  type Bar,
  type InstrumentId,
} from '@kitepilot/core';

/** How a fixture is generated. */
export interface GoldenBarsOptions {
  readonly instrumentId: InstrumentId;
  readonly seed: number;
  /** IST trading dates `YYYY-MM-DD`, ascending: one full session of 1m bars each. */
  readonly dates: readonly string[];
  /** The first open, in paise (a multiple of the tick). */
  readonly startPricePaise: number;
  /** The tick size in paise (default 5). */
  readonly tickPaise?: number;
  /**
   * Overrides the half-width of every minute's step, in ticks (by default drawn per day from its regime). A small
   * value gives flat stretches where moving averages touch.
   */
  readonly halfStepTicks?: number;
}

/** The day regimes the generator draws from. */
export type DayRegime = 'trend-up' | 'trend-down' | 'range' | 'volatile';

const REGIMES: readonly DayRegime[] = ['trend-up', 'trend-down', 'range', 'volatile'];
const SESSION_BARS = 375;
const MINUTE_MS = intervalMs('1m');

/** The fixture's random numbers: core's SeededRandom (mulberry32), so the same seed gives the same bars everywhere. */
export class FixtureRandom {
  readonly #random: SeededRandom;

  /** Starts the sequence of `seed` (any integer): core's SeededRandom (mulberry32). */
  constructor(seed: number) {
    this.#random = new SeededRandom(seed);
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    return this.#random.nextUint32();
  }

  /** Returns an integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}) needs integers with min ≤ max`);
    }
    return min + (this.nextUint32() % (max - min + 1));
  }

  /** Returns true with probability `percent` / 100 (an integer percent). */
  chance(percent: number): boolean {
    return this.nextUint32() % 100 < percent;
  }

  /** Returns one of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
}

/** Returns the weekdays from `from` on, skipping `skip`, until `count` dates are listed. */
export function weekdaysFrom(from: string, count: number, skip: readonly string[] = []): string[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count ${count} must be ≥ 0`);
  const out: string[] = [];
  let ms = Date.parse(`${from}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`from ${JSON.stringify(from)} is not a YYYY-MM-DD date`);
  while (out.length < count) {
    const date = new Date(ms).toISOString().slice(0, 10);
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !skip.includes(date)) out.push(date);
    ms += 86_400_000;
  }
  return out;
}

/**
 * Returns the bars of every date, oldest first. Throws RangeError for a start price off the tick grid or dates that
 * do not ascend.
 */
export function goldenBars(options: GoldenBarsOptions): Bar[] {
  const tick = options.tickPaise ?? 5;
  const half = options.halfStepTicks;
  if (half !== undefined && (!Number.isSafeInteger(half) || half < 0)) {
    throw new RangeError(`halfStepTicks ${half} must be an integer ≥ 0`);
  }
  if (!Number.isSafeInteger(tick) || tick <= 0)
    throw new RangeError(`tickPaise ${tick} must be a positive integer`);
  if (!Number.isSafeInteger(options.startPricePaise) || options.startPricePaise % tick !== 0) {
    throw new RangeError(`startPricePaise ${options.startPricePaise} must be a multiple of the tick ${tick}`);
  }
  for (let i = 1; i < options.dates.length; i++) {
    if ((options.dates[i] as string) <= (options.dates[i - 1] as string)) {
      throw new RangeError(`dates must ascend: ${options.dates[i - 1]} then ${options.dates[i]}`);
    }
  }
  const rnd = new FixtureRandom(options.seed);
  const floorTicks = Math.max(20, Math.floor(options.startPricePaise / tick / 5));
  let priceTicks = options.startPricePaise / tick;
  const bars: Bar[] = [];
  for (const [d, date] of options.dates.entries()) {
    const regime = rnd.pick(REGIMES);
    // Drift in hundredths of a tick per minute; volatility as the half-width of the step in ticks.
    const drift = regime === 'trend-up' ? rnd.int(4, 14) : regime === 'trend-down' ? -rnd.int(4, 14) : 0;
    const halfStep =
      regime === 'volatile' ? rnd.int(24, 34) : regime === 'range' ? rnd.int(8, 14) : rnd.int(12, 20);
    // Range days pull back toward the open; others wander.
    const anchor = priceTicks;
    if (d > 0) priceTicks += rnd.int(-60, 60);
    let driftCarry = 0;
    const dayStart = istToEpochMs(date, '09:15');
    for (let m = 0; m < SESSION_BARS; m++) {
      // A minute open mostly equals the previous close; sometimes it jumps a few ticks, rarely many.
      let open = priceTicks;
      if (m > 0 && rnd.chance(25)) open += rnd.int(-4, 4);
      if (m > 0 && rnd.chance(2)) open += rnd.int(-25, 25);
      // Sum of two uniforms: a triangular step, centred on the drift.
      driftCarry += drift;
      const driftTicks = Math.trunc(driftCarry / 100);
      driftCarry -= driftTicks * 100;
      let step = rnd.int(-halfStep, halfStep) + rnd.int(-halfStep, halfStep);
      step = Math.trunc(step / 2) + driftTicks;
      if (regime === 'range') step += Math.trunc((anchor - open) / 40);
      let close = open + step;
      open = Math.max(floorTicks, open);
      close = Math.max(floorTicks, close);
      const high = Math.max(open, close) + rnd.int(0, 6) + (rnd.chance(5) ? rnd.int(5, 20) : 0);
      const low = Math.max(1, Math.min(open, close) - rnd.int(0, 6) - (rnd.chance(5) ? rnd.int(5, 20) : 0));
      // U-shaped volume: heavy at the open and close, light at midday.
      const edge = Math.min(m, SESSION_BARS - 1 - m);
      const volume = rnd.int(2_000, 9_000) + (edge < 30 ? (30 - edge) * 900 : 0);
      bars.push(
        makeBar({
          instrumentId: options.instrumentId,
          interval: '1m',
          start: dayStart + m * MINUTE_MS,
          openPaise: paise(open * tick),
          highPaise: paise(high * tick),
          lowPaise: paise(low * tick),
          closePaise: paise(close * tick),
          volume,
          oi: null,
          origin: 'historical',
        }),
      );
      priceTicks = close;
    }
  }
  return bars;
}

function rupees(p: number): string {
  return `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}

/** Returns the bars as a bar CSV (`datetime,open,high,low,close,volume`, IST bar starts, rupees). */
export function barsToCsv(bars: readonly Bar[]): string {
  const lines = ['datetime,open,high,low,close,volume'];
  for (const b of bars) {
    const ist = new Date(b.start + 19_800_000).toISOString();
    const when = `${ist.slice(0, 10)} ${ist.slice(11, 19)}`;
    lines.push(
      `${when},${rupees(b.openPaise)},${rupees(b.highPaise)},${rupees(b.lowPaise)},${rupees(b.closePaise)},${b.volume}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Returns the SHA-256 of a text (the fixture digest kept in every golden file). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
