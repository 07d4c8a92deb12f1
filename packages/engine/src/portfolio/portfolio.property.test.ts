// Invariants:
// 1. The realised P&L of a round trip (long: buys then sells; short: sells then buys; flat at the end) is exactly
//    Σ sell value − Σ buy value, whatever the order of the fills within each leg and however each fill is split.
// 2. The charges of the fills sum to the contract note, and splitting an order's fills does not change them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  aFill,
  anInstrument,
  BUILDER_TS,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseVenueTradeId,
  paise,
  TestClock,
  type Fill,
  type Side,
} from '@kitepilot/core';
import { Portfolio } from './portfolio.ts';
import { cappedFeeModel } from './portfolio-test-kit.ts';

const RELIANCE = anInstrument();

interface Leg {
  readonly qty: number;
  readonly pricePaise: number;
}

const legs = fc.array(
  fc.record({ qty: fc.integer({ min: 1, max: 500 }), pricePaise: fc.integer({ min: 1, max: 5_000_000 }) }),
  {
    minLength: 1,
    maxLength: 6,
  },
);

/** Splits each leg into 1..n pieces of the same price (deterministic from the seeds). */
function split(legsIn: readonly Leg[], seeds: readonly number[]): Leg[] {
  const out: Leg[] = [];
  legsIn.forEach((leg, i) => {
    const parts = Math.min(leg.qty, 1 + ((seeds[i % Math.max(1, seeds.length)] ?? 0) % 4));
    let left = leg.qty;
    for (let p = parts; p > 1; p--) {
      const q = Math.max(1, Math.floor(left / p));
      out.push({ qty: q, pricePaise: leg.pricePaise });
      left -= q;
    }
    out.push({ qty: left, pricePaise: leg.pricePaise });
  });
  return out;
}

/** Returns sell legs with the same total quantity as `total`, priced from `prices`. */
function closing(total: number, prices: readonly number[]): Leg[] {
  const out: Leg[] = [];
  let left = total;
  let i = 0;
  while (left > 0) {
    const q = i === prices.length - 1 ? left : Math.max(1, Math.ceil(left / 2));
    out.push({ qty: Math.min(q, left), pricePaise: prices[i % prices.length] ?? 100 });
    left -= Math.min(q, left);
    i++;
  }
  return out;
}

function run(
  open: readonly Leg[],
  close: readonly Leg[],
  openSide: Side,
): { realised: number; charges: number } {
  const fees = cappedFeeModel();
  const p = new Portfolio({
    accountId: parseAccountId('acc_test'),
    clock: new TestClock(BUILDER_TS),
    instrument: () => RELIANCE,
    feeModel: fees,
  });
  let n = 0;
  const closeSide: Side = openSide === 'BUY' ? 'SELL' : 'BUY';
  let charges = 0;
  const apply = (leg: Leg, side: Side): void => {
    n++;
    const f: Fill = aFill({
      id: parseFillId(`fil_${n}`),
      venueTradeId: parseVenueTradeId(`T${n}`),
      clientOrderId: parseClientOrderId(side === openSide ? 'ord_open' : 'ord_close'),
      side,
      qty: leg.qty,
      pricePaise: paise(leg.pricePaise),
    });
    charges += p.applyFill(f).chargesPaise;
  };
  for (const leg of open) apply(leg, openSide);
  for (const leg of close) apply(leg, closeSide);
  expect(p.position(RELIANCE.id, 'MIS')?.netQty).toBe(0);
  expect(charges).toBe(p.chargesTodayPaise());
  return { realised: p.realisedTodayPaise(), charges };
}

const value = (ls: readonly Leg[]): number => ls.reduce((v, l) => v + l.qty * l.pricePaise, 0);

describe('Portfolio round trips', () => {
  it('realise Σ sells − Σ buys however the fills are ordered and split', () => {
    fc.assert(
      fc.property(
        legs,
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<Side>('BUY', 'SELL'),
        (open, closePrices, seeds, side) => {
          const total = open.reduce((q, l) => q + l.qty, 0);
          const close = closing(total, closePrices);
          const expected = side === 'BUY' ? value(close) - value(open) : value(open) - value(close);
          const whole = run(open, close, side);
          const pieces = run(split([...open].reverse(), seeds), split(close, [...seeds].reverse()), side);
          expect(whole.realised).toBe(expected);
          expect(pieces.realised).toBe(expected);
          expect(pieces.charges).toBe(whole.charges);
        },
      ),
      { numRuns: 200 },
    );
  });
});
