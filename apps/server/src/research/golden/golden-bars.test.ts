// The fixture generator: deterministic, valid bars (low ≤ open, close ≤ high on the tick grid, full sessions), and
// the golden fixture's days are all NSE trading days.
// Property (fast-check): for any seed, dates and step override, every bar is on the tick grid, aligned, inside its
// session, ascending, and the same options give the same bars.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { istDate, istTime, NseCalendar } from '@kitepilot/core';
import { barsToCsv, FixtureRandom, goldenBars, sha256Hex, weekdaysFrom } from './golden-bars.ts';
import { GOLDEN_FIXTURE, GOLDEN_INSTRUMENT } from './golden-cases.ts';

describe('FixtureRandom', () => {
  it('repeats its sequence for a seed and differs for another', () => {
    const take = (seed: number): number[] => {
      const r = new FixtureRandom(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(take(21)).toEqual(take(21));
    expect(take(21)).not.toEqual(take(22));
  });

  it('keeps int() inside its bounds and refuses reversed or fractional bounds', () => {
    const r = new FixtureRandom(1);
    for (let i = 0; i < 1_000; i++) {
      const v = r.int(-3, 4);
      expect(v >= -3 && v <= 4 && Number.isInteger(v)).toBe(true);
    }
    expect(() => r.int(5, 4)).toThrow(RangeError);
    expect(() => r.int(0.5, 4)).toThrow(RangeError);
  });
});

describe('weekdaysFrom', () => {
  it('lists weekdays from a date, skipping the given ones', () => {
    expect(weekdaysFrom('2025-01-03', 3)).toEqual(['2025-01-03', '2025-01-06', '2025-01-07']);
    expect(weekdaysFrom('2025-01-03', 2, ['2025-01-06'])).toEqual(['2025-01-03', '2025-01-07']);
    expect(weekdaysFrom('2025-01-03', 0)).toEqual([]);
  });

  it('refuses a malformed date or a negative count', () => {
    expect(() => weekdaysFrom('03/01/2025', 1)).toThrow(RangeError);
    expect(() => weekdaysFrom('2025-01-03', -1)).toThrow(RangeError);
  });
});

describe('goldenBars', () => {
  it('makes the golden fixture: 20 NSE trading days of full sessions, under 1 MB as CSV', () => {
    const calendar = new NseCalendar();
    expect(GOLDEN_FIXTURE.dates).toHaveLength(20);
    expect(GOLDEN_FIXTURE.dates.filter((d) => !calendar.isTradingDay(d))).toEqual([]);
    const bars = goldenBars(GOLDEN_FIXTURE);
    expect(bars).toHaveLength(20 * 375);
    expect(istTime(bars[0]!.start)).toBe('09:15:00');
    expect(istTime(bars.at(-1)!.start)).toBe('15:29:00');
    expect(barsToCsv(bars).length).toBeLessThan(1_000_000);
  });

  it('writes CSV rows of the IST bar start and rupees with two decimals', () => {
    const [bar] = goldenBars({ ...GOLDEN_FIXTURE, dates: ['2025-01-01'] });
    const csv = barsToCsv([bar!]);
    const o = bar!.openPaise;
    expect(csv.split('\n')[0]).toBe('datetime,open,high,low,close,volume');
    expect(csv.split('\n')[1]).toMatch(
      new RegExp(`^2025-01-01 09:15:00,${Math.floor(o / 100)}\\.${String(o % 100).padStart(2, '0')},`),
    );
    expect(sha256Hex(csv)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a start price off the tick grid, dates that do not ascend and a negative step', () => {
    const base = {
      instrumentId: GOLDEN_INSTRUMENT,
      seed: 1,
      dates: ['2025-01-01'],
      startPricePaise: 100_000,
    };
    expect(() => goldenBars({ ...base, startPricePaise: 100_003 })).toThrow(/multiple of the tick/);
    expect(() => goldenBars({ ...base, dates: ['2025-01-02', '2025-01-01'] })).toThrow(/must ascend/);
    expect(() => goldenBars({ ...base, halfStepTicks: -1 })).toThrow(/halfStepTicks/);
  });

  it('makes valid, repeatable bars for any seed (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        fc.constantFrom(5, 10),
        (seed, days, halfStepTicks, tick) => {
          const options = {
            instrumentId: GOLDEN_INSTRUMENT,
            seed,
            dates: weekdaysFrom('2025-02-03', days),
            startPricePaise: 100_000,
            tickPaise: tick,
            ...(halfStepTicks === undefined ? {} : { halfStepTicks }),
          };
          const bars = goldenBars(options);
          expect(bars).toHaveLength(days * 375);
          const problems: string[] = [];
          for (const [i, b] of bars.entries()) {
            const prices = [b.openPaise, b.highPaise, b.lowPaise, b.closePaise];
            if (prices.some((p) => p <= 0 || p % tick !== 0))
              problems.push(`${i}: prices ${prices.join(' ')}`);
            if (
              b.lowPaise > Math.min(b.openPaise, b.closePaise) ||
              b.highPaise < Math.max(b.openPaise, b.closePaise)
            ) {
              problems.push(`${i}: low/high outside open/close`);
            }
            const time = istTime(b.start);
            if (time < '09:15:00' || time > '15:29:00') problems.push(`${i}: starts at ${time}`);
            if (i > 0 && b.start <= bars[i - 1]!.start) problems.push(`${i}: not after the previous bar`);
          }
          expect(problems).toEqual([]);
          expect(new Set(bars.map((b) => istDate(b.start)))).toEqual(new Set(options.dates));
          expect(goldenBars(options)).toEqual(bars);
        },
      ),
      { numRuns: 30 },
    );
  });
});
