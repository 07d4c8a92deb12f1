import { TestClock } from '@kitepilot/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GeneralException,
  InputException,
  KiteCircuitOpenError,
  KiteRateLimitError,
  KiteSessionExpiredError,
  KiteTimeoutError,
  NetworkException,
  TokenException,
} from '../errors.ts';
import { KiteRestClient } from './kite-rest-client.ts';
import { driveClock } from './testing/drive-clock.ts';
import { sendData, sendError, startFakeKiteServer, type FakeKiteServer } from './testing/fake-kite-server.ts';

const START = Date.UTC(2026, 10, 23, 4, 0, 0); // 09:30 IST

let fake: FakeKiteServer;
let clock: TestClock;
let client: KiteRestClient;

beforeEach(async () => {
  fake = await startFakeKiteServer();
  clock = new TestClock(START);
  client = new KiteRestClient({
    apiKey: 'key1',
    accessToken: 'tok1',
    baseUrl: fake.url,
    clock,
    random: () => 0.5,
    timeoutMs: 5000,
  });
});

afterEach(async () => {
  await fake.close();
});

describe('KiteHttp', () => {
  it('sends X-Kite-Version 3, token authorization, our user agent and repeated query keys', async () => {
    fake.handle((_req, res) => sendData(res, {}));
    await driveClock(clock, client.getLtp(['NSE:INFY', 'NSE:SBIN', 'NSE:INFY']));
    const req = fake.requests[0];
    expect(req?.path).toBe('/quote/ltp');
    expect(req?.query.getAll('i')).toEqual(['NSE:INFY', 'NSE:SBIN']);
    expect(req?.headers['x-kite-version']).toBe('3');
    expect(req?.headers['authorization']).toBe('token key1:tok1');
    expect(req?.headers['user-agent']).toMatch(/^kitepilot/);
  });

  it('sends order parameters as a form body with exact rupee prices', async () => {
    fake.handle((_req, res) => sendData(res, { order_id: '151220000000000' }));
    const placed = await client.placeOrder({
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transactionType: 'BUY',
      quantity: 10,
      product: 'MIS',
      orderType: 'SL',
      pricePaise: 157370 as never,
      triggerPricePaise: 157305 as never,
      validity: 'DAY',
      tag: 'KPabc123',
      marketProtection: 2,
    });
    expect(placed.orderId).toBe('151220000000000');
    const req = fake.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/orders/regular');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req?.body);
    expect(Object.fromEntries(form)).toEqual({
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: '10',
      product: 'MIS',
      order_type: 'SL',
      price: '1573.70',
      trigger_price: '1573.05',
      validity: 'DAY',
      tag: 'KPabc123',
      market_protection: '2',
    });
  });

  it('sends margin orders as a JSON array with the options in the query', async () => {
    fake.handle((_req, res) => sendData(res, []));
    await client.getOrderMargins([
      {
        exchange: 'NFO',
        tradingsymbol: 'NIFTY26NOVFUT',
        transactionType: 'SELL',
        variety: 'regular',
        product: 'NRML',
        orderType: 'LIMIT',
        quantity: 65,
        pricePaise: 2612345 as never,
      },
    ]);
    const req = fake.requests[0];
    expect(req?.path).toBe('/margins/orders');
    expect(req?.query.get('mode')).toBe('compact');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual([
      {
        exchange: 'NFO',
        tradingsymbol: 'NIFTY26NOVFUT',
        transaction_type: 'SELL',
        variety: 'regular',
        product: 'NRML',
        order_type: 'LIMIT',
        quantity: 65,
        price: 26123.45,
        trigger_price: 0,
      },
    ]);
  });

  it('maps the error envelope to the typed error with status, type and message', async () => {
    fake.handle((_req, res) => sendError(res, 400, 'InputException', 'Invalid `tradingsymbol`.'));
    const error = await client.getOrderHistory('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputException);
    expect(error).toMatchObject({ status: 400, errorType: 'InputException', retryable: false });
    expect((error as Error).message).toBe('Kite GET /orders/1 failed (HTTP 400): Invalid `tradingsymbol`.');
  });

  it('raises sessionExpired on a TokenException and refuses order calls until a new token is set', async () => {
    const events: TokenException[] = [];
    client.on('sessionExpired', (e) => events.push(e));
    fake.handle((_req, res) =>
      sendError(res, 403, 'TokenException', 'Incorrect `api_key` or `access_token`.'),
    );
    await expect(client.getProfile()).rejects.toBeInstanceOf(TokenException);
    expect(events).toHaveLength(1);
    expect(client.sessionExpired).toBe(true);
    const sent = fake.requests.length;
    const order = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transactionType: 'BUY',
      quantity: 1,
      product: 'CNC',
      orderType: 'MARKET',
      marketProtection: -1,
    } as const;
    await expect(client.placeOrder(order)).rejects.toBeInstanceOf(KiteSessionExpiredError);
    await expect(client.cancelOrder('regular', '1')).rejects.toBeInstanceOf(KiteSessionExpiredError);
    expect(fake.requests.length).toBe(sent);
    client.setAccessToken('tok1');
    await expect(client.placeOrder(order)).rejects.toBeInstanceOf(KiteSessionExpiredError);
    client.setAccessToken('tok2');
    fake.handle((_req, res) => sendData(res, { order_id: '9' }));
    await expect(client.placeOrder(order)).resolves.toMatchObject({ orderId: '9' });
    expect(fake.requests.at(-1)?.headers['authorization']).toBe('token key1:tok2');
  });

  it('retries a read after 5xx and 429 with backoff on the clock, then succeeds', async () => {
    let n = 0;
    fake.handle((_req, res) => {
      n++;
      if (n === 1) sendError(res, 503, 'NetworkException', 'Gateway');
      else if (n === 2) res.writeHead(429, { 'content-type': 'text/plain' }).end('Too many requests');
      else sendData(res, { user_id: 'AB1234', user_name: 'A B' });
    });
    const profile = await driveClock(clock, client.getProfile());
    expect(profile.userId).toBe('AB1234');
    expect(n).toBe(3);
    // retry 1 after 250·(0.5+0.25)=187 ms; retry 2 after a 429 waits at least 1 s.
    expect(clock.now() - START).toBe(187 + 1000);
  });

  it('gives up a read after maxAttempts and reports the last error', async () => {
    fake.handle((_req, res) => sendError(res, 500, 'GeneralException', 'boom'));
    const error = await driveClock(
      clock,
      client.getPositions().catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(GeneralException);
    expect(fake.requests).toHaveLength(4);
  });

  it('never retries an order placement', async () => {
    fake.handle((_req, res) => sendError(res, 503, 'NetworkException', 'OMS down'));
    const error = await driveClock(
      clock,
      client
        .placeOrder({
          variety: 'regular',
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transactionType: 'BUY',
          quantity: 1,
          product: 'CNC',
          orderType: 'LIMIT',
          pricePaise: 100 as never,
        })
        .catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(NetworkException);
    expect(fake.requests).toHaveLength(1);
  });

  it('opens the circuit after consecutive failures and probes after the cool-down', async () => {
    fake.handle((_req, res) => sendError(res, 502, 'DataException', 'bad gateway'));
    const breaker = client.breaker('other');
    for (let i = 0; i < 2; i++)
      await driveClock(
        clock,
        client.getHoldings().catch(() => undefined),
      );
    expect(breaker.state).toBe('open');
    const sent = fake.requests.length;
    await expect(client.getHoldings()).rejects.toBeInstanceOf(KiteCircuitOpenError);
    expect(fake.requests.length).toBe(sent);
    clock.advanceBy(30_000);
    expect(breaker.state).toBe('half-open');
    fake.handle((_req, res) => sendData(res, []));
    await expect(driveClock(clock, client.getHoldings())).resolves.toEqual([]);
    expect(breaker.state).toBe('closed');
  });

  it('reports a timeout when no answer arrives in time', async () => {
    fake.handle(() => undefined);
    const error = await driveClock(
      clock,
      client.getTrades().catch((e: unknown) => e),
      true,
    );
    expect(error).toBeInstanceOf(KiteTimeoutError);
    expect((error as Error).message).toContain('no response within 5000 ms');
  });

  it('reports a 429 without a Kite body as a rate-limit error', async () => {
    fake.handle((_req, res) => res.writeHead(429).end('Too many requests'));
    const error = await driveClock(
      clock,
      client.cancelOrder('regular', '5').catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(KiteRateLimitError);
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps the access token out of error messages', async () => {
    fake.handle((_req, res) => sendError(res, 403, 'TokenException', 'expired'));
    const error = (await client.invalidateAccessToken().catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('tok1');
    expect(fake.requests[0]?.query.get('access_token')).toBe('tok1');
  });
});
