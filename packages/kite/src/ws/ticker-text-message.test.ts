import { describe, expect, it } from 'vitest';
import { parseTickerTextMessage } from './ticker-text-message.ts';

const order = {
  order_id: '220303000308932',
  status: 'OPEN',
  order_timestamp: '2022-03-03 09:24:25',
  exchange_timestamp: null,
  exchange_update_timestamp: null,
  variety: 'regular',
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  instrument_token: 779521,
  order_type: 'LIMIT',
  transaction_type: 'SELL',
  validity: 'DAY',
  product: 'MIS',
  quantity: 10,
  price: 470.05,
  trigger_price: 0,
  average_price: 0,
  filled_quantity: 0,
  pending_quantity: 10,
  tag: 'KPabc',
};

describe('parseTickerTextMessage', () => {
  it('parses an order message into a typed order update', () => {
    const m = parseTickerTextMessage(JSON.stringify({ type: 'order', data: order }));
    expect(m.kind).toBe('order');
    if (m.kind === 'order') {
      expect(m.update.pricePaise).toBe(47005);
      expect(m.update.intentId).toBe('int_abc');
    }
  });

  it('surfaces broker error messages', () => {
    expect(parseTickerTextMessage('{"type":"error","data":"Invalid token"}')).toEqual({
      kind: 'error',
      message: 'Invalid token',
    });
  });

  it('passes broker messages through', () => {
    expect(parseTickerTextMessage('{"type":"message","data":{"x":1}}')).toEqual({
      kind: 'message',
      data: { x: 1 },
    });
  });

  it('reports bad JSON, unknown types and malformed orders as invalid with the reason', () => {
    expect(parseTickerTextMessage('{oops').kind).toBe('invalid');
    expect(parseTickerTextMessage('{"type":"weird"}')).toEqual({
      kind: 'invalid',
      reason: 'text message has unknown type "weird"',
    });
    const bad = parseTickerTextMessage(JSON.stringify({ type: 'order', data: { ...order, status: 'NOPE' } }));
    expect(bad.kind === 'invalid' && bad.reason).toBe(
      'order message could not be parsed: order update 220303000308932: status "NOPE" is not a Kite order status (§7)',
    );
  });
});
