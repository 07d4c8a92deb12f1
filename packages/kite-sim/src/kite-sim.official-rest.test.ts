// The official kiteconnect client (the reference, kite-connect.md) drives the simulator's REST API: if it
// cannot tell the simulator from Kite on these paths, neither can our adapter.
import { istToEpochMs, TestClock } from '@kitepilot/core';
import { KiteConnect, type Connect } from 'kiteconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiteSim, type KiteSim } from './index.ts';

const START = istToEpochMs('2026-11-23', '10:00:30');

async function loginWithOfficialClient(sim: KiteSim): Promise<Connect> {
  const kc = new KiteConnect({ api_key: sim.apiKey, root: sim.restUrl });
  // getLoginURL() always points at kite.zerodha.com (§1); keep its query, send it to the simulator.
  const official = new URL(kc.getLoginURL());
  const res = await fetch(`${sim.restUrl}/connect/login${official.search}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  const token = location.searchParams.get('request_token') ?? '';
  await kc.generateSession(token, sim.apiSecret);
  return kc;
}

describe('startKiteSim with the official KiteConnect client', () => {
  let sim: KiteSim;
  let kc: Connect;
  const clock = new TestClock(START);

  beforeAll(async () => {
    sim = await startKiteSim({ clock, seed: 11, enforceRateLimits: false });
    kc = await loginWithOfficialClient(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('redirects the login with request_token, action, type and status and echoes redirect_params', async () => {
    const res = await fetch(
      `${sim.restUrl}/connect/login?api_key=${sim.apiKey}&v=3&redirect_params=${encodeURIComponent('state=abc')}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.pathname).toBe('/sim/login-complete');
    expect(location.searchParams.get('request_token')).toMatch(/^[0-9a-f]{32}$/);
    expect(location.searchParams.get('action')).toBe('login');
    expect(location.searchParams.get('type')).toBe('login');
    expect(location.searchParams.get('status')).toBe('success');
    expect(location.searchParams.get('state')).toBe('abc');
  });

  it('exchanges a request token for a session once and refuses to reuse it', async () => {
    const client = new KiteConnect({ api_key: sim.apiKey, root: sim.restUrl });
    const requestToken = sim.createRequestToken();
    const session = await client.generateSession(requestToken, sim.apiSecret);
    expect(session.user_id).toBe('SIM001');
    expect(session.api_key).toBe(sim.apiKey);
    expect(session.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(session.login_time).toBeInstanceOf(Date);
    await expect(client.generateSession(requestToken, sim.apiSecret)).rejects.toMatchObject({
      error_type: 'TokenException',
      message: 'Token is invalid or has expired.',
    });
  });

  it('rejects a wrong checksum with a TokenException', async () => {
    const client = new KiteConnect({ api_key: sim.apiKey, root: sim.restUrl });
    await expect(client.generateSession(sim.createRequestToken(), 'wrong_secret')).rejects.toMatchObject({
      error_type: 'TokenException',
      message: 'Invalid session credentials',
      status: 'error',
    });
  });

  it('returns the profile of the simulated user', async () => {
    const profile = await kc.getProfile();
    expect(profile.user_id).toBe('SIM001');
    expect(profile.user_name).toBe('SIM Trader');
    expect(profile.exchanges).toEqual(['NSE', 'NFO']);
  });

  it('answers quote, ohlc and ltp consistently and leaves unknown instruments out', async () => {
    const keys = ['NSE:SIMRELIANCE', 'NFO:SIMNIFTY26NOVFUT', 'NSE:NOSUCH'];
    const quote = await kc.getQuote(keys);
    const ohlc = await kc.getOHLC(keys);
    const ltp = await kc.getLTP(keys);
    expect(Object.keys(quote).sort()).toEqual(['NFO:SIMNIFTY26NOVFUT', 'NSE:SIMRELIANCE']);
    expect(Object.keys(ltp).sort()).toEqual(['NFO:SIMNIFTY26NOVFUT', 'NSE:SIMRELIANCE']);
    const q = quote['NFO:SIMNIFTY26NOVFUT']!;
    const future = sim.instruments.find((i) => i.tradingsymbol === 'SIMNIFTY26NOVFUT')!;
    expect(q.instrument_token).toBe(future.instrumentToken);
    expect(ltp['NFO:SIMNIFTY26NOVFUT']!.last_price).toBe(q.last_price);
    expect(ohlc['NFO:SIMNIFTY26NOVFUT']!.ohlc).toEqual(q.ohlc);
    expect(q.depth.buy).toHaveLength(5);
    expect(q.depth.buy[0]!.price).toBe(q.last_price);
    expect(q.oi).toBeGreaterThan(0);
    // The official client turns the IST string into a Date; on any host the instant must be 10:00:30 IST.
    expect(q.timestamp).toBeInstanceOf(Date);
  });

  it('serves the instruments dump as text/csv that the official client parses', async () => {
    const all = await kc.getInstruments();
    expect(Array.isArray(all)).toBe(true);
    expect(all).toHaveLength(sim.instruments.length);
    const nfo = await kc.getInstruments('NFO');
    expect(nfo.every((i) => i.exchange === 'NFO')).toBe(true);
    const fut = all.find((i) => i.tradingsymbol === 'SIMNIFTY26NOVFUT')!;
    expect(fut).toMatchObject({
      lot_size: 65,
      tick_size: 0.1,
      instrument_type: 'FUT',
      segment: 'NFO-FUT',
      name: 'SIMNIFTY',
    });
    expect(fut.expiry).toBeInstanceOf(Date);
    const raw = await fetch(`${sim.restUrl}/instruments`);
    expect(raw.headers.get('content-type')).toBe('text/csv');
    expect((await raw.text()).split('\n')[0]).toBe(
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
    );
  });

  it('returns minute and day candles with OI whose instants are IST session times', async () => {
    const future = sim.instruments.find((i) => i.tradingsymbol === 'SIMNIFTY26NOVFUT')!;
    const minutes = await kc.getHistoricalData(
      future.instrumentToken,
      'minute',
      '2026-11-23 09:15:00',
      '2026-11-23 10:05:00',
      false,
      true,
    );
    // 09:15 … 10:00: the running 10:00 candle is included, later minutes do not exist yet.
    expect(minutes).toHaveLength(46);
    expect(minutes[0]!.date.getTime()).toBe(istToEpochMs('2026-11-23', '09:15'));
    expect(minutes.at(-1)!.date.getTime()).toBe(istToEpochMs('2026-11-23', '10:00'));
    expect(minutes[0]!.oi).toBeGreaterThan(0);
    const days = await kc.getHistoricalData(
      future.instrumentToken,
      'day',
      '2026-11-16 00:00:00',
      '2026-11-23 23:59:59',
      true,
      true,
    );
    expect(days).toHaveLength(8);
    const [ltp] = Object.values(await kc.getLTP(['NFO:SIMNIFTY26NOVFUT']));
    expect(days.at(-1)!.close).toBe(ltp!.last_price);
    await expect(
      kc.getHistoricalData(future.instrumentToken, 'minute', '2026-08-01 09:15:00', '2026-11-23 10:00:00'),
    ).rejects.toMatchObject({ error_type: 'InputException', message: 'interval exceeds max limit: 60 days' });
  });

  it('places, fills, modifies and cancels orders with the full status history', async () => {
    const [q] = Object.values(await kc.getQuote(['NSE:SIMSBIN']));
    const ask = q!.depth.sell[0]!.price;
    const filled = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      transaction_type: 'BUY',
      quantity: 10,
      product: 'MIS',
      order_type: 'LIMIT',
      price: ask,
      tag: 'kpA1',
    });
    const history = await kc.getOrderHistory(filled.order_id);
    expect(history.map((h) => h.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'COMPLETE',
    ]);
    expect(history.at(-1)).toMatchObject({
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: ask,
      tag: 'kpA1',
    });
    const trades = await kc.getOrderTrades(filled.order_id);
    expect(trades.reduce((s, t) => s + t.quantity, 0)).toBe(10);

    const resting = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      transaction_type: 'BUY',
      quantity: 5,
      product: 'MIS',
      order_type: 'LIMIT',
      price: Math.round(q!.last_price * 0.95 * 20) / 20,
    });
    await kc.modifyOrder('regular', resting.order_id, {
      price: Math.round(q!.last_price * 0.96 * 20) / 20,
      quantity: 6,
    });
    await kc.cancelOrder('regular', resting.order_id);
    const restingHistory = await kc.getOrderHistory(resting.order_id);
    expect(restingHistory.map((h) => h.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
      'CANCEL PENDING',
      'CANCELLED',
    ]);
    expect(restingHistory.at(-1)).toMatchObject({ quantity: 6, cancelled_quantity: 6, modified: true });
    const orders = await kc.getOrders();
    expect(orders.map((o) => o.order_id)).toEqual(
      expect.arrayContaining([filled.order_id, resting.order_id]),
    );
    const allTrades = await kc.getTrades();
    expect(allTrades.some((t) => t.order_id === filled.order_id)).toBe(true);
  });

  it('refuses an API market order without market protection', async () => {
    await expect(
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'SIMSBIN',
        transaction_type: 'BUY',
        quantity: 1,
        product: 'MIS',
        order_type: 'MARKET',
      }),
    ).rejects.toMatchObject({
      error_type: 'InputException',
      message: 'Market orders without market protection are not allowed via API.',
    });
  });

  it('reports positions, margins, holdings, order margins and a contract note', async () => {
    const positions = await kc.getPositions();
    const sbin = positions.net.find((p) => p.tradingsymbol === 'SIMSBIN' && p.product === 'MIS');
    expect(sbin?.quantity).toBe(10);
    const margins = await kc.getMargins();
    expect(margins.equity?.enabled).toBe(true);
    expect(margins.equity!.net).toBeLessThan(1_000_000);
    const holdings = await kc.getHoldings();
    expect(holdings.map((h) => h.tradingsymbol)).toEqual(['SIMINFY', 'SIMITC']);
    const orderMargins = await kc.orderMargins([
      {
        exchange: 'NFO',
        tradingsymbol: 'SIMNIFTY26NOVFUT',
        transaction_type: 'BUY',
        variety: 'regular',
        product: 'NRML',
        order_type: 'MARKET',
        quantity: 65,
        price: 0,
        trigger_price: 0,
      },
    ]);
    expect(orderMargins[0]!.total).toBeGreaterThan(0);
    const note = await kc.getvirtualContractNote([
      {
        order_id: '1',
        exchange: 'NSE',
        tradingsymbol: 'SIMSBIN',
        transaction_type: 'BUY',
        variety: 'regular',
        product: 'CNC',
        order_type: 'LIMIT',
        quantity: 100,
        average_price: 800,
      },
    ]);
    // CNC buy of ₹80,000: STT 0.1 % = ₹80, stamp 0.015 % = ₹12, exchange 0.00307 % = ₹2.46, SEBI ₹0.08.
    expect(note[0]!.charges).toMatchObject({
      transaction_tax: 80,
      stamp_duty: 12,
      exchange_turnover_charge: 2.46,
      sebi_turnover_charge: 0.08,
      brokerage: 0,
    });
  });

  it('converts a day position between products and prices a basket', async () => {
    await kc.convertPosition({
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      transaction_type: 'BUY',
      position_type: 'day',
      quantity: 4,
      old_product: 'MIS',
      new_product: 'CNC',
    });
    const positions = await kc.getPositions();
    const byProduct = new Map(
      positions.day.filter((p) => p.tradingsymbol === 'SIMSBIN').map((p) => [p.product, p.quantity]),
    );
    expect(byProduct.get('MIS')).toBe(6);
    expect(byProduct.get('CNC')).toBe(4);
    const line = {
      exchange: 'NFO',
      tradingsymbol: 'SIMNIFTY26NOVFUT',
      transaction_type: 'BUY',
      variety: 'regular',
      product: 'NRML',
      order_type: 'LIMIT',
      quantity: 65,
      price: 26000,
      trigger_price: 0,
    } as const;
    const basket = await kc.orderBasketMargins([line, { ...line, quantity: 130 }]);
    const [single] = await kc.orderMargins([line]);
    expect(basket.orders).toHaveLength(2);
    expect(basket.initial.total).toBeCloseTo(single!.total * 3, 6);
  });

  it('keeps GTT triggers through create, read, modify and delete', async () => {
    const params = {
      trigger_type: 'single' as const,
      tradingsymbol: 'SIMSBIN',
      exchange: 'NSE',
      trigger_values: [700],
      last_price: 780,
      orders: [{ transaction_type: 'BUY', quantity: 1, product: 'CNC', order_type: 'LIMIT', price: 700 }],
    };
    const placed = await kc.placeGTT(params as never);
    const got = await kc.getGTT(placed.trigger_id);
    expect(got.status).toBe('active');
    await kc.modifyGTT(placed.trigger_id, { ...params, trigger_values: [710] } as never);
    expect((await kc.getGTT(placed.trigger_id)).condition.trigger_values).toEqual([710]);
    await kc.deleteGTT(placed.trigger_id);
    expect((await kc.getGTTs()).map((t) => t.id)).not.toContain(placed.trigger_id);
  });

  it('handles no request with an internal error', () => {
    expect(sim.internalErrors()).toEqual([]);
  });
});
