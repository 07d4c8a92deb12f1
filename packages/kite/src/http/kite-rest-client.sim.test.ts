// Our REST client against the Kite simulator (@kitepilot/kite-sim), every endpoint of kite-connect.md §2.2 that
// the simulator serves, plus session expiry, injected 5xx/429 and an uncertain placement.
import { istToEpochMs, TestClock, type Paise } from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginUrl } from '../auth/login-url.ts';
import { InputException, KiteSessionExpiredError, TokenException } from '../errors.ts';
import { KiteRestClient } from './kite-rest-client.ts';
import { SafeOrderPlacer } from './order-placement.ts';
import { driveClock } from './testing/drive-clock.ts';
import { SystemClock } from '@kitepilot/runtime';

const START = istToEpochMs('2026-11-23', '10:00:30');
const toPaise = (n: number) => n as Paise;

describe('KiteRestClient against the simulator', () => {
  let sim: KiteSim;
  let clock: TestClock;
  let client: KiteRestClient;
  const run = <T>(p: Promise<T>): Promise<T> => driveClock(clock, p);

  beforeAll(async () => {
    clock = new TestClock(START);
    // The simulator's own limits run on real time; this suite runs on a test clock, so they are checked below.
    sim = await startKiteSim({ clock, seed: 5, enforceRateLimits: false });
    client = new KiteRestClient({ apiKey: sim.apiKey, baseUrl: sim.restUrl, clock, random: () => 0 });
  });
  afterAll(() => sim.close());

  it('logs in through the login redirect and the checksum exchange', async () => {
    const res = await fetch(loginUrl(sim.apiKey, `${sim.restUrl}/connect/login`), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const token = new URL(res.headers.get('location') ?? '').searchParams.get('request_token') ?? '';
    const session = await run(client.generateSession(token, sim.apiSecret));
    expect(session).toMatchObject({ userId: 'SIM001', userName: 'SIM Trader', apiKey: sim.apiKey });
    expect(session.loginTimeMs).toBe(Math.floor(START / 1000) * 1000);
    expect(client.accessToken).toBe(session.accessToken);
    await expect(run(client.generateSession(token, sim.apiSecret))).rejects.toBeInstanceOf(TokenException);
    client.setAccessToken(session.accessToken);
  });

  it('reads the profile and funds', async () => {
    expect((await run(client.getProfile())).userId).toBe('SIM001');
    const margins = await run(client.getMargins());
    expect(margins.equity?.enabled).toBe(true);
    expect(Number.isSafeInteger(margins.equity?.netPaise)).toBe(true);
    expect((await run(client.getSegmentMargins('equity'))).netPaise).toBe(margins.equity?.netPaise);
  });

  it('reads quote, OHLC and LTP that agree, leaving unknown instruments out', async () => {
    const keys = ['NSE:SIMSBIN', 'NFO:SIMNIFTY26NOVFUT', 'NSE:NOSUCH'];
    const quotes = await run(client.getQuote(keys));
    const ltp = await run(client.getLtp(keys));
    const ohlc = await run(client.getOhlc(keys));
    expect([...quotes.keys()].sort()).toEqual(['NFO:SIMNIFTY26NOVFUT', 'NSE:SIMSBIN']);
    const q = quotes.get('NFO:SIMNIFTY26NOVFUT');
    expect(ltp.get('NFO:SIMNIFTY26NOVFUT')?.lastPricePaise).toBe(q?.lastPricePaise);
    expect(ohlc.get('NFO:SIMNIFTY26NOVFUT')?.ohlc).toEqual(q?.ohlc);
    expect(q?.depth.buy).toHaveLength(5);
    expect(q?.timestampMs).toBe(START); // 10:00:30 IST, read as IST whatever the host zone
  });

  it('streams the whole instruments dump into Instruments', async () => {
    const { instruments, skipped } = await run(client.getInstruments());
    expect(skipped).toEqual([]);
    expect(instruments).toHaveLength(sim.instruments.length);
    for (const s of sim.instruments) {
      const i = instruments.find((x) => x.token === s.instrumentToken);
      expect(i?.tradingSymbol).toBe(s.tradingsymbol);
      if (s.segment !== 'INDICES') {
        expect(i?.tickSizePaise).toBe(s.tickSizePaise);
        expect(i?.lotSize).toBe(s.lotSize);
      }
      expect(i?.strikePaise ?? 0).toBe(s.strikePaise);
    }
    const nfo = await run(client.getInstruments('NFO'));
    expect(nfo.instruments.every((i) => i.exchange === 'NFO')).toBe(true);
  });

  it('chunks a 100-day minute request the simulator would refuse in one piece, with OI', async () => {
    const future = sim.instruments.find((i) => i.tradingsymbol === 'SIMNIFTY26NOVFUT');
    const token = future?.instrumentToken ?? 0;
    const fromMs = istToEpochMs('2026-08-15', '09:15');
    const candles = await run(
      client.getHistoricalData({
        instrumentToken: token,
        interval: 'minute',
        fromMs,
        toMs: istToEpochMs('2026-11-23', '10:05'),
        oi: true,
      }),
    );
    expect(candles.at(-1)?.tsMs).toBe(istToEpochMs('2026-11-23', '10:00'));
    expect(candles.every((c, i) => i === 0 || c.tsMs > (candles[i - 1]?.tsMs ?? 0))).toBe(true);
    expect(
      candles.every((c) => c.oi !== null && c.lowPaise <= c.openPaise && c.openPaise <= c.highPaise),
    ).toBe(true);
    const today = await run(
      client.getHistoricalData({
        instrumentToken: token,
        interval: 'minute',
        fromMs: istToEpochMs('2026-11-23', '09:15'),
        toMs: istToEpochMs('2026-11-23', '10:05'),
      }),
    );
    expect(today).toHaveLength(46);
    expect(today.every((c) => c.oi === null)).toBe(true);
    expect(candles.slice(-46).map((c) => c.closePaise)).toEqual(today.map((c) => c.closePaise));
  });

  it('places, reads, modifies and cancels orders and reads trades and positions', async () => {
    const q = (await run(client.getQuote(['NSE:SIMSBIN']))).get('NSE:SIMSBIN');
    const ask = q?.depth.sell[0]?.pricePaise ?? toPaise(0);
    const filled = await run(
      client.placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'SIMSBIN',
        transactionType: 'BUY',
        quantity: 10,
        product: 'MIS',
        orderType: 'LIMIT',
        pricePaise: ask,
        tag: 'KPsim1',
      }),
    );
    const history = await run(client.getOrderHistory(filled.orderId));
    expect(history.at(-1)).toMatchObject({
      status: 'COMPLETE',
      filledQuantity: 10,
      averagePricePaise: ask,
      tag: 'KPsim1',
    });
    const trades = await run(client.getOrderTrades(filled.orderId));
    expect(trades.reduce((s, t) => s + t.quantity, 0)).toBe(10);
    expect((await run(client.getTrades())).some((t) => t.orderId === filled.orderId)).toBe(true);

    const low = toPaise(Math.round(((q?.lastPricePaise ?? 0) * 0.95) / 5) * 5);
    const resting = await run(
      client.placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'SIMSBIN',
        transactionType: 'BUY',
        quantity: 5,
        product: 'MIS',
        orderType: 'LIMIT',
        pricePaise: low,
      }),
    );
    await run(client.modifyOrder('regular', resting.orderId, { quantity: 6, pricePaise: toPaise(low + 5) }));
    await run(client.cancelOrder('regular', resting.orderId));
    const restingHistory = await run(client.getOrderHistory(resting.orderId));
    expect(restingHistory.map((h) => h.status)).toContain('MODIFIED');
    expect(restingHistory.at(-1)).toMatchObject({
      status: 'CANCELLED',
      quantity: 6,
      pricePaise: low + 5,
      modified: true,
    });
    const book = await run(client.getOrders());
    expect(book.map((o) => o.orderId)).toEqual(expect.arrayContaining([filled.orderId, resting.orderId]));

    const positions = await run(client.getPositions());
    expect(positions.net.find((p) => p.tradingsymbol === 'SIMSBIN' && p.product === 'MIS')?.quantity).toBe(
      10,
    );
    expect((await run(client.getHoldings())).map((h) => h.tradingsymbol)).toEqual(['SIMINFY', 'SIMITC']);
    await expect(
      run(
        client.convertPosition({
          exchange: 'NSE',
          tradingsymbol: 'SIMSBIN',
          transactionType: 'BUY',
          positionType: 'day',
          quantity: 10,
          oldProduct: 'MIS',
          newProduct: 'CNC',
        }),
      ),
    ).resolves.toBe(true);
  });

  it('gets an InputException for a market order without protection and places one with it', async () => {
    const base = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      transactionType: 'BUY',
      quantity: 1,
      product: 'MIS',
      orderType: 'MARKET',
    } as const;
    await expect(run(client.placeOrder(base))).rejects.toBeInstanceOf(InputException);
    const placed = await run(client.placeOrder({ ...base, marketProtection: 2 }));
    expect((await run(client.getOrderHistory(placed.orderId))).at(-1)?.status).toBe('COMPLETE');
  });

  it('computes order and basket margins and a contract note', async () => {
    const order = {
      exchange: 'NFO',
      tradingsymbol: 'SIMNIFTY26NOVFUT',
      transactionType: 'BUY',
      variety: 'regular',
      product: 'NRML',
      orderType: 'MARKET',
      quantity: 65,
    } as const;
    const [margin] = await run(client.getOrderMargins([order]));
    expect(margin?.totalPaise).toBeGreaterThan(0);
    const basket = await run(client.getBasketMargins([order, order]));
    expect(basket.orders).toHaveLength(2);
    const note = await run(
      client.getVirtualContractNote([
        {
          orderId: '1',
          exchange: 'NSE',
          tradingsymbol: 'SIMSBIN',
          transactionType: 'BUY',
          variety: 'regular',
          product: 'CNC',
          orderType: 'LIMIT',
          quantity: 100,
          averagePricePaise: toPaise(80000),
        },
      ]),
    );
    expect(note[0]?.charges).toMatchObject({
      transactionTaxPaise: 8000,
      stampDutyPaise: 1200,
      exchangeTurnoverChargePaise: 246,
      sebiTurnoverChargePaise: 8,
    });
  });

  it('keeps a GTT through create, read, modify and delete', async () => {
    const params = {
      type: 'single',
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      triggerValuesPaise: [toPaise(70000)],
      lastPricePaise: toPaise(78000),
      orders: [
        {
          transactionType: 'BUY',
          quantity: 1,
          orderType: 'LIMIT',
          product: 'CNC',
          pricePaise: toPaise(70000),
        },
      ],
    } as const;
    const id = await run(client.placeGtt(params));
    expect((await run(client.getGtt(id))).status).toBe('active');
    await run(client.modifyGtt(id, { ...params, triggerValuesPaise: [toPaise(71000)] }));
    expect((await run(client.getGtt(id))).condition.triggerValuesPaise).toEqual([71000]);
    await run(client.deleteGtt(id));
    expect((await run(client.getGtts())).map((g) => g.id)).not.toContain(id);
  });

  it('retries reads through injected 503s and a 429', async () => {
    sim.faults.failNextRequests(2, 503, '/user/profile');
    expect((await run(client.getProfile())).userId).toBe('SIM001');
    sim.faults.rateLimitNextRequests(1, '/quote');
    expect((await run(client.getLtp(['NSE:SIMSBIN']))).size).toBe(1);
  });

  it('resolves a placement whose answer comes too late by its tag, without a second order', async () => {
    const wall = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: client.accessToken,
      clock: new SystemClock({ keepAlive: true }),
      timeoutMs: 150,
    });
    const placer = new SafeOrderPlacer(wall, { resolveWithinMs: 2000, pollIntervalMs: 100 });
    const order = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SIMITC',
      transactionType: 'BUY',
      quantity: 1,
      product: 'CNC',
      orderType: 'LIMIT',
      pricePaise: toPaise(100),
      tag: 'KPlate1',
    } as const;
    sim.faults.delayNextResponses(1, 600, '/orders');
    const result = await placer.place(order);
    expect(result.status).toBe('found');
    const tagged = (await wall.getOrders()).filter((o) => o.tag === 'KPlate1');
    expect(tagged).toHaveLength(1);

    sim.faults.failNextRequests(1, 500, '/orders/regular');
    const failed = await placer.place({ ...order, tag: 'KPfail1' });
    expect(failed.status).toBe('not-placed');
    expect((await wall.getOrders()).filter((o) => o.tag === 'KPfail1')).toHaveLength(0);
  });

  it('stops order flow when the session expires and resumes after a new login', async () => {
    let expired = 0;
    client.on('sessionExpired', () => expired++);
    sim.faults.expireTokens();
    await expect(run(client.getProfile())).rejects.toBeInstanceOf(TokenException);
    expect(expired).toBe(1);
    const order = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      transactionType: 'SELL',
      quantity: 1,
      product: 'MIS',
      orderType: 'LIMIT',
      pricePaise: toPaise(99999900),
    } as const;
    await expect(run(client.placeOrder(order))).rejects.toBeInstanceOf(KiteSessionExpiredError);
    // The simulator expires the tokens issued up to the current instant; log in a second later.
    clock.advanceBy(1000);
    await run(client.generateSession(sim.createRequestToken(), sim.apiSecret));
    expect(client.sessionExpired).toBe(false);
    await expect(run(client.placeOrder(order))).resolves.toMatchObject({
      orderId: expect.any(String) as string,
    });
  });

  it('keeps under the real-time limits of the simulator with its own limiter (no 429)', async () => {
    const limited = await startKiteSim({ clock, seed: 5, enforceRateLimits: true });
    try {
      const wall = new KiteRestClient({
        apiKey: limited.apiKey,
        baseUrl: limited.restUrl,
        accessToken: limited.createAccessToken(),
        clock: new SystemClock({ keepAlive: true }),
        backoff: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      const future =
        limited.instruments.find((i) => i.tradingsymbol === 'SIMNIFTY26NOVFUT')?.instrumentToken ?? 0;
      const from = istToEpochMs('2026-11-23', '09:15');
      const calls = [
        ...[1, 2, 3].map(() => wall.getLtp(['NSE:SIMSBIN'])),
        ...[1, 2, 3, 4].map(() =>
          wall.getHistoricalData({
            instrumentToken: future,
            interval: 'minute',
            fromMs: from,
            toMs: from + 60_000,
          }),
        ),
        ...Array.from({ length: 12 }, () => wall.getProfile()),
      ];
      // maxAttempts 1: a single 429 would fail the call.
      await expect(Promise.all(calls)).resolves.toHaveLength(19);
    } finally {
      await limited.close();
    }
  });

  it('logs out: the invalidated token is refused afterwards', async () => {
    const other = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: sim.createAccessToken(),
      clock,
      random: () => 0,
    });
    expect((await run(other.getProfile())).userId).toBe('SIM001');
    const token = other.accessToken;
    await expect(run(other.invalidateAccessToken())).resolves.toBe(true);
    expect(other.accessToken).toBeNull();
    other.setAccessToken(token);
    await expect(run(other.getProfile())).rejects.toBeInstanceOf(TokenException);
  });

  it('caused no internal error in the simulator', () => {
    expect(sim.internalErrors()).toEqual([]);
  });
});
