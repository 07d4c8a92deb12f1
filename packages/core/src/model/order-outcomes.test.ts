import { describe, expect, it } from 'vitest';
import { parseFillId, parseVenueOrderId, parseVenueTradeId } from './ids.ts';
import { paise } from './money.ts';
import type { OrderEvent } from './order-event.ts';
import { orderOutcomes } from './order-outcomes.ts';
import { applyOrderEvent } from './order-state-machine.ts';
import type { Order } from './order.ts';
import { anOrder, BUILDER_TS } from './testing.ts';

const VOID = parseVenueOrderId('250101000000001');
let n = 0;
const ctx = { tsEvent: BUILDER_TS, tsInit: BUILDER_TS, newFillId: () => parseFillId(`fil_${++n}`) };
const venue = (status: string, extra: object = {}): OrderEvent => ({
  type: 'venue-status',
  id: `v${++n}`,
  ts: BUILDER_TS,
  status,
  venueOrderId: VOID,
  filledQty: null,
  cancelledQty: null,
  message: null,
  amendment: null,
  ...extra,
});

/** Applies the updates and returns the event types each step produced. */
function run(order: Order, updates: OrderEvent[]): string[][] {
  const types: string[][] = [];
  for (const u of updates) {
    const next = applyOrderEvent(order, u);
    types.push(orderOutcomes(order, next, u, ctx).map((e) => e.type));
    order = next;
  }
  return types;
}

describe('orderOutcomes', () => {
  it('reports submission, acceptance, a fill and completion once each', () => {
    const fill: OrderEvent = {
      type: 'fill',
      id: 'f1',
      ts: BUILDER_TS,
      venueTradeId: parseVenueTradeId('T1'),
      qty: 2,
      pricePaise: paise(157370),
    };
    expect(
      run(anOrder({ qty: 2 }), [
        { type: 'submit', id: 's', ts: BUILDER_TS, venueOrderId: VOID },
        venue('PUT ORDER REQ RECEIVED'),
        venue('OPEN'),
        venue('OPEN'),
        fill,
        fill,
        venue('COMPLETE'),
        venue('OPEN'),
      ]),
    ).toEqual([['OrderSubmitted'], ['OrderAccepted'], [], [], ['OrderFilled'], [], [], []]);
  });

  it('reports a trigger, a modification, a pending cancel and the cancellation', () => {
    const sl = anOrder({
      orderType: 'SL',
      limitPricePaise: paise(150000),
      triggerPricePaise: paise(150100),
      qty: 4,
    });
    const amendment = { qty: 4, limitPricePaise: paise(149000), triggerPricePaise: paise(149100) };
    expect(
      run(sl, [
        { type: 'submit', id: 's', ts: BUILDER_TS, venueOrderId: VOID },
        venue('TRIGGER PENDING'),
        venue('MODIFIED', { amendment }),
        venue('OPEN'),
        { type: 'cancel-request', id: 'c', ts: BUILDER_TS },
        venue('CANCELLED', { filledQty: 0, cancelledQty: 4, message: 'cancelled by user' }),
      ]),
    ).toEqual([
      ['OrderSubmitted'],
      ['OrderAccepted'],
      ['OrderModified'],
      ['OrderTriggered'],
      ['OrderPendingCancel'],
      ['OrderCancelled'],
    ]);
  });

  it('carries the fill and the rejection reason', () => {
    let o = applyOrderEvent(anOrder(), { type: 'submit', id: 's', ts: BUILDER_TS, venueOrderId: VOID });
    const rejected = applyOrderEvent(o, venue('REJECTED', { message: 'RMS: margin exceeds' }));
    expect(orderOutcomes(o, rejected, venue('REJECTED'), ctx)).toMatchObject([
      { type: 'OrderRejected', reason: 'RMS: margin exceeds', clientOrderId: o.clientOrderId },
    ]);
    o = applyOrderEvent(o, venue('OPEN'));
    const f: OrderEvent = {
      type: 'fill',
      id: 'f',
      ts: 1,
      venueTradeId: parseVenueTradeId('T9'),
      qty: 1,
      pricePaise: paise(157000),
    };
    const [filled] = orderOutcomes(o, applyOrderEvent(o, f), f, ctx);
    expect(filled).toMatchObject({
      type: 'OrderFilled',
      fill: { qty: 1, pricePaise: 157000, venueTradeId: 'T9', product: 'MIS' },
    });
  });
});
