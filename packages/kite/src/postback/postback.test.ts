import { describe, expect, it } from 'vitest';
import { parsePostback, PostbackChecksumError } from './parse-postback.ts';
import { postbackChecksum, verifyPostbackChecksum } from './verify-postback-checksum.ts';

const SECRET = 'sec_abc';

function postback(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    user_id: 'AB1234',
    unfilled_quantity: 0,
    app_id: 1234,
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
    ...overrides,
  };
  body['checksum'] = postbackChecksum(String(body['order_id']), String(body['order_timestamp']), SECRET);
  return body;
}

describe('verifyPostbackChecksum', () => {
  it('accepts a body signed with our secret, as text or object', () => {
    const body = postback();
    expect(verifyPostbackChecksum(JSON.stringify(body), SECRET)).toBe(true);
    expect(verifyPostbackChecksum(body, SECRET)).toBe(true);
  });

  it('rejects another secret, an altered order id or timestamp, a missing checksum and non-JSON', () => {
    const body = postback();
    expect(verifyPostbackChecksum(body, 'other')).toBe(false);
    expect(verifyPostbackChecksum({ ...body, order_id: '220303000308933' }, SECRET)).toBe(false);
    expect(verifyPostbackChecksum({ ...body, order_timestamp: '2022-03-03 09:24:26' }, SECRET)).toBe(false);
    expect(verifyPostbackChecksum({ ...body, checksum: undefined }, SECRET)).toBe(false);
    expect(verifyPostbackChecksum({ ...body, checksum: 'abc' }, SECRET)).toBe(false);
    expect(verifyPostbackChecksum('not json', SECRET)).toBe(false);
  });
});

describe('parsePostback', () => {
  it('returns the order update of a verified postback', () => {
    const update = parsePostback(JSON.stringify(postback({ tag: 'KPabc' })), SECRET);
    expect(update.venueOrderId).toBe('220303000308932');
    expect(update.status).toBe('COMPLETE');
    expect(update.averagePricePaise).toBe(47000);
    expect(update.orderTimestamp).toBe(Date.UTC(2022, 2, 3, 3, 54, 25));
    expect(update.tag).toBe('KPabc');
  });

  it('throws PostbackChecksumError naming the order when the checksum fails', () => {
    expect(() => parsePostback(JSON.stringify(postback()), 'wrong')).toThrow(PostbackChecksumError);
    expect(() => parsePostback(JSON.stringify(postback()), 'wrong')).toThrow(/order 220303000308932/);
  });
});
