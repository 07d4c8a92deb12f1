import { istToEpochMs } from '@kitepilot/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { KiteApiError } from '../kite-api-error.ts';
import { SyntheticMarket } from '../market/synthetic-market.ts';
import { OrderBook } from './order-book.ts';
import { parsePlaceRequest, type PlaceRequest } from './order-request.ts';
import { Portfolio } from './portfolio.ts';

const T0 = istToEpochMs('2026-11-23', '10:00:00');

interface Harness {
  readonly market: SyntheticMarket;
  readonly book: OrderBook;
  readonly events: Record<string, unknown>[];
  request(params: Record<string, string>, variety?: string): PlaceRequest;
  last(symbol: string, atMs?: number): number;
}

function harness(cashPaise = 100_000_000): Harness {
  const market = new SyntheticMarket(4, T0);
  const events: Record<string, unknown>[] = [];
  const book = new OrderBook({
    market,
    portfolio: new Portfolio([]),
    userId: 'SIM001',
    cashPaise,
    publish: (o) => events.push(o),
  });
  const lookup = (key: string) => market.modelByKey(key)?.instrument;
  return {
    market,
    book,
    events,
    request: (params, variety = 'regular') =>
      parsePlaceRequest(
        variety,
        { exchange: 'NSE', product: 'MIS', transaction_type: 'BUY', ...params },
        lookup,
      ),
    last: (symbol, atMs = T0) => {
      const model = market.modelByKey(symbol.includes(':') ? symbol : `NSE:${symbol}`)!;
      return market.snapshot(model, atMs).lastPricePaise;
    },
  };
}

const rupees = (paise: number): string => (paise / 100).toFixed(2);

function statuses(book: OrderBook, id: string): unknown[] {
  return book.history(id).map((h) => h['status']);
}

describe('OrderBook', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('rejects a quantity that is not a multiple of the lot size', () => {
    const id = h.book.place(
      h.request({
        exchange: 'NFO',
        tradingsymbol: 'SIMNIFTY26NOVFUT',
        product: 'NRML',
        quantity: '100',
        order_type: 'MARKET',
        market_protection: '2',
      }),
      T0,
    );
    expect(statuses(h.book, id)).toEqual(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'REJECTED']);
    expect(h.book.history(id).at(-1)!['status_message']).toBe(
      'Quantity 100 is not a multiple of lot size 65 for SIMNIFTY26NOVFUT.',
    );
  });

  it('rejects a quantity above the freeze limit', () => {
    const id = h.book.place(
      h.request({
        exchange: 'NFO',
        tradingsymbol: 'SIMNIFTY26NOVFUT',
        product: 'NRML',
        quantity: '1820',
        order_type: 'MARKET',
        market_protection: '2',
      }),
      T0,
    );
    expect(h.book.history(id).at(-1)!['status_message']).toMatch(
      /^Quantity 1820 exceeds the freeze quantity 1800/,
    );
  });

  it('rejects a price off the tick grid', () => {
    const price = h.last('SIMSBIN') + 2; // tick 0.05 = 5 paise
    const id = h.book.place(
      h.request({ tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'LIMIT', price: rupees(price) }),
      T0,
    );
    expect(h.book.history(id).at(-1)).toMatchObject({ status: 'REJECTED' });
    expect(String(h.book.history(id).at(-1)!['status_message'])).toContain(
      'Tick size for this script is 0.05',
    );
  });

  it('rejects a price outside the circuit band', () => {
    const model = h.market.modelByKey('NSE:SIMSBIN')!;
    const upper = h.market.snapshot(model, T0).upperCircuitPaise;
    const id = h.book.place(
      h.request({ tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'LIMIT', price: rupees(upper + 5) }),
      T0,
    );
    expect(String(h.book.history(id).at(-1)!['status_message'])).toMatch(
      /is outside the price band .* for SIMSBIN\.$/,
    );
  });

  it('rejects an order the account cannot margin, giving both amounts', () => {
    const poor = harness(1_000_00);
    const id = poor.book.place(
      poor.request({
        tradingsymbol: 'SIMSBIN',
        quantity: '100',
        order_type: 'MARKET',
        market_protection: '2',
      }),
      T0,
    );
    expect(String(poor.book.history(id).at(-1)!['status_message'])).toMatch(
      /^Insufficient funds\. Required margin is [0-9.]+ but available margin is 1000\.00\.$/,
    );
  });

  it('refuses malformed orders synchronously with an InputException', () => {
    expect(() =>
      h.request({ tradingsymbol: 'NOPE', quantity: '1', order_type: 'LIMIT', price: '1' }),
    ).toThrow(KiteApiError);
    expect(() => h.request({ tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'MARKET' })).toThrow(
      'Market orders without market protection are not allowed via API.',
    );
    expect(() =>
      h.request({
        exchange: 'NSE',
        tradingsymbol: 'SIM NIFTY 50',
        quantity: '1',
        order_type: 'LIMIT',
        price: '1',
      }),
    ).toThrow('cannot be traded');
  });

  it('fills a large marketable order partially over several seconds, publishing UPDATE events', () => {
    const limit = h.last('SIMPAGEIND') + 500 * 4;
    const id = h.book.place(
      h.request({ tradingsymbol: 'SIMPAGEIND', quantity: '60', order_type: 'LIMIT', price: rupees(limit) }),
      T0,
    );
    const afterFirst = h.book.find(id)!;
    expect(afterFirst.status).toBe('OPEN');
    expect(afterFirst.filledQuantity).toBeGreaterThan(0);
    expect(afterFirst.filledQuantity).toBeLessThan(60);
    h.book.advance(T0 + 60_000);
    expect(h.book.find(id)!.status).toBe('COMPLETE');
    const trades = h.book.orderTrades(id);
    expect(trades.length).toBeGreaterThan(2);
    expect(trades.reduce((s, t) => s + Number(t['quantity']), 0)).toBe(60);
    for (const t of trades) expect(Number(t['average_price']) * 100).toBeLessThanOrEqual(limit);
    const published = h.events.filter((e) => e['order_id'] === id).map((e) => e['status']);
    expect(published).toContain('UPDATE');
    expect(published.at(-1)).toBe('COMPLETE');
  });

  it('cancels the unfilled remainder of an IOC order at once', () => {
    const limit = h.last('SIMPAGEIND') + 500;
    const id = h.book.place(
      h.request({
        tradingsymbol: 'SIMPAGEIND',
        quantity: '60',
        order_type: 'LIMIT',
        price: rupees(limit),
        validity: 'IOC',
      }),
      T0,
    );
    const order = h.book.find(id)!;
    expect(order.status).toBe('CANCELLED');
    expect(order.filledQuantity).toBeGreaterThan(0);
    expect(order.cancelledQuantity).toBe(60 - order.filledQuantity);
  });

  it('cancels a market order that cannot fill inside its protection band', () => {
    // 0.001 % of ~₹800 is below one 5-paise tick, so the best ask (one tick up) is out of the band.
    const id = h.book.place(
      h.request({
        tradingsymbol: 'SIMSBIN',
        quantity: '1',
        order_type: 'MARKET',
        market_protection: '0.001',
      }),
      T0,
    );
    const last = h.book.history(id).at(-1)!;
    expect(last['status']).toBe('CANCELLED');
    expect(String(last['status_message'])).toMatch(/could not be filled within the market protection limit/);
  });

  it('keeps a stop-loss order TRIGGER PENDING until the price touches the trigger, then fills it', () => {
    const tick = 5;
    const trigger = h.last('SIMSBIN') + tick;
    const id = h.book.place(
      h.request({
        tradingsymbol: 'SIMSBIN',
        quantity: '2',
        order_type: 'SL',
        trigger_price: rupees(trigger),
        price: rupees(trigger + 40 * tick),
      }),
      T0,
    );
    expect(h.book.find(id)!.status).toBe('TRIGGER PENDING');
    let t = T0;
    while (h.book.find(id)!.status === 'TRIGGER PENDING' && t < T0 + 3_600_000) {
      t += 10_000;
      h.book.advance(t);
    }
    expect(statuses(h.book, id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'TRIGGER PENDING',
      'OPEN',
      'COMPLETE',
    ]);
    const fill = Number(h.book.orderTrades(id)[0]!['average_price']) * 100;
    expect(fill).toBeGreaterThanOrEqual(trigger);
  });

  it('rejects a buy stop-loss whose trigger is below the last price', () => {
    const id = h.book.place(
      h.request({
        tradingsymbol: 'SIMSBIN',
        quantity: '1',
        order_type: 'SL-M',
        trigger_price: rupees(h.last('SIMSBIN') - 50),
        market_protection: '2',
      }),
      T0,
    );
    expect(String(h.book.history(id).at(-1)!['status_message'])).toMatch(
      /should be higher than the last traded price/,
    );
  });

  it('allows 25 modifications of an order and refuses the 26th', () => {
    const far = h.last('SIMSBIN') - 2000;
    const id = h.book.place(
      h.request({ tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'LIMIT', price: rupees(far) }),
      T0,
    );
    for (let i = 1; i <= 25; i++) h.book.modify(id, { pricePaise: far - i * 5 }, T0 + i);
    expect(() => h.book.modify(id, { pricePaise: far }, T0 + 26)).toThrow(
      'Maximum allowed order modifications (25)',
    );
  });

  it('refuses to modify or cancel a finished order', () => {
    const id = h.book.place(
      h.request({ tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'MARKET', market_protection: '2' }),
      T0,
    );
    expect(h.book.find(id)!.status).toBe('COMPLETE');
    expect(() => h.book.cancel(id, T0)).toThrow(`Order ${id} cannot be cancelled as it is complete.`);
    expect(() => h.book.modify(id, { quantity: 2 }, T0)).toThrow(
      `Order ${id} cannot be modified as it is complete.`,
    );
  });

  it('cancels a resting DAY order at the end of the session', () => {
    const id = h.book.place(
      h.request({
        tradingsymbol: 'SIMSBIN',
        quantity: '1',
        order_type: 'LIMIT',
        price: rupees(h.last('SIMSBIN') - 3000),
      }),
      T0,
    );
    h.book.advance(istToEpochMs('2026-11-23', '15:31'));
    expect(h.book.history(id).at(-1)).toMatchObject({
      status: 'CANCELLED',
      status_message: 'Order cancelled at the end of the trading session.',
      order_timestamp: '2026-11-23 15:30:00',
    });
  });

  it('rejects a regular order outside market hours and accepts an AMO, released at the open', () => {
    const evening = istToEpochMs('2026-11-23', '18:00');
    const regular = h.book.place(
      h.request({ tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'MARKET', market_protection: '2' }),
      evening,
    );
    expect(String(h.book.history(regular).at(-1)!['status_message'])).toMatch(
      /^Markets are closed right now/,
    );
    const amo = h.book.place(
      h.request(
        { tradingsymbol: 'SIMSBIN', quantity: '1', order_type: 'MARKET', market_protection: '2' },
        'amo',
      ),
      evening,
    );
    expect(h.book.find(amo)!.status).toBe('AMO REQ RECEIVED');
    h.book.advance(istToEpochMs('2026-11-24', '09:15:05'));
    expect(h.book.find(amo)!.status).toBe('COMPLETE');
  });
});
