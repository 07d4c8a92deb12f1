// Property: for every integer paise amount p (|p| ≤ 10^12), an order update whose price is the JSON
// number p / 100 parses to exactly p paise (no float error), whatever the host time zone.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { kiteOrderUpdateId, kiteOrderUpdateToVenueStatus } from './order-update-event.ts';
import { KiteOrderUpdateError, parseKiteOrderUpdate } from './order-update.ts';

/** The postback mock of zerodha/kiteconnect-mocks (postback.json), as the socket/postback would carry it. */
function aPostback(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user_id: 'AB1234',
    unfilled_quantity: 0,
    app_id: 1234,
    checksum: 'aa389e3f151b51d34809d96299463207da0353105274d9495bad54a38ec227c1',
    placed_by: 'AB1234',
    order_id: '220303000308932',
    exchange_order_id: '1000000001482421',
    parent_order_id: null,
    status: 'COMPLETE',
    status_message: null,
    status_message_raw: null,
    order_timestamp: '2022-03-03 09:24:25',
    exchange_update_timestamp: '2022-03-03 09:24:25',
    exchange_timestamp: '2022-03-03 09:24:25',
    variety: 'regular',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    instrument_token: 779521,
    order_type: 'MARKET',
    transaction_type: 'BUY',
    validity: 'DAY',
    product: 'CNC',
    quantity: 1,
    disclosed_quantity: 0,
    price: 0,
    trigger_price: 0,
    average_price: 470,
    filled_quantity: 1,
    pending_quantity: 0,
    cancelled_quantity: 0,
    market_protection: 0,
    meta: {},
    tag: null,
    guid: 'XXXXXX',
    ...fields,
  };
}

const MOCK_TIME_MS = Date.UTC(2022, 2, 3, 3, 54, 25); // 09:24:25 IST

describe('parseKiteOrderUpdate', () => {
  const savedTz = process.env['TZ'];
  afterEach(() => {
    if (savedTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = savedTz;
  });

  it('parses the postback mock into typed fields', () => {
    const u = parseKiteOrderUpdate(aPostback());
    expect(u).toMatchObject({
      venueOrderId: '220303000308932',
      exchangeOrderId: '1000000001482421',
      parentOrderId: null,
      status: 'COMPLETE',
      orderTimestamp: MOCK_TIME_MS,
      orderTimestampRaw: '2022-03-03 09:24:25',
      exchangeTimestamp: MOCK_TIME_MS,
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      instrumentToken: 779521,
      orderType: 'MARKET',
      side: 'BUY',
      validity: 'DAY',
      validityTtlMinutes: null,
      product: 'CNC',
      qty: 1,
      filledQty: 1,
      pendingQty: 0,
      unfilledQty: 0,
      pricePaise: 0,
      averagePricePaise: 47000,
      averagePriceRupees: '470',
      marketProtection: 0,
      tag: null,
      intentId: null,
      userId: 'AB1234',
      appId: '1234',
      tsEvent: MOCK_TIME_MS,
    });
  });

  it('reads IST timestamps as IST whatever the host time zone', () => {
    process.env['TZ'] = 'America/New_York';
    expect(parseKiteOrderUpdate(aPostback()).orderTimestamp).toBe(MOCK_TIME_MS);
    process.env['TZ'] = 'UTC';
    expect(parseKiteOrderUpdate(aPostback()).orderTimestamp).toBe(MOCK_TIME_MS);
  });

  it('parses a socket order update without the postback-only fields', () => {
    const postback = aPostback({ status: 'OPEN', filled_quantity: 0, pending_quantity: 1, average_price: 0 });
    const raw = Object.fromEntries(
      Object.entries(postback).filter(
        ([k]) => !['user_id', 'unfilled_quantity', 'app_id', 'checksum'].includes(k),
      ),
    );
    const u = parseKiteOrderUpdate(raw);
    expect([u.status, u.userId, u.appId, u.checksum, u.unfilledQty]).toEqual([
      'OPEN',
      null,
      null,
      null,
      null,
    ]);
  });

  it('keeps prices exact in paise', () => {
    const u = parseKiteOrderUpdate(
      aPostback({ order_type: 'SL', price: 1573.7, trigger_price: 1573.05, average_price: 1573.7333 }),
    );
    expect(u.pricePaise).toBe(157370);
    expect(u.triggerPricePaise).toBe(157305);
    expect(u.averagePricePaise).toBe(157373);
    expect(u.averagePriceRupees).toBe('1573.7333');
  });

  it('parses every paise amount given as rupees exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (p) => {
        const u = parseKiteOrderUpdate(aPostback({ price: p / 100, average_price: p / 100 }));
        expect(u.pricePaise).toBe(p);
        expect(u.averagePricePaise).toBe(p);
      }),
    );
  });

  it('rejects a price with fractions of a paisa', () => {
    expect(() => parseKiteOrderUpdate(aPostback({ price: 1573.705 }))).toThrow(
      'order update 220303000308932: price 1573.705 is not a whole number of paise',
    );
  });

  it('rejects a status outside the list of kite-connect.md §7', () => {
    expect(() => parseKiteOrderUpdate(aPostback({ status: 'HALF DONE' }))).toThrow(
      new KiteOrderUpdateError(
        'order update 220303000308932: status "HALF DONE" is not a Kite order status (§7)',
      ),
    );
  });

  it('accepts every status of kite-connect.md §7', () => {
    const statuses = [
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
    ];
    for (const status of statuses) expect(parseKiteOrderUpdate(aPostback({ status })).status).toBe(status);
  });

  it('names the field and value of a malformed update', () => {
    expect(() => parseKiteOrderUpdate(aPostback({ order_id: 42 }))).toThrow(
      'order update: order_id must be a non-empty string, got 42',
    );
    expect(() => parseKiteOrderUpdate(aPostback({ quantity: -1 }))).toThrow(
      'order update 220303000308932: quantity must be a non-negative integer, got -1',
    );
    expect(() => parseKiteOrderUpdate(aPostback({ order_timestamp: '2022-03-03T09:24:25Z' }))).toThrow(
      'order update 220303000308932: order_timestamp "2022-03-03T09:24:25Z" is not an IST timestamp',
    );
    expect(() => parseKiteOrderUpdate(aPostback({ transaction_type: 'HOLD' }))).toThrow(
      'order update 220303000308932: transaction_type "HOLD" is not one of BUY, SELL',
    );
    expect(() => parseKiteOrderUpdate([])).toThrow('order update must be a JSON object, got []');
  });

  it('maps a KP tag to our intent id and leaves other tags alone', () => {
    expect(parseKiteOrderUpdate(aPostback({ tag: 'KPa1B2c3' })).intentId).toBe('int_a1B2c3');
    expect(parseKiteOrderUpdate(aPostback({ tag: 'mktp', tags: ['mktp'] })).intentId).toBeNull();
  });

  it('keeps TTL minutes only for TTL orders', () => {
    expect(parseKiteOrderUpdate(aPostback({ validity: 'TTL', validity_ttl: 5 })).validityTtlMinutes).toBe(5);
    expect(
      parseKiteOrderUpdate(aPostback({ validity: 'DAY', validity_ttl: 0 })).validityTtlMinutes,
    ).toBeNull();
  });
});

describe('kiteOrderUpdateToVenueStatus', () => {
  it('returns a venue-status event with prices only where the order type uses them', () => {
    const u = parseKiteOrderUpdate(
      aPostback({ status: 'TRIGGER PENDING', order_type: 'SL-M', trigger_price: 460.5, filled_quantity: 0 }),
    );
    expect(kiteOrderUpdateToVenueStatus(u)).toEqual({
      type: 'venue-status',
      id: kiteOrderUpdateId(u),
      ts: MOCK_TIME_MS,
      status: 'TRIGGER PENDING',
      venueOrderId: '220303000308932',
      filledQty: 0,
      cancelledQty: 0,
      message: null,
      amendment: { qty: 1, limitPricePaise: null, triggerPricePaise: 46050 },
    });
  });

  it('gives the same id to the same report and different ids to different reports', () => {
    const a = parseKiteOrderUpdate(aPostback());
    const b = parseKiteOrderUpdate({ ...aPostback(), checksum: undefined, user_id: undefined });
    const c = parseKiteOrderUpdate(aPostback({ status: 'OPEN', filled_quantity: 0, pending_quantity: 1 }));
    expect(kiteOrderUpdateId(a)).toBe(kiteOrderUpdateId(b));
    expect(kiteOrderUpdateId(a)).not.toBe(kiteOrderUpdateId(c));
  });
});
