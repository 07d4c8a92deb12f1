import { InvariantError, SeededRandom } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { calibrateSlippage, type SlippageSample } from './calibrate-slippage.ts';

/** Returns a standard normal draw (Box–Muller) from `random`. */
function normal(random: SeededRandom): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function fill(side: 'BUY' | 'SELL', reference: number, adverse: number): number {
  return side === 'BUY' ? reference + adverse : reference - adverse;
}

describe('calibrateSlippage', () => {
  it('reports the mean adverse bps and the MAE of a hand-computed set (fixed-bps)', () => {
    const samples: SlippageSample[] = [
      { side: 'BUY', qty: 10, referencePricePaise: 10_000, fillPricePaise: 10_010 }, // +10 paise, +10 bps
      { side: 'SELL', qty: 5, referencePricePaise: 20_000, fillPricePaise: 19_960 }, // +40 paise, +20 bps
      { side: 'BUY', qty: 1, referencePricePaise: 10_000, fillPricePaise: 9_990 }, // −10 paise, −10 bps
    ];
    const c = calibrateSlippage(samples, 'fixed-bps');
    // mean bps = 20 / 3; predicted paise 6.667, 13.333, 6.667.
    expect(c.model).toBe('fixed-bps');
    expect(c.parameter).toBeCloseTo(20 / 3, 12);
    expect(c.meanBps).toBeCloseTo(20 / 3, 12);
    expect(c.samples).toBe(3);
    expect(c.skipped).toBe(0);
    // |6.667 − 10| + |6.667 − 20| + |6.667 + 10| = 33.333 bps over 3.
    expect(c.maeBps).toBeCloseTo(100 / 9, 12);
    // |6.667 − 10| + |13.333 − 40| + |6.667 + 10| = 46.667 paise over 3.
    expect(c.maePaise).toBeCloseTo(140 / 9, 12);
  });

  it('reports a zero parameter when fills were better than the reference on average', () => {
    const c = calibrateSlippage(
      [
        { side: 'BUY', qty: 1, referencePricePaise: 10_000, fillPricePaise: 9_980 },
        { side: 'SELL', qty: 1, referencePricePaise: 10_000, fillPricePaise: 10_010 },
      ],
      'fixed-bps',
    );
    expect(c.parameter).toBe(0);
    expect(c.meanBps).toBeCloseTo(-15, 12);
    expect(c.maePaise).toBeCloseTo(15, 12);
  });

  it('recovers a known bps from seeded noisy samples', () => {
    const random = new SeededRandom(42);
    const samples: SlippageSample[] = [];
    for (let i = 0; i < 5_000; i++) {
      const side = random.nextInt(2) === 0 ? 'BUY' : 'SELL';
      const reference = 50_000 + random.nextInt(200_000);
      const adverse = Math.round((reference * (7.5 + 3 * normal(random))) / 10_000);
      samples.push({
        side,
        qty: 1 + random.nextInt(500),
        referencePricePaise: reference,
        fillPricePaise: fill(side, reference, adverse),
      });
    }
    const c = calibrateSlippage(samples, 'fixed-bps');
    expect(c.parameter).toBeGreaterThan(7.3);
    expect(c.parameter).toBeLessThan(7.7);
    expect(c.samples).toBe(5_000);
  });

  it('recovers a known k from seeded samples, skipping those without a bar', () => {
    const random = new SeededRandom(7);
    const k = 0.8;
    const samples: SlippageSample[] = [];
    for (let i = 0; i < 4_000; i++) {
      const side = random.nextInt(2) === 0 ? 'BUY' : 'SELL';
      const reference = 100_000 + random.nextInt(50_000);
      const range = 100 + random.nextInt(2_000);
      const volume = 1_000 + random.nextInt(100_000);
      const qty = 1 + random.nextInt(2_000);
      const impact = k * range * Math.sqrt(qty / volume);
      const adverse = Math.round(impact * (1 + 0.2 * normal(random)));
      samples.push({
        side,
        qty,
        referencePricePaise: reference,
        fillPricePaise: fill(side, reference, adverse),
        volume,
        highPaise: reference + Math.floor(range / 2),
        lowPaise: reference + Math.floor(range / 2) - range,
      });
    }
    samples.push({ side: 'BUY', qty: 5, referencePricePaise: 100_000, fillPricePaise: 100_500 });
    samples.push({
      side: 'BUY',
      qty: 5,
      referencePricePaise: 100_000,
      fillPricePaise: 100_500,
      volume: 0,
      highPaise: 100_100,
      lowPaise: 99_900,
    });
    samples.push({
      side: 'SELL',
      qty: 5,
      referencePricePaise: 100_000,
      fillPricePaise: 99_000,
      volume: 1000,
      highPaise: null,
      lowPaise: 99_900,
    });
    const c = calibrateSlippage(samples, 'volatility-participation');
    expect(c.model).toBe('volatility-participation');
    expect(c.parameter).toBeGreaterThan(0.77);
    expect(c.parameter).toBeLessThan(0.83);
    expect(c.samples).toBe(4_000);
    expect(c.skipped).toBe(3);
  });

  it('reports the MAE of the fitted k on a hand-computed set (volatility-participation)', () => {
    // x = range × √(qty / volume): 100 × √(100 / 10 000) = 10 and 200 × √(400 / 10 000) = 40.
    // y = 12 and 36 paise; k = (10·12 + 40·36) / (10² + 40²) = 1560 / 1700.
    const samples: SlippageSample[] = [
      {
        side: 'BUY',
        qty: 100,
        referencePricePaise: 10_000,
        fillPricePaise: 10_012,
        volume: 10_000,
        highPaise: 10_050,
        lowPaise: 9_950,
      },
      {
        side: 'SELL',
        qty: 400,
        referencePricePaise: 20_000,
        fillPricePaise: 19_964,
        volume: 10_000,
        highPaise: 20_100,
        lowPaise: 19_900,
      },
    ];
    const c = calibrateSlippage(samples, 'volatility-participation');
    const k = 1560 / 1700;
    expect(c.parameter).toBeCloseTo(k, 12);
    const e1 = Math.abs(10 * k - 12);
    const e2 = Math.abs(40 * k - 36);
    expect(c.maePaise).toBeCloseTo((e1 + e2) / 2, 12);
    expect(c.maeBps).toBeCloseTo(((e1 / 10_000) * 10_000 + (e2 / 20_000) * 10_000) / 2, 12);
    expect(c.meanBps).toBeCloseTo((12 + 18) / 2, 12);
  });

  it('caps the predicted slippage at the bar range in the MAE', () => {
    // One sample far beyond its range pulls k up; the other's prediction is then capped at its range 10.
    const samples: SlippageSample[] = [
      {
        side: 'BUY',
        qty: 10_000,
        referencePricePaise: 10_000,
        fillPricePaise: 10_500,
        volume: 10_000,
        highPaise: 10_050,
        lowPaise: 9_950,
      },
      {
        side: 'BUY',
        qty: 10_000,
        referencePricePaise: 10_000,
        fillPricePaise: 10_000,
        volume: 10_000,
        highPaise: 10_005,
        lowPaise: 9_995,
      },
    ];
    const c = calibrateSlippage(samples, 'volatility-participation');
    const k = (100 * 500) / (100 * 100 + 10 * 10);
    expect(c.parameter).toBeCloseTo(k, 12);
    expect(c.maePaise).toBeCloseTo((Math.abs(100 - 500) + Math.abs(10 - 0)) / 2, 9);
  });

  it('throws when no sample is usable', () => {
    expect(() => calibrateSlippage([], 'fixed-bps')).toThrow(
      'cannot calibrate fixed-bps slippage: no samples',
    );
    expect(() => calibrateSlippage([], 'volatility-participation')).toThrow(
      'none of 0 samples has volume > 0, highPaise and lowPaise',
    );
    expect(() =>
      calibrateSlippage(
        [{ side: 'BUY', qty: 1, referencePricePaise: 100, fillPricePaise: 101 }],
        'volatility-participation',
      ),
    ).toThrow('none of 1 samples');
    expect(() =>
      calibrateSlippage(
        [
          {
            side: 'BUY',
            qty: 1,
            referencePricePaise: 100,
            fillPricePaise: 101,
            volume: 10,
            highPaise: 100,
            lowPaise: 100,
          },
        ],
        'volatility-participation',
      ),
    ).toThrow('zero range');
  });

  it('throws on a malformed sample, naming it and the value', () => {
    const ok: SlippageSample = { side: 'BUY', qty: 1, referencePricePaise: 100, fillPricePaise: 101 };
    const bad = (s: Partial<SlippageSample>) => () =>
      calibrateSlippage([ok, { ...ok, ...s } as SlippageSample], 'fixed-bps');
    expect(bad({ qty: 0 })).toThrow('slippage sample 1: qty 0 must be a positive integer');
    expect(bad({ qty: 1.5 })).toThrow('qty 1.5');
    expect(bad({ referencePricePaise: -5 })).toThrow('referencePricePaise -5');
    expect(bad({ fillPricePaise: Number.NaN })).toThrow('fillPricePaise NaN');
    expect(bad({ side: 'HOLD' as 'BUY' })).toThrow('side HOLD must be BUY or SELL');
    expect(bad({ volume: -1 })).toThrow('volume -1');
    expect(bad({ highPaise: 90, lowPaise: 95 })).toThrow('highPaise 90 is below lowPaise 95');
    expect(bad({ qty: 0 })).toThrow(InvariantError);
    expect(() => calibrateSlippage([ok], 'sqrt' as 'fixed-bps')).toThrow(
      "slippage model sqrt must be 'fixed-bps'",
    );
  });
});
