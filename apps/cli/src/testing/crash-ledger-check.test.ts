// Invariants (property tests): a ledger built consistently (each intent one broker order, each broker trade one
// of our fills) has no violation; removing any one fill is reported as that trade's lost fill; duplicating any one
// broker order is reported as that tag's duplicate order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCrashLedger,
  type BrokerOrderView,
  type BrokerTradeView,
  type CrashLedger,
  type OurFillView,
  type OurOrderView,
} from './crash-ledger-check.ts';

interface Spec {
  readonly fills: readonly number[];
  readonly status: 'COMPLETE' | 'CANCELLED' | 'REJECTED';
}

const OUR_STATUS = { COMPLETE: 'FILLED', CANCELLED: 'CANCELLED', REJECTED: 'REJECTED' } as const;

/** Builds a consistent ledger: order i has intent int_i, broker order B<i>, trades T<i>_<j>. */
function ledgerOf(specs: readonly Spec[]): CrashLedger {
  const brokerOrders: BrokerOrderView[] = [];
  const brokerTrades: BrokerTradeView[] = [];
  const ourOrders: OurOrderView[] = [];
  const ourFills: OurFillView[] = [];
  specs.forEach((spec, i) => {
    const fills = spec.status === 'REJECTED' ? [] : spec.fills;
    const filled = fills.reduce((s, q) => s + q, 0);
    brokerOrders.push({
      orderId: `B${i}`,
      tag: `KP${i}x`,
      status: spec.status,
      quantity: filled + 1,
      filledQuantity: filled,
    });
    ourOrders.push({
      clientOrderId: `ord_${i}`,
      intentId: `int_${i}x`,
      venueOrderId: `B${i}`,
      status: OUR_STATUS[spec.status],
      filledQty: filled,
    });
    fills.forEach((qty, j) => {
      brokerTrades.push({ tradeId: `T${i}_${j}`, orderId: `B${i}`, quantity: qty, pricePaise: 100 + j });
      ourFills.push({ clientOrderId: `ord_${i}`, venueTradeId: `T${i}_${j}`, qty, pricePaise: 100 + j });
    });
  });
  return { brokerOrders, brokerTrades, ourOrders, ourFills };
}

const specs = fc.array(
  fc.record({
    fills: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 4 }),
    status: fc.constantFrom('COMPLETE' as const, 'CANCELLED' as const, 'REJECTED' as const),
  }),
  { minLength: 1, maxLength: 8 },
);

describe('checkCrashLedger', () => {
  it('finds nothing wrong in a consistent ledger', () => {
    fc.assert(
      fc.property(specs, (s) => {
        expect(checkCrashLedger(ledgerOf(s)).violations).toEqual([]);
      }),
    );
  });

  it('reports a removed fill as a lost fill of its trade', () => {
    fc.assert(
      fc.property(
        specs.filter((s) => s.some((x) => x.status !== 'REJECTED')),
        fc.nat(),
        (s, pick) => {
          const ledger = ledgerOf(s);
          const index = pick % ledger.ourFills.length;
          const lost = ledger.ourFills[index];
          const verdict = checkCrashLedger({
            ...ledger,
            ourFills: ledger.ourFills.filter((_, k) => k !== index),
          });
          expect(verdict.violations).toContainEqual(
            expect.stringContaining(`lost fill: broker trade ${lost?.venueTradeId ?? '?'} `),
          );
        },
      ),
    );
  });

  it('reports a second broker order under one tag as a duplicate order', () => {
    fc.assert(
      fc.property(specs, fc.nat(), (s, pick) => {
        const ledger = ledgerOf(s);
        const original = ledger.brokerOrders[pick % ledger.brokerOrders.length];
        if (original === undefined) throw new Error('no order to duplicate');
        const verdict = checkCrashLedger({
          ...ledger,
          brokerOrders: [...ledger.brokerOrders, { ...original, orderId: 'B_dup' }],
        });
        expect(verdict.violations).toContainEqual(
          expect.stringMatching(new RegExp(`^duplicate order: tag ${original.tag ?? ''} .* B_dup$`)),
        );
      }),
    );
  });

  it('reports a duplicated fill, a phantom fill and a fill on the wrong order', () => {
    const ledger = ledgerOf([
      { fills: [10, 5], status: 'COMPLETE' },
      { fills: [3], status: 'COMPLETE' },
    ]);
    const [first, second] = ledger.ourFills;
    if (first === undefined || second === undefined) throw new Error('fixture has two fills');
    const verdict = checkCrashLedger({
      ...ledger,
      ourFills: [
        ...ledger.ourFills,
        first,
        { ...second, clientOrderId: 'ord_1' },
        { clientOrderId: 'ord_0', venueTradeId: 'T_none', qty: 1, pricePaise: 1 },
      ],
    });
    expect(verdict.violations).toEqual([
      'duplicate fill: broker trade T0_0 (order B0, 10 @ 100 paise) is 2 of our fills',
      'duplicate fill: broker trade T0_1 (order B0, 5 @ 101 paise) is 2 of our fills',
      'broker trade T0_1 (order B0, 5 @ 101 paise): our fill is on order ord_1 (venue B1)',
      'phantom fill: our fill T_none on order ord_0 (1 @ 1 paise) has no broker trade',
    ]);
  });

  it('reports status, quantity and venue id mismatches and an order unknown to us', () => {
    const ledger = ledgerOf([
      { fills: [10], status: 'COMPLETE' },
      { fills: [4], status: 'CANCELLED' },
      { fills: [2], status: 'COMPLETE' },
    ]);
    const verdict = checkCrashLedger({
      ...ledger,
      ourOrders: [
        { clientOrderId: 'ord_0', intentId: 'int_0x', venueOrderId: 'B0', status: 'OPEN', filledQty: 10 },
        { clientOrderId: 'ord_1', intentId: 'int_1x', venueOrderId: 'B9', status: 'CANCELLED', filledQty: 3 },
      ],
      ourFills: ledger.ourFills.filter((f) => f.clientOrderId !== 'ord_2'),
    });
    expect(verdict.violations).toEqual([
      'order ord_0 (intent int_0x, broker B0): status OPEN, the broker says COMPLETE',
      'order ord_1 (intent int_1x, broker B1): stored venue order id B9 is not B1',
      'order ord_1 (intent int_1x, broker B1): filled 3, the broker filled 4',
      'unknown order: broker order B2 (tag KP2x, COMPLETE, filled 2) has no stored order for intent int_2x',
      'broker trade T1_0 (order B1, 4 @ 100 paise): our fill is on order ord_1 (venue B9)',
      'lost fill: broker trade T2_0 (order B2, 2 @ 100 paise) is not among our fills',
    ]);
  });

  it('accepts an unsent order only when it is terminal and unfilled, and ignores orders without our tag', () => {
    const ledger = ledgerOf([{ fills: [1], status: 'COMPLETE' }]);
    const unsent = (status: string, filledQty = 0): OurOrderView => ({
      clientOrderId: `ord_${status}`,
      intentId: `int_${status.replace('_', '')}`,
      venueOrderId: null,
      status,
      filledQty,
    });
    const verdict = checkCrashLedger({
      ...ledger,
      brokerOrders: [
        ...ledger.brokerOrders,
        { orderId: 'X1', tag: 'manual', status: 'COMPLETE', quantity: 1, filledQuantity: 1 },
      ],
      brokerTrades: [...ledger.brokerTrades, { tradeId: 'TX', orderId: 'X1', quantity: 1, pricePaise: 5 }],
      ourOrders: [...ledger.ourOrders, unsent('REJECTED'), unsent('SUBMITTED'), unsent('FILLED', 2)],
    });
    expect(verdict.violations).toEqual([
      'order ord_SUBMITTED (intent int_SUBMITTED) never reached the broker but is stuck in SUBMITTED',
      'order ord_FILLED (intent int_FILLED) never reached the broker but shows FILLED with 2 filled',
    ]);
    expect(verdict.summary).toEqual({
      brokerOrdersOfOurs: 1,
      brokerTradesOfOurs: 1,
      ourOrders: 4,
      ourFills: 1,
      ourOrdersNeverAtBroker: 3,
    });
  });
});
