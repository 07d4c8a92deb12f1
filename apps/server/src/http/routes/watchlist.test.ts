import { PGlite } from '@electric-sql/pglite';
import { anInstrument, istToEpochMs, NseCalendar, TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerWatchlistRoutes } from './watchlist.ts';

const infy = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 });
const now = istToEpochMs('2026-11-23', '08:30');

describe('registerWatchlistRoutes', () => {
  let app: FastifyInstance;
  let store: Store;

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await store.instruments.saveVersion('real', '2026-11-23', [infy, anInstrument()]);
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
    registerWatchlistRoutes(app, {
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

  it('adds with 201, changes the mode with 200, lists and deletes', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/watchlist/NSE:INFY',
      payload: { mode: 'quote' },
    });
    expect(put.statusCode).toBe(201);
    expect(put.json()).toEqual({
      instrumentId: 'INFY.NSE',
      symbol: 'NSE:INFY',
      mode: 'quote',
      addedAt: '2026-11-23T08:30:00.000+05:30',
    });
    const again = await app.inject({
      method: 'PUT',
      url: '/api/watchlist/INFY.NSE',
      payload: { mode: 'full' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ mode: 'full' });
    await app.inject({ method: 'PUT', url: '/api/watchlist/NSE:RELIANCE', payload: { mode: 'ltp' } });
    const list = await app.inject({ url: '/api/watchlist' });
    expect(list.json<{ symbol: string; mode: string }[]>().map((e) => [e.symbol, e.mode])).toEqual([
      ['NSE:INFY', 'full'],
      ['NSE:RELIANCE', 'ltp'],
    ]);
    expect((await app.inject({ method: 'DELETE', url: '/api/watchlist/NSE:INFY' })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'DELETE', url: '/api/watchlist/NSE:INFY' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({
      error: { code: 'NOT_FOUND', message: 'NSE:INFY (INFY.NSE) is not on the watchlist' },
    });
    expect((await app.inject({ url: '/api/watchlist?namespace=simulated' })).json()).toEqual([]);
  });

  it('rejects an instrument the master does not list with 404 and the reason', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/watchlist/NSE:NOSUCH',
      payload: { mode: 'full' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message:
          'instrument NSE:NOSUCH is not in the real instruments master as of 2026-11-23 (latest version 2026-11-23)',
        details: null,
      },
    });
    const simulated = await app.inject({
      method: 'PUT',
      url: '/api/watchlist/NSE:INFY?namespace=simulated',
      payload: { mode: 'full' },
    });
    expect(simulated.statusCode).toBe(404);
  });

  it('answers 400 for a malformed symbol, a bad mode or an extra field', async () => {
    const symbol = await app.inject({ method: 'PUT', url: '/api/watchlist/INFY', payload: { mode: 'full' } });
    expect(symbol.statusCode).toBe(400);
    const mode = await app.inject({
      method: 'PUT',
      url: '/api/watchlist/NSE:INFY',
      payload: { mode: 'depth' },
    });
    expect(mode.statusCode).toBe(400);
    expect(mode.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const extra = await app.inject({ url: '/api/watchlist?namespace=paper' });
    expect(extra.statusCode).toBe(400);
  });
});
