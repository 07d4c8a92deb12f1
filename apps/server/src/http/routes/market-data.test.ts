import { PGlite } from '@electric-sql/pglite';
import {
  instrumentId,
  istToEpochMs,
  makeBar,
  makeTick,
  NseCalendar,
  paise,
  TestClock,
  type InstrumentTick,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerMarketDataRoutes } from './market-data.ts';

const infy = instrumentId('INFY', 'NSE');
const open = istToEpochMs('2026-11-20', '09:15');

function aTick(ms: number, pricePaise: number): InstrumentTick {
  return {
    instrumentId: infy,
    tick: makeTick({
      token: 408065,
      tradable: true,
      mode: 'quote',
      lastPricePaise: paise(pricePaise),
      volume: 100,
      exchangeTs: ms,
      tsInit: ms + 25,
    }),
  };
}

/** Returns a Fastify app with the market-data routes over an in-memory migrated store. */
async function appWithStore(): Promise<{ app: FastifyInstance; store: Store }> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store = createStore(driver);
  const logger = createLogger({ level: 'silent' });
  const metrics = createMetricsRegistry();
  const owner = await createTestOwner(store);
  const app = buildApp({
    auth: testAuthDeps(store),
    logger,
    metrics,
    statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
  });
  const { config } = loadConfig({ env: {} });
  sendTokenWith(app, owner.token);
  registerMarketDataRoutes(app, {
    store,
    config,
    clock: new TestClock(open),
    calendar: new NseCalendar(),
    logger,
    metrics,
    trading: { current: null },
  });
  await app.ready();
  return { app, store };
}

describe('registerMarketDataRoutes', () => {
  let app: FastifyInstance;
  let store: Store;

  beforeAll(async () => {
    ({ app, store } = await appWithStore());
    await store.ticks.append('real', [
      aTick(open, 154800),
      aTick(open + 1000, 154805),
      aTick(open + 2000, 154810),
    ]);
    await store.ticks.append('simulated', [aTick(open, 99900)]);
    const p = paise(154800);
    await store.bars.upsert('real', [
      makeBar({
        instrumentId: infy,
        interval: '1m',
        start: open,
        openPaise: p,
        highPaise: paise(154810),
        lowPaise: p,
        closePaise: paise(154810),
        volume: 300,
        oi: null,
        origin: 'live',
      }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('returns the ticks of the range with Tick field names, paise and IST times', async () => {
    const res = await app.inject({
      url: '/api/ticks?symbol=NSE:INFY&from=2026-11-20T09:15&to=2026-11-20T09:15:02',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>[]>();
    expect(body.map((t) => t['lastPricePaise'])).toEqual([154800, 154805]);
    expect(body[0]).toMatchObject({
      instrumentId: 'INFY.NSE',
      token: 408065,
      mode: 'quote',
      volume: 100,
      depth: null,
      exchangeTs: '2026-11-20T09:15:00.000+05:30',
      tsInit: '2026-11-20T09:15:00.025+05:30',
    });
  });

  it('reads the namespace asked for, real by default', async () => {
    const day = '/api/ticks?symbol=INFY.NSE&from=2026-11-20&to=2026-11-20';
    expect((await app.inject({ url: day })).json()).toHaveLength(3);
    const simulated = (await app.inject({ url: `${day}&namespace=simulated` })).json<
      { lastPricePaise: number }[]
    >();
    expect(simulated.map((t) => t.lastPricePaise)).toEqual([99900]);
  });

  it('returns candles with Bar field names', async () => {
    const res = await app.inject({
      url: '/api/candles?symbol=NSE:INFY&interval=1m&from=2026-11-20&to=2026-11-20',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        instrumentId: 'INFY.NSE',
        interval: '1m',
        start: '2026-11-20T09:15:00.000+05:30',
        openPaise: 154800,
        highPaise: 154810,
        lowPaise: 154800,
        closePaise: 154810,
        volume: 300,
        oi: null,
        origin: 'live',
      },
    ]);
  });

  it('answers 400 with the error body for a bad query, symbol or time', async () => {
    const missing = await app.inject({ url: '/api/ticks?symbol=NSE:INFY&from=2026-11-20' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const interval = await app.inject({
      url: '/api/candles?symbol=NSE:INFY&interval=2m&from=2026-11-20&to=2026-11-21',
    });
    expect(interval.statusCode).toBe(400);
    const symbol = await app.inject({ url: '/api/ticks?symbol=INFY&from=2026-11-20&to=2026-11-21' });
    expect(symbol.statusCode).toBe(400);
    expect(symbol.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('"INFY"') },
    });
    const time = await app.inject({ url: '/api/ticks?symbol=NSE:INFY&from=2026-11-20T25:00&to=2026-11-21' });
    expect(time.statusCode).toBe(400);
    expect(time.json()).toMatchObject({
      error: { message: expect.stringContaining('from "2026-11-20T25:00"') },
    });
    const empty = await app.inject({ url: '/api/ticks?symbol=NSE:INFY&from=2026-11-21&to=2026-11-20' });
    expect(empty.statusCode).toBe(400);
  });

  it('refuses a range with more rows than the limit with 422 instead of truncating', async () => {
    const res = await app.inject({ url: '/api/ticks?symbol=NSE:INFY&from=2026-11-20&to=2026-11-20&limit=2' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message:
          'the tick range of INFY.NSE holds more than 2 rows; narrow the from/to range or raise the limit (at most 100000)',
        details: { limit: 2 },
      },
    });
    const tooBig = await app.inject({
      url: '/api/ticks?symbol=NSE:INFY&from=2026-11-20&to=2026-11-20&limit=100001',
    });
    expect(tooBig.statusCode).toBe(400);
  });
});
