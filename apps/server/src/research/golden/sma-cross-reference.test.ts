// The kernel's sma-cross trades against the independent reference engine (sma-cross-reference.ts), trade by trade
// (entry and exit time, prices, quantity), under `--fill next-open`, MIS and no charges.
// Property (fast-check, random seeded bars of 1–3 days, random fast/slow/stop/qty, some runs with flat stretches
// where the averages touch): the kernel's trade list equals the reference's, every trade is LONG, and no position is
// left open after the last day's square-off, including runs where the strategy would send its own exit while the
// square-off is already closing its position (the risk engine refuses that exit: `position-closing`; the cases at the
// end pin it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIst, istToEpochMs, makeBar, paise, type Bar } from '@kitepilot/core';
import { barSeriesFromBars, type BacktestResult, type TradeRecord } from '@kitepilot/research';
import { goldenBars, weekdaysFrom } from './golden-bars.ts';
import { GOLDEN_FIXTURE, GOLDEN_INSTRUMENT, GOLDEN_SYMBOL } from './golden-cases.ts';
import { runSpec } from './golden-run.ts';
import {
  referenceSmaCross,
  referenceStopPaise,
  type ReferenceTrade,
  type SmaCrossReferenceOptions,
} from './sma-cross-reference.ts';

const TICK = 5;

interface Params {
  readonly fast: number;
  readonly slow: number;
  readonly stopPct: string;
  readonly qty: number;
}

/** Runs sma-cross on the real kernel: next-open fills, MIS, no charges, enough cash that no risk cap binds. */
async function kernelRun(bars: readonly Bar[], p: Params): Promise<BacktestResult> {
  return runSpec(
    {
      data: { kind: 'csv', path: 'unused.csv' },
      symbol: GOLDEN_SYMBOL,
      strategy: 'sma-cross',
      params: { fast: String(p.fast), slow: String(p.slow), stopPct: p.stopPct },
      qty: p.qty,
      product: 'MIS',
      cashRupees: 10_000_000,
      charges: 'none',
      fill: 'next-open',
      slippage: 'none',
      latencyMs: 0,
    },
    {
      series: barSeriesFromBars(bars),
      instrumentId: GOLDEN_INSTRUMENT,
      data: { source: 'fixture' },
      loadSeconds: 0,
    },
  );
}

function referenceOptions(p: Params): SmaCrossReferenceOptions {
  return { fast: p.fast, slow: p.slow, stopPct: p.stopPct, qty: p.qty, tickPaise: TICK };
}

/** A trade as both sides can state it: IST times, prices, quantity, direction. */
function line(t: TradeRecord | ReferenceTrade): string {
  const direction = 'direction' in t ? t.direction : 'LONG';
  return `${direction} ${t.qty} @ ${formatIst(t.entryAtMs)} ${t.entryPricePaise} → ${formatIst(t.exitAtMs)} ${t.exitPricePaise}`;
}

/** One session of 1m bars from closes given per IST minute; opens default to the previous close. */
function session(
  date: string,
  close: (hhmm: string) => number,
  open: (hhmm: string, previousClose: number) => number = (_t, previous) => previous,
  low: (hhmm: string, bar: { open: number; close: number }) => number = (_t, b) => Math.min(b.open, b.close),
): Bar[] {
  const first = istToEpochMs(date, '09:15');
  const bars: Bar[] = [];
  let previous: number | null = null;
  for (let m = 0; m < 375; m++) {
    const minute = 9 * 60 + 15 + m;
    const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const c = close(hhmm);
    const o = previous === null ? c : open(hhmm, previous);
    const l = low(hhmm, { open: o, close: c });
    bars.push(
      makeBar({
        instrumentId: GOLDEN_INSTRUMENT,
        interval: '1m',
        start: first + m * 60_000,
        openPaise: paise(o),
        highPaise: paise(Math.max(o, c)),
        lowPaise: paise(Math.min(l, o, c)),
        closePaise: paise(c),
        volume: 1_000,
        oi: null,
        origin: 'historical',
      }),
    );
    previous = c;
  }
  return bars;
}

const DAY = '2025-01-01';
const at = (hhmm: string): number => istToEpochMs(DAY, hhmm);
/** Flat at ₹1 000, one step up to ₹1 005 at `upAt`, back to ₹1 000 at `downAt` (when given). */
const step =
  (upAt: string, downAt: string | null) =>
  (t: string): number =>
    t >= upAt && (downAt === null || t < downAt) ? 100_500 : 100_000;

describe('referenceStopPaise', () => {
  it('is the exact decimal level rounded down to the tick', () => {
    expect(referenceStopPaise(100_000, '0.3', 5)).toBe(99_700);
    // 149 965 × 0.997 = 149 515.105 → 149 515 paise, already on the ₹0.05 grid.
    expect(referenceStopPaise(149_965, '0.3', 5)).toBe(149_515);
    // 100 001 × 0.99 = 99 000.99 → 99 000 (₹0.10 grid).
    expect(referenceStopPaise(100_001, '1', 10)).toBe(99_000);
    expect(referenceStopPaise(100_000, '2.55', 5)).toBe(97_450);
  });

  it('refuses a percentage that is not a plain decimal', () => {
    expect(() => referenceStopPaise(100_000, '1e-3', 5)).toThrow(RangeError);
    expect(() => referenceStopPaise(100_000, '-1', 5)).toThrow(RangeError);
  });
});

describe('referenceSmaCross', () => {
  const p: Params = { fast: 2, slow: 3, stopPct: '5', qty: 10 };

  it('refuses fast ≥ slow', () => {
    expect(() => referenceSmaCross([], { ...referenceOptions(p), fast: 3, slow: 3 })).toThrow(RangeError);
  });

  it('enters at the open after the up-cross and exits at the open after the down-cross', () => {
    const run = referenceSmaCross(session(DAY, step('10:00', '11:00')), referenceOptions(p));
    expect(run.trades).toEqual([
      expect.objectContaining({
        entryAtMs: at('10:01'),
        entryPricePaise: 100_500,
        exitAtMs: at('11:01'),
        exitPricePaise: 100_000,
        exit: 'down-cross',
        grossPnlPaise: -5_000,
      }),
    ]);
  });

  it('enters on an up-cross decided before 15:10 and not on one decided at 15:10', () => {
    // The 15:08 bar closes at 15:09 (inside the window); the 15:09 bar closes at 15:10 (outside).
    expect(referenceSmaCross(session(DAY, step('15:08', null)), referenceOptions(p)).trades).toHaveLength(1);
    expect(referenceSmaCross(session(DAY, step('15:09', null)), referenceOptions(p)).trades).toEqual([]);
  });

  it('exits at the next open after a bar whose low reaches the stop, never checking the entry bar', () => {
    // Entry decided on the 10:00 bar (close ₹1 005, stop 5 % below = ₹954.75); its own low is below the stop.
    const low = (t: string, b: { open: number; close: number }): number =>
      t === '10:00' || t === '12:00' ? 95_000 : Math.min(b.open, b.close);
    const run = referenceSmaCross(session(DAY, step('10:00', null), undefined, low), referenceOptions(p));
    expect(run.trades.map((t) => [t.exit, formatIst(t.exitAtMs), t.stopPaise])).toEqual([
      ['stop', formatIst(at('12:01')), 95_475],
    ]);
  });

  it('squares off at 15:20 with a LIMIT two ticks below the last close that fills at the open', () => {
    const run = referenceSmaCross(session(DAY, step('14:00', null)), referenceOptions(p));
    expect(run.trades.map((t) => [t.exit, formatIst(t.exitAtMs), t.exitPricePaise])).toEqual([
      ['square-off-limit', formatIst(at('15:20')), 100_500],
    ]);
  });

  it('replaces an unfilled square-off LIMIT by MARKET, filled at the next open', () => {
    const gap = (t: string, previous: number): number => (t === '15:20' ? previous - 100 : previous);
    const run = referenceSmaCross(session(DAY, step('14:00', null), gap), referenceOptions(p));
    expect(run.trades.map((t) => [t.exit, formatIst(t.exitAtMs), t.exitPricePaise])).toEqual([
      ['square-off-market', formatIst(at('15:21')), 100_500],
    ]);
    expect(run.contested).toEqual([]);
  });
});

describe('sma-cross: kernel against the reference engine', () => {
  const fixture = goldenBars(GOLDEN_FIXTURE);

  for (const p of [
    { fast: 20, slow: 60, stopPct: '0.3', qty: 10 },
    { fast: 10, slow: 30, stopPct: '1', qty: 7 },
  ] satisfies Params[]) {
    it(`gives the same trades on the golden fixture (fast ${p.fast}, slow ${p.slow}, stop ${p.stopPct} %)`, async () => {
      const reference = referenceSmaCross(fixture, referenceOptions(p));
      expect(reference.contested).toEqual([]);
      const result = await kernelRun(fixture, p);
      expect(result.trades.map(line)).toEqual(reference.trades.map(line));
      expect(result.trades.map((t) => t.grossPnlPaise)).toEqual(reference.trades.map((t) => t.grossPnlPaise));
      expect(result.warnings).toEqual([]);
    });
  }

  it('meets every exit path on the golden fixture (down-cross, stop, square-off LIMIT and MARKET)', () => {
    const { trades } = referenceSmaCross(
      fixture,
      referenceOptions({ fast: 20, slow: 60, stopPct: '0.3', qty: 10 }),
    );
    expect(new Set(trades.map((t) => t.exit))).toEqual(
      new Set(['down-cross', 'stop', 'square-off-limit', 'square-off-market']),
    );
  });

  it('gives the same trades on random bars and parameters (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          days: fc.integer({ min: 1, max: 3 }),
          halfStepTicks: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          fast: fc.integer({ min: 1, max: 20 }),
          slowGap: fc.integer({ min: 1, max: 40 }),
          stopPct: fc.constantFrom('0.05', '0.1', '0.25', '0.5', '1', '2.5'),
          qty: fc.integer({ min: 1, max: 100 }),
        }),
        async (x) => {
          const bars = goldenBars({
            instrumentId: GOLDEN_INSTRUMENT,
            seed: x.seed,
            dates: weekdaysFrom('2025-01-06', x.days),
            startPricePaise: 150_000,
            ...(x.halfStepTicks === undefined ? {} : { halfStepTicks: x.halfStepTicks }),
          });
          const p: Params = { fast: x.fast, slow: x.fast + x.slowGap, stopPct: x.stopPct, qty: x.qty };
          const reference = referenceSmaCross(bars, referenceOptions(p));
          const result = await kernelRun(bars, p);
          expect(result.trades.map(line)).toEqual(reference.trades.map(line));
          expect(result.warnings).toEqual([]);
          expect(result.counts.fills).toBe(2 * reference.trades.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the square-off and a strategy exit never both close the position', () => {
  // Minimal cases (one day, fast 2, slow 3): long from 15:01; the 15:20 bar opens ₹1 below the 15:19 close, so the
  // square-off LIMIT (two ticks below that close) misses and its MARKET replacement is sent at 15:20:10. When
  // sma-cross also exits — (B) its exit decided on the 15:19 bar was cancelled by the cutoff and is sent again at
  // 15:21:00, or (C) it sees a down-cross on the 15:20 bar — its MARKET SELL and the square-off's both fill at the
  // 15:21 open — the account used to end the day short 10 (an MIS position past the cutoff). The risk engine now
  // refuses a strategy order on a position the system is closing (`position-closing`), so the day ends flat as in
  // the reference engine.
  const p: Params = { fast: 2, slow: 3, stopPct: '5', qty: 10 };
  const gap = (t: string, previous: number): number => (t === '15:20' ? previous - 100 : previous);
  const cases = {
    'exit decided on the 15:19 bar (cancelled by the cutoff, sent again at 15:21)': (t: string): number =>
      t >= '15:19' ? 100_400 : t >= '15:00' ? 100_500 : 100_000,
    'exit decided on the 15:20 bar while the square-off MARKET works': (t: string): number =>
      t >= '15:20' ? 100_300 : t >= '15:00' ? 100_500 : 100_000,
  };
  for (const [name, close] of Object.entries(cases)) {
    const bars = session(DAY, close, gap);

    it(`closes the position once in the reference engine, flagging the contested exit: ${name}`, () => {
      const reference = referenceSmaCross(bars, referenceOptions(p));
      expect(reference.contested).toEqual([at('15:21')]);
      expect(reference.trades.map(line)).toEqual([
        `LONG 10 @ ${formatIst(at('15:01'))} 100500 → ${formatIst(at('15:21'))} ${close('15:20')}`,
      ]);
    });

    it(`ends the day flat in the kernel, like the reference engine: ${name}`, async () => {
      const result = await kernelRun(bars, p);
      expect(result.warnings).toEqual([]);
      expect(result.counts.fills).toBe(2);
      expect(result.counts.denials).toBe(1);
      expect(result.trades.map(line)).toEqual(referenceSmaCross(bars, referenceOptions(p)).trades.map(line));
    });
  }
});
