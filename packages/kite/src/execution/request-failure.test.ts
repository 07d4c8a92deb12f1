import {
  anOrder,
  applyOrderEvent,
  ORDER_TRANSITIONS,
  paise,
  parseVenueOrderId,
  type Order,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { echoStatus, failedRequestEcho } from './request-failure.ts';
import { placeParamsForOrder } from './kite-order-params.ts';

const venue = parseVenueOrderId('1261123000000000001');

function working(status: 'OPEN' | 'TRIGGER PENDING', orderType: 'LIMIT' | 'SL-M' = 'LIMIT'): Order {
  let o = anOrder(
    orderType === 'LIMIT' ? {} : { orderType, limitPricePaise: null, triggerPricePaise: paise(150000) },
  );
  o = applyOrderEvent(o, { type: 'submit', id: 's', ts: 1, venueOrderId: venue });
  return applyOrderEvent(o, {
    type: 'venue-status',
    id: 'v',
    ts: 2,
    status,
    venueOrderId: venue,
    filledQty: 0,
    cancelledQty: 0,
    message: null,
    amendment: null,
  });
}

describe('failedRequestEcho', () => {
  it('returns a PENDING_MODIFY order to its working state with the broker message, under a fresh id', () => {
    for (const [status, type, state] of [
      ['OPEN', 'LIMIT', 'OPEN'],
      ['TRIGGER PENDING', 'SL-M', 'TRIGGER_PENDING'],
    ] as const) {
      const pending = applyOrderEvent(working(status, type), { type: 'modify-request', id: 'm', ts: 3 });
      const echo = failedRequestEcho('modify', pending, null, 'Maximum allowed order modifications', 4, 1);
      const after = applyOrderEvent(pending, echo);
      expect(after.status).toBe(state);
      expect(after.statusMessage).toBe('modify refused: Maximum allowed order modifications');
      expect(echo.id).not.toBe(failedRequestEcho('modify', pending, null, 'x', 4, 2).id);
    }
  });

  it('never echoes a transient status, and every echo is a legal cell of the pending states', () => {
    const o = { ...working('OPEN'), venueStatus: 'UPDATE' };
    expect(echoStatus(o, { status: 'MODIFY PENDING' })).toBe('OPEN');
    expect(echoStatus(o, { status: 'REJECTED' })).toBe('OPEN');
    expect(echoStatus(o, { status: 'COMPLETE' })).toBe('COMPLETE');
    expect(echoStatus({ ...o, orderType: 'SL' }, null)).toBe('TRIGGER PENDING');
    for (const s of ['OPEN', 'TRIGGER PENDING', 'COMPLETE', 'CANCELLED', 'CANCELLED AMO', 'LAPSED']) {
      expect(echoStatus(o, { status: s })).toBe(s);
    }
    expect(Object.keys(ORDER_TRANSITIONS.PENDING_MODIFY)).toEqual(
      expect.arrayContaining([
        'venue-open',
        'venue-trigger-pending',
        'venue-complete',
        'venue-cancelled',
        'venue-lapsed',
      ]),
    );
  });
});

describe('placeParamsForOrder', () => {
  it('sends protection only with MARKET and SL-M, and the intent tag with every order', () => {
    const limit = placeParamsForOrder(anOrder(), -1);
    expect(limit).toMatchObject({ exchange: 'NSE', tradingsymbol: 'RELIANCE', tag: 'KP0000000001' });
    expect(limit.marketProtection).toBeUndefined();
    const market = placeParamsForOrder(anOrder({ orderType: 'MARKET', limitPricePaise: null }), -1);
    expect(market).toMatchObject({ orderType: 'MARKET', marketProtection: -1 });
    expect(market.pricePaise).toBeUndefined();
  });
});
