import { PGlite } from '@electric-sql/pglite';
import {
  aFill,
  anIntent,
  anOrder,
  flatPosition,
  instrumentId,
  istToEpochMs,
  NseCalendar,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueTradeId,
  TestClock,
  type AccountId,
  type RunId,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerTradingReadRoutes } from './trading-reads.ts';

const now = istToEpochMs('2026-11-23', '11:00');
const main = parseAccountId('acc_default');
const other = parseAccountId('acc_other');
const runMain = parseRunId('run_main');
const runOther = parseRunId('run_other');
const infy = instrumentId('INFY', 'NSE');
const reliance = instrumentId('RELIANCE', 'NSE');

/** Stores an intent and its order created at `at`, `filledQty` of `qty` filled at `pricePaise`. */
async function anOrderAt(
  store: Store,
  account: AccountId,
  run: RunId,
  n: string,
  at: number,
  fill: { qty: number; filledQty: number; pricePaise: number } | null,
): Promise<void> {
  const intentId = parseIntentId(`int_${n}`);
  const intent = anIntent({
    id: intentId,
    accountId: account,
    runId: run,
    tsEvent: at,
    tsInit: at,
    qty: fill?.qty ?? 1,
  });
  await store.intents.insert(account, intent);
  const order = anOrder({ ...intent, clientOrderId: parseClientOrderId(`ord_${n}`), createdAt: at });
  await store.orders.save(
    account,
    fill === null
      ? { ...order, status: 'OPEN' }
      : {
          ...order,
          status: fill.filledQty === fill.qty ? 'FILLED' : 'PARTIALLY_FILLED',
          filledQty: fill.filledQty,
          filledValuePaise: paise(fill.pricePaise * fill.filledQty),
          updatedAt: at + 1500,
        },
  );
}

describe('registerTradingReadRoutes', () => {
  let app: FastifyInstance;
  let store: Store;

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    for (const [account, run] of [
      [main, runMain],
      [other, runOther],
    ] as const) {
      await store.accounts.create({ id: account, name: account, createdAt: now });
      await store.runs.create(account, {
        id: run,
        environment: 'paper',
        strategyId: parseStrategyId('str_orb'),
        config: {},
        startedAt: now,
      });
    }
    await anOrderAt(store, main, runMain, 'Y1', istToEpochMs('2026-11-22', '15:00'), null);
    await anOrderAt(store, main, runMain, 'T1', istToEpochMs('2026-11-23', '09:20'), {
      qty: 3,
      filledQty: 3,
      pricePaise: 157370,
    });
    await anOrderAt(store, main, runMain, 'T2', istToEpochMs('2026-11-23', '10:05'), null);
    await anOrderAt(store, other, runOther, 'O1', istToEpochMs('2026-11-23', '09:30'), null);
    await store.fills.insert(
      main,
      aFill({
        id: parseFillId('fil_T1'),
        accountId: main,
        clientOrderId: parseClientOrderId('ord_T1'),
        venueTradeId: parseVenueTradeId('55501'),
        qty: 3,
        pricePaise: paise(157370),
        tsEvent: istToEpochMs('2026-11-23', '09:20:01'),
        tsInit: istToEpochMs('2026-11-23', '09:20:01') + 40,
      }),
    );
    await store.positions.save(main, {
      ...flatPosition(main, reliance, 'MIS', istToEpochMs('2026-11-23', '09:20:01')),
      netQty: 3,
      costBasisPaise: paise(472110),
    });
    await store.positions.save(main, {
      ...flatPosition(main, infy, 'MIS', istToEpochMs('2026-11-23', '10:30')),
      realisedPnlPaise: paise(-12345),
    });
    const logger = createLogger({ level: 'silent' });
    const metrics = createMetricsRegistry();
    const owner = await createTestOwner(store);
    app = buildApp({
      auth: testAuthDeps(store),
      logger,
      metrics,
      statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
    });
    sendTokenWith(app, owner.token);
    registerTradingReadRoutes(app, {
      store,
      config: loadConfig({ env: {} }).config,
      clock: new TestClock(now),
      calendar: new NseCalendar(),
      logger,
      metrics,
      trading: { current: null },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it("lists today's orders of the caller's default account (the first by id for an owner), with paise, rupees and IST times", async () => {
    const response = await app.inject({ method: 'GET', url: '/api/orders' });
    expect(response.statusCode).toBe(200);
    const rows = response.json<Record<string, unknown>[]>();
    expect(rows.map((r) => r['clientOrderId'])).toEqual(['ord_T1', 'ord_T2']);
    expect(rows[0]).toMatchObject({
      accountId: 'acc_default',
      intentId: 'int_T1',
      status: 'FILLED',
      qty: 3,
      filledQty: 3,
      limitPricePaise: 157370,
      limitPrice: '1573.70',
      filledValuePaise: 472110,
      filledValue: '4721.10',
      averagePricePaise: 157370,
      averagePrice: '1573.70',
      createdAt: '2026-11-23T09:20:00.000+05:30',
      updatedAt: '2026-11-23T09:20:01.500+05:30',
    });
    expect(rows[1]).toMatchObject({ status: 'OPEN', averagePricePaise: null, averagePrice: null });
  });

  it('reads another day and another account on request', async () => {
    const yesterday = await app.inject({ method: 'GET', url: '/api/orders?date=2026-11-22' });
    expect(yesterday.json<{ clientOrderId: string }[]>().map((r) => r.clientOrderId)).toEqual(['ord_Y1']);
    const others = await app.inject({ method: 'GET', url: '/api/orders?date=2026-11-23&account=acc_other' });
    expect(others.json<{ clientOrderId: string }[]>().map((r) => r.clientOrderId)).toEqual(['ord_O1']);
    const none = await app.inject({ method: 'GET', url: '/api/fills?account=acc_other' });
    expect(none.json()).toEqual([]);
  });

  it("lists the day's fills with their value", async () => {
    const response = await app.inject({ method: 'GET', url: '/api/fills?date=2026-11-23' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      {
        id: 'fil_T1',
        clientOrderId: 'ord_T1',
        venueTradeId: '55501',
        accountId: 'acc_default',
        instrumentId: 'RELIANCE.NSE',
        product: 'MIS',
        side: 'BUY',
        qty: 3,
        pricePaise: 157370,
        price: '1573.70',
        valuePaise: 472110,
        value: '4721.10',
        tsEvent: '2026-11-23T09:20:01.000+05:30',
        tsInit: '2026-11-23T09:20:01.040+05:30',
      },
    ]);
    expect((await app.inject({ method: 'GET', url: '/api/fills?date=2026-11-22' })).json()).toEqual([]);
  });

  it('lists positions with net quantity, average price and realised P&L', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/positions' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      {
        accountId: 'acc_default',
        instrumentId: 'INFY.NSE',
        product: 'MIS',
        netQty: 0,
        averagePricePaise: null,
        averagePrice: null,
        costBasisPaise: 0,
        costBasis: '0.00',
        realisedPnlPaise: -12345,
        realisedPnl: '-123.45',
        updatedAt: '2026-11-23T10:30:00.000+05:30',
      },
      {
        accountId: 'acc_default',
        instrumentId: 'RELIANCE.NSE',
        product: 'MIS',
        netQty: 3,
        averagePricePaise: 157370,
        averagePrice: '1573.70',
        costBasisPaise: 472110,
        costBasis: '4721.10',
        realisedPnlPaise: 0,
        realisedPnl: '0.00',
        updatedAt: '2026-11-23T09:20:01.000+05:30',
      },
    ]);
  });

  it('answers a bad date or account with the error body naming the value, an unknown account with 403', async () => {
    const cases = [
      [
        '/api/orders?date=23-11-2026',
        400,
        'VALIDATION_FAILED',
        'date "23-11-2026" is not an IST date YYYY-MM-DD',
      ],
      ['/api/fills?date=2026-02-30', 400, 'VALIDATION_FAILED', 'date "2026-02-30" is not a calendar date'],
      [
        '/api/positions?account=user_1',
        400,
        'VALIDATION_FAILED',
        'account id "user_1" does not start with "acc_"',
      ],
      [
        '/api/orders?account=acc_nobody',
        403,
        'FORBIDDEN',
        'account acc_nobody is not one the caller may act on',
      ],
      [
        '/api/fills?date=2026-11-23T09:15:00.000Z',
        400,
        'VALIDATION_FAILED',
        'must NOT have more than 20 characters',
      ],
    ] as const;
    for (const [url, status, code, message] of cases) {
      const response = await app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status });
      const body = response.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe(code);
      expect(body.error.message).toContain(message);
    }
  });
});
