/**
 * Order state machine tests.
 * Property invariants (random event sequences, illegal events skipped):
 * - a terminal state (FILLED, CANCELLED, REJECTED, EXPIRED) never changes;
 * - filledQty never decreases and never exceeds qty;
 * - filledQty + cancelledQty ≤ qty;
 * - applying the same event twice equals applying it once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, InvariantError, UnknownVenueStatusError } from './errors.ts';
import { parseVenueOrderId, parseVenueTradeId } from './ids.ts';
import { paise } from './money.ts';
import type { OrderEvent, OrderVenueStatusEvent } from './order-event.ts';
import { isTerminalStatus, ORDER_STATUSES } from './order-status.ts';
import {
  applyOrderEvent,
  applyOrderEvents,
  KITE_STATUS_EVENTS,
  ORDER_TRANSITIONS,
  type KiteOrderStatus,
} from './order-state-machine.ts';
import type { Order } from './order.ts';
import { anOrder, BUILDER_TS } from './testing.ts';

const VOID = parseVenueOrderId('250101000000001');
let seq = 0;
const t = () => BUILDER_TS + ++seq;

function venue(status: string, extra: Partial<OrderVenueStatusEvent> = {}): OrderVenueStatusEvent {
  return {
    type: 'venue-status',
    id: `v-${status}-${++seq}`,
    ts: t(),
    status,
    venueOrderId: VOID,
    filledQty: null,
    cancelledQty: null,
    message: null,
    amendment: null,
    ...extra,
  };
}
const submit = (): OrderEvent => ({ type: 'submit', id: `s-${++seq}`, ts: t(), venueOrderId: VOID });
const fill = (qty: number, price: number): OrderEvent => ({
  type: 'fill',
  id: `f-${++seq}`,
  ts: t(),
  venueTradeId: parseVenueTradeId(`T${seq}`),
  qty,
  pricePaise: paise(price),
});

const ALL_KITE_STATUSES: KiteOrderStatus[] = [
  'PUT ORDER REQ RECEIVED',
  'VALIDATION PENDING',
  'OPEN PENDING',
  'OPEN',
  'MODIFY VALIDATION PENDING',
  'MODIFY PENDING',
  'MODIFIED',
  'TRIGGER PENDING',
  'CANCEL PENDING',
  'AMO REQ RECEIVED',
  'COMPLETE',
  'CANCELLED',
  'REJECTED',
  'UPDATE',
  'CANCELLED AMO',
  'LAPSED',
];

describe('ORDER_TRANSITIONS', () => {
  it('maps every Kite status of kite-connect.md §7 to an event kind', () => {
    expect(Object.keys(KITE_STATUS_EVENTS).sort()).toEqual([...ALL_KITE_STATUSES].sort());
  });

  it('has a row for every state and lets terminal states reach only themselves', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const s of ORDER_STATUSES.filter(isTerminalStatus)) {
      for (const target of Object.values(ORDER_TRANSITIONS[s])) expect([s, 'ignore']).toContain(target);
    }
  });
});

describe('applyOrderEvent', () => {
  it('follows the mock history through a modification to COMPLETE', () => {
    const o = applyOrderEvents(anOrder({ qty: 10 }), [
      submit(),
      venue('PUT ORDER REQ RECEIVED'),
      venue('VALIDATION PENDING'),
      venue('OPEN PENDING'),
      venue('OPEN'),
      { type: 'modify-request', id: 'm1', ts: t() },
      venue('MODIFY VALIDATION PENDING'),
      venue('MODIFY PENDING'),
      venue('MODIFIED', { amendment: { qty: 10, limitPricePaise: paise(157400), triggerPricePaise: null } }),
      venue('OPEN'),
      fill(10, 157400),
      venue('COMPLETE', { filledQty: 10 }),
    ]);
    expect(o.status).toBe('FILLED');
    expect(o.venueStatus).toBe('COMPLETE');
    expect(o.limitPricePaise).toBe(157400);
    expect(o.filledQty).toBe(10);
    expect(o.filledValuePaise).toBe(1_574_000);
    expect(o.venueOrderId).toBe(VOID);
  });

  it('passes through the intermediate states of the mock history', () => {
    let o = anOrder();
    const seen: string[] = [];
    for (const e of [
      submit(),
      venue('PUT ORDER REQ RECEIVED'),
      venue('OPEN'),
      venue('MODIFY PENDING'),
      venue('MODIFIED'),
    ]) {
      o = applyOrderEvent(o, e);
      seen.push(o.status);
    }
    expect(seen).toEqual(['SUBMITTED', 'ACCEPTED', 'OPEN', 'PENDING_MODIFY', 'OPEN']);
  });

  it('records a partial fill then a cancel with the unfilled remainder', () => {
    let o = applyOrderEvents(anOrder({ qty: 65 }), [submit(), venue('OPEN'), fill(25, 2_600_000)]);
    expect(o.status).toBe('PARTIALLY_FILLED');
    o = applyOrderEvent(o, { type: 'cancel-request', id: 'c1', ts: t() });
    expect(o.status).toBe('PENDING_CANCEL');
    o = applyOrderEvents(o, [
      venue('CANCEL PENDING'),
      venue('CANCELLED', { filledQty: 25, cancelledQty: 40 }),
    ]);
    expect(o.status).toBe('CANCELLED');
    expect([o.filledQty, o.cancelledQty]).toEqual([25, 40]);
  });

  it('applies a modification confirmed while a cancel is in flight, so fills up to the new quantity fit', () => {
    let o = applyOrderEvents(anOrder({ qty: 65 }), [submit(), venue('OPEN')]);
    o = applyOrderEvent(o, { type: 'modify-request', id: 'm1', ts: t() });
    o = applyOrderEvent(o, { type: 'cancel-request', id: 'c2', ts: t() });
    expect(o.status).toBe('PENDING_CANCEL');
    o = applyOrderEvent(
      o,
      venue('MODIFIED', {
        amendment: { qty: 130, limitPricePaise: o.limitPricePaise, triggerPricePaise: null },
      }),
    );
    expect([o.status, o.qty]).toEqual(['PENDING_CANCEL', 130]);
    o = applyOrderEvents(o, [fill(100, 2_600_000), venue('CANCELLED', { filledQty: 100, cancelledQty: 30 })]);
    expect([o.status, o.filledQty, o.cancelledQty]).toEqual(['CANCELLED', 100, 30]);
  });

  it('sizes the cancelled remainder from the venue filled quantity when cancelledQty is absent', () => {
    let o = applyOrderEvents(anOrder({ qty: 65 }), [
      submit(),
      venue('OPEN'),
      venue('CANCELLED', { filledQty: 25 }),
    ]);
    expect(o.cancelledQty).toBe(40);
    o = applyOrderEvent(o, fill(25, 2_600_000)); // the trade report arrives after the cancellation
    expect([o.status, o.filledQty]).toEqual(['CANCELLED', 25]);
    expect(() => applyOrderEvent(o, fill(1, 2_600_000))).toThrow(/exceeds quantity 65/);
  });

  it('takes an SL order through TRIGGER PENDING to a fill', () => {
    const o = applyOrderEvents(
      anOrder({
        orderType: 'SL',
        limitPricePaise: paise(150000),
        triggerPricePaise: paise(150100),
        side: 'SELL',
      }),
      [
        submit(),
        venue('VALIDATION PENDING'),
        venue('TRIGGER PENDING'),
        venue('OPEN'),
        fill(1, 150000),
        venue('COMPLETE'),
      ],
    );
    expect(o.status).toBe('FILLED');
  });

  it('stays TRIGGER_PENDING until the trigger fires', () => {
    const o = applyOrderEvents(
      anOrder({ orderType: 'SL-M', limitPricePaise: null, triggerPricePaise: paise(150100) }),
      [submit(), venue('TRIGGER PENDING')],
    );
    expect(o.status).toBe('TRIGGER_PENDING');
  });

  it('records a rejection with its message', () => {
    const o = applyOrderEvents(anOrder({ qty: 3 }), [
      submit(),
      venue('PUT ORDER REQ RECEIVED'),
      venue('REJECTED', { message: 'Insufficient funds' }),
    ]);
    expect(o.status).toBe('REJECTED');
    expect(o.statusMessage).toBe('Insufficient funds');
    expect(o.cancelledQty).toBe(3);
  });

  it('rejects an order whose placement request failed', () => {
    const o = applyOrderEvent(anOrder(), {
      type: 'submit-failed',
      id: 'x',
      ts: t(),
      reason: 'InputException',
    });
    expect([o.status, o.statusMessage]).toEqual(['REJECTED', 'InputException']);
  });

  it('ignores a late OPEN after COMPLETE instead of regressing', () => {
    const done = applyOrderEvents(anOrder(), [submit(), venue('COMPLETE'), fill(1, 157370)]);
    const late = applyOrderEvent(done, venue('OPEN'));
    expect(late.status).toBe('FILLED');
    expect(late.venueStatus).toBe('COMPLETE');
    expect(late.appliedEventIds.length).toBe(done.appliedEventIds.length + 1);
  });

  it('throws with the value on an unknown Kite status', () => {
    const o = applyOrderEvent(anOrder(), submit());
    expect(() => applyOrderEvent(o, venue('PARKED'))).toThrow(UnknownVenueStatusError);
    expect(() => applyOrderEvent(o, venue('PARKED'))).toThrow(/"PARKED"/);
  });

  it('throws IllegalTransitionError for CANCELLED after COMPLETE and for a second submit', () => {
    const done = applyOrderEvents(anOrder(), [submit(), venue('COMPLETE')]);
    expect(() => applyOrderEvent(done, venue('CANCELLED'))).toThrow(IllegalTransitionError);
    const sent = applyOrderEvent(anOrder(), submit());
    expect(() => applyOrderEvent(sent, submit())).toThrow(/submit is not allowed in state SUBMITTED/);
    expect(() => applyOrderEvent(anOrder(), venue('OPEN'))).toThrow(/not allowed in state INITIALIZED/);
  });

  it('returns the same order when an event id repeats', () => {
    const e = fill(1, 157370);
    const once = applyOrderEvents(anOrder({ qty: 2 }), [submit(), venue('OPEN'), e]);
    expect(applyOrderEvent(once, e)).toBe(once);
    expect(once.filledQty).toBe(1);
  });

  it('refuses a different venue order id', () => {
    const o = applyOrderEvent(anOrder(), submit());
    expect(() => applyOrderEvent(o, venue('OPEN', { venueOrderId: parseVenueOrderId('999') }))).toThrow(
      InvariantError,
    );
  });
});

const STATUS_POOL: string[] = [...ALL_KITE_STATUSES];

const eventArb = (qty: number): fc.Arbitrary<OrderEvent> =>
  fc.oneof(
    fc.constant<OrderEvent>({ type: 'submit', id: '', ts: 0, venueOrderId: VOID }),
    fc.constant<OrderEvent>({ type: 'submit-uncertain', id: '', ts: 0, reason: 'timeout' }),
    fc.constant<OrderEvent>({ type: 'submit-failed', id: '', ts: 0, reason: 'refused' }),
    fc.constant<OrderEvent>({ type: 'modify-request', id: '', ts: 0 }),
    fc.constant<OrderEvent>({ type: 'cancel-request', id: '', ts: 0 }),
    fc
      .record({
        status: fc.constantFrom(...STATUS_POOL),
        filledQty: fc.option(fc.integer({ min: 0, max: qty })),
        cancelledQty: fc.option(fc.integer({ min: 0, max: qty })),
      })
      .map((r): OrderEvent => ({ ...venue(r.status), ...r, id: '', ts: 0 })),
    fc
      .record({ q: fc.integer({ min: 1, max: qty }), p: fc.integer({ min: 1, max: 10_000_00 }) })
      .map((r): OrderEvent => ({ ...fill(r.q, r.p), id: '', ts: 0 })),
  );

describe('applyOrderEvent (properties)', () => {
  it('keeps terminal states, monotone bounded fills, filled + cancelled ≤ qty, and idempotence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }).chain((qty) =>
          fc.tuple(
            fc.constant(qty),
            // Each step is a new event or (null) a repeat of an earlier one.
            fc.array(fc.tuple(fc.option(eventArb(qty), { freq: 4 }), fc.nat()), {
              minLength: 1,
              maxLength: 30,
            }),
          ),
        ),
        ([qty, steps]) => {
          const seen: OrderEvent[] = [{ type: 'submit', id: 'e-submit', ts: BUILDER_TS, venueOrderId: VOID }];
          let o: Order = applyOrderEvent(anOrder({ qty }), seen[0]!);
          for (const [fresh, pick] of steps) {
            const e =
              fresh === null
                ? seen[pick % seen.length]!
                : { ...fresh, id: `e${seen.length}`, ts: BUILDER_TS + seen.length };
            if (fresh !== null) seen.push(e);
            let next: Order;
            try {
              next = applyOrderEvent(o, e);
            } catch (error) {
              if (error instanceof InvariantError) continue; // not allowed in this state: skipped
              throw error;
            }
            if (isTerminalStatus(o.status)) expect(next.status).toBe(o.status);
            expect(next.filledQty).toBeGreaterThanOrEqual(o.filledQty);
            expect(next.filledQty).toBeLessThanOrEqual(qty);
            expect(next.filledQty + next.cancelledQty).toBeLessThanOrEqual(next.qty);
            expect(applyOrderEvent(next, e)).toEqual(next);
            o = next;
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
