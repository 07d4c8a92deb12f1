// Property tests of the charges computation. Invariants, for any contract note of the bundled tables:
// 1. total = brokerage + STT + exchange + SEBI + stamp + GST + DP;
// 2. every component is ≥ 0 and a safe integer number of paise;
// 3. charges are monotone in quantity: a round trip of more units costs at least as much in every component;
// 4. splitting one order's fills into more trades changes nothing (brokerage is per executed order), and grouping
//    core Fills by client order id gives the same charges as building the orders directly.
import {
  aFill,
  asInstrumentId,
  NseCalendar,
  paise,
  parseClientOrderId,
  parseFillId,
  type ChargeSegment,
  type ExecutedOrder,
  type Exchange,
  type Fill,
  type Side,
} from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractNoteCharges, type ContractNoteCharges } from './contract-note-charges.ts';
import { executedOrder, executedOrdersFromFills, type OrderFill } from './executed-order.ts';
import { roundTripCharges } from './round-trip.ts';
import { ZERODHA_RATE_TABLES } from './zerodha-rate-tables.ts';

const COMPONENTS = [
  'brokeragePaise',
  'sttPaise',
  'exchangePaise',
  'sebiPaise',
  'stampPaise',
  'gstPaise',
  'dpPaise',
] as const;
const DATES = [
  '2024-10-01',
  '2025-06-16',
  '2026-02-27',
  '2026-03-02',
  '2026-03-30',
  '2026-04-01',
  '2026-11-20',
];
const SYMBOLS = ['INFY', 'TCS', 'SENSEX26NOV80000CE', 'RELIANCE26NOV1500CE'];
const SEGMENTS: readonly ChargeSegment[] = ['equity-intraday', 'equity-delivery', 'futures', 'options'];

const fillArb: fc.Arbitrary<OrderFill> = fc.record({
  qty: fc.integer({ min: 1, max: 5_000 }),
  pricePaise: fc.integer({ min: 5, max: 5_000_000 }).map(paise),
});
const orderSpecArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  fills: fc.array(fillArb, { minLength: 1, maxLength: 5 }),
});
const noteArb = fc.record({
  segment: fc.constantFrom(...SEGMENTS),
  market: fc.constantFrom<'NSE' | 'BSE'>('NSE', 'BSE'),
  tradeDate: fc.constantFrom(...DATES),
  orders: fc.array(orderSpecArb, { minLength: 0, maxLength: 6 }),
});
type NoteSpec = typeof noteArb extends fc.Arbitrary<infer T> ? T : never;

function exchangeOf(spec: NoteSpec): Exchange {
  if (spec.segment === 'equity-intraday' || spec.segment === 'equity-delivery') return spec.market;
  return spec.market === 'NSE' ? 'NFO' : 'BFO';
}

function charge(spec: NoteSpec, orders: readonly ExecutedOrder[]): ContractNoteCharges {
  return contractNoteCharges(
    { segment: spec.segment, exchange: exchangeOf(spec), tradeDate: spec.tradeDate, orders },
    ZERODHA_RATE_TABLES,
  );
}

function ordersOf(spec: NoteSpec): ExecutedOrder[] {
  const ex = exchangeOf(spec);
  return spec.orders.map((o) => executedOrder(asInstrumentId(`${o.symbol}.${ex}`), o.side, o.fills));
}

describe('charges properties', () => {
  it('total is the sum of the components, each a non-negative safe integer', () => {
    fc.assert(
      fc.property(noteArb, (spec) => {
        const c = charge(spec, ordersOf(spec));
        let sum = 0;
        for (const k of COMPONENTS) {
          expect(Number.isSafeInteger(c[k])).toBe(true);
          expect(c[k]).toBeGreaterThanOrEqual(0);
          sum += c[k];
        }
        expect(c.totalPaise).toBe(sum);
      }),
      { numRuns: 300 },
    );
  });

  it('splitting one order’s fills into more trades does not change the charges', () => {
    fc.assert(
      fc.property(
        noteArb.filter((s) => s.orders.length > 0),
        fc.nat(),
        fc.nat(),
        (spec, which, cut) => {
          const index = which % spec.orders.length;
          const target = spec.orders[index]!;
          const fillIndex = cut % target.fills.length;
          const fill = target.fills[fillIndex]!;
          fc.pre(fill.qty > 1);
          const first = 1 + (cut % (fill.qty - 1));
          const split = [
            ...target.fills.slice(0, fillIndex),
            { qty: first, pricePaise: fill.pricePaise },
            { qty: fill.qty - first, pricePaise: fill.pricePaise },
            ...target.fills.slice(fillIndex + 1),
          ];
          const splitSpec = {
            ...spec,
            orders: spec.orders.map((o, i) => (i === index ? { ...o, fills: split } : o)),
          };
          expect(charge(splitSpec, ordersOf(splitSpec))).toEqual(charge(spec, ordersOf(spec)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('core Fills grouped by client order id give the same charges as the orders built directly', () => {
    fc.assert(
      fc.property(noteArb, (spec) => {
        const ex = exchangeOf(spec);
        const fills: Fill[] = [];
        spec.orders.forEach((o, i) =>
          o.fills.forEach((f, j) =>
            fills.push(
              aFill({
                id: parseFillId(`fil_${i}x${j}`),
                clientOrderId: parseClientOrderId(`ord_${i}`),
                instrumentId: asInstrumentId(`${o.symbol}.${ex}`),
                side: o.side,
                qty: f.qty,
                pricePaise: f.pricePaise,
              }),
            ),
          ),
        );
        // Interleave the fills of different orders, as a broker's trade feed does.
        fills.sort((a, b) => a.id.length - b.id.length || a.id.localeCompare(b.id));
        expect(charge(spec, executedOrdersFromFills(fills))).toEqual(charge(spec, ordersOf(spec)));
      }),
      { numRuns: 200 },
    );
  });

  it('a round trip of more units costs at least as much in every component', () => {
    const calendar = new NseCalendar();
    const tripArb = fc.record({
      segment: fc.constantFrom(...SEGMENTS),
      exchange: fc.constantFrom<'NSE' | 'BSE'>('NSE', 'BSE'),
      date: fc.constantFrom('2025-06-16', '2026-02-27', '2026-03-30', '2026-11-20'),
      qty: fc.integer({ min: 1, max: 10_000 }),
      more: fc.integer({ min: 1, max: 10_000 }),
      buyPricePaise: fc.integer({ min: 5, max: 1_000_000 }).map(paise),
      sellPricePaise: fc.integer({ min: 5, max: 1_000_000 }).map(paise),
      optionsClass: fc.constantFrom<'sensex-bankex' | 'other'>('sensex-bankex', 'other'),
    });
    fc.assert(
      fc.property(tripArb, ({ more, ...trip }) => {
        const small = roundTripCharges(trip, ZERODHA_RATE_TABLES, calendar);
        const large = roundTripCharges({ ...trip, qty: trip.qty + more }, ZERODHA_RATE_TABLES, calendar);
        for (const k of [...COMPONENTS, 'totalPaise'] as const)
          expect(large[k]).toBeGreaterThanOrEqual(small[k]);
      }),
      { numRuns: 300 },
    );
  });
});
