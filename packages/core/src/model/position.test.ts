/**
 * Position tests.
 * Property invariants: the realised P&L of a round trip (net back to zero) equals Σ sell value −
 * Σ buy value whatever the split of the fills; realised + unrealised at any mark equals
 * Σ sell value − Σ buy value + netQty × mark.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paise } from './money.ts';
import { applyFill, averageOpenPricePaise, flatPosition, unrealisedPnlPaise } from './position.ts';
import { aFill, anIntent } from './testing.ts';

const { accountId, instrumentId } = anIntent();
const flat = () => flatPosition(accountId, instrumentId, 'MIS', 0);
const buy = (qty: number, price: number) => aFill({ side: 'BUY', qty, pricePaise: paise(price) });
const sell = (qty: number, price: number) => aFill({ side: 'SELL', qty, pricePaise: paise(price) });

describe('applyFill', () => {
  it('averages entries and realises exits', () => {
    let p = applyFill(flat(), buy(65, 2_600_000));
    p = applyFill(p, buy(65, 2_601_000));
    expect(averageOpenPricePaise(p)).toBe(2_600_500);
    p = applyFill(p, sell(65, 2_610_000));
    expect(p.netQty).toBe(65);
    expect(p.realisedPnlPaise).toBe(65 * 9_500);
    expect(unrealisedPnlPaise(p, paise(2_600_500))).toBe(0);
  });

  it('flips through zero: closes the long and opens a short at the fill price', () => {
    let p = applyFill(flat(), buy(10, 1000));
    p = applyFill(p, sell(15, 1100));
    expect([p.netQty, p.realisedPnlPaise, p.costBasisPaise]).toEqual([-5, 1000, -5500]);
    expect(unrealisedPnlPaise(p, paise(1000))).toBe(500);
    p = applyFill(p, buy(5, 1200));
    expect([p.netQty, p.realisedPnlPaise, p.costBasisPaise]).toEqual([0, 1000 - 500, 0]);
  });

  it('refuses a fill for another product or instrument', () => {
    expect(() => applyFill(flat(), aFill({ product: 'CNC' }))).toThrow(/product CNC/);
  });
});

/** Splits `qty` into 1..4 positive parts using `cuts`. */
function split(qty: number, cuts: number[]): number[] {
  const points = [...new Set(cuts.map((c) => 1 + (c % Math.max(1, qty - 1))))]
    .filter((c) => c < qty)
    .sort((a, b) => a - b);
  const parts: number[] = [];
  let last = 0;
  for (const c of points) {
    parts.push(c - last);
    last = c;
  }
  parts.push(qty - last);
  return parts;
}

describe('applyFill (properties)', () => {
  it('realises the same P&L on a round trip however the fills are split', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.boolean(),
        (qty, buyPrices, sellPrices, buyCuts, sellCuts, shortFirst) => {
          const buys = split(qty, buyCuts).map((q, i) => buy(q, buyPrices[i % buyPrices.length]!));
          const sells = split(qty, sellCuts).map((q, i) => sell(q, sellPrices[i % sellPrices.length]!));
          const fills = shortFirst ? [...sells, ...buys] : [...buys, ...sells];
          let p = flat();
          let cash = 0;
          for (const f of fills) {
            p = applyFill(p, f);
            cash += (f.side === 'SELL' ? 1 : -1) * f.qty * f.pricePaise;
            expect(p.realisedPnlPaise + unrealisedPnlPaise(p, paise(1234))).toBe(cash + p.netQty * 1234);
          }
          expect(p.netQty).toBe(0);
          expect(p.realisedPnlPaise).toBe(cash);
          // Splitting every fill once more leaves the result unchanged.
          let finer = flat();
          for (const f of fills) {
            const first = Math.ceil(f.qty / 2);
            finer = applyFill(finer, aFill({ ...f, qty: first }));
            if (f.qty > first) finer = applyFill(finer, aFill({ ...f, qty: f.qty - first }));
          }
          expect(finer.realisedPnlPaise).toBe(p.realisedPnlPaise);
        },
      ),
    );
  });
});
