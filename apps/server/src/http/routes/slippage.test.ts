import { PGlite } from '@electric-sql/pglite';
import { NseCalendar, TestClock, istToEpochMs } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { seedSlippageFixture } from '../../research/slippage-calibration.testing.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerSlippageRoutes } from './slippage.ts';

describe('registerSlippageRoutes', () => {
  let app: FastifyInstance;
  let pglite: PGlite;

  beforeAll(async () => {
    pglite = await PGlite.create();
    const driver = new PgliteDriver(pglite);
    await migrate(driver);
    const store = createStore(driver);
    await seedSlippageFixture(store);
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
    registerSlippageRoutes(app, {
      store,
      config: loadConfig({ env: {} }).config,
      clock: new TestClock(istToEpochMs('2026-11-23', '16:00')),
      calendar: new NseCalendar(),
      logger,
      metrics,
      trading: { current: null },
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await pglite.close();
  });

  const get = (query: string) => app.inject({ method: 'GET', url: `/api/slippage/calibration?${query}` });
  const day = 'account=acc_demo&from=2026-11-23&to=2026-11-23';

  it('answers the fixed-bps fit of the recorded simulated fills with the backtest flag', async () => {
    const res = await get(`${day}&simulated=true`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      accountId: 'acc_demo',
      from: '2026-11-23',
      to: '2026-11-23',
      namespace: 'simulated',
      model: 'fixed-bps',
      samples: 3,
      skipped: 0,
      orders: 7,
      filledMarketOrders: 5,
      tickReferences: 2,
      slippageFlag: 'bps:5',
      skippedOrders: [
        { clientOrderId: 'ord_F1', instrumentId: 'RELIANCE.NSE', reason: 'no-stored-fills' },
        { clientOrderId: 'ord_N1', instrumentId: 'RELIANCE.NSE', reason: 'no-reference-price' },
      ],
    });
    expect(body.parameter).toBeCloseTo(5, 9);
    expect(body.meanBps).toBeCloseTo(5, 9);
  });

  it('fits volatility-participation when asked', async () => {
    const res = await get(`${day}&simulated=true&model=volatility-participation`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ model: string; parameter: number; slippageFlag: string }>();
    expect(body.model).toBe('volatility-participation');
    expect(body.parameter).toBeGreaterThan(0);
    expect(body.slippageFlag).toBe(`vol:${Number(body.parameter.toPrecision(4))}`);
  });

  it('answers 422 saying why when no order has a usable sample', async () => {
    // The fixture's prices are in the simulated namespace; the real one has none.
    const real = await get(day);
    expect(real.statusCode).toBe(422);
    expect(real.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('4 without a reference price') },
    });
    const empty = await get('account=acc_demo&from=2026-11-20&to=2026-11-21&simulated=true');
    expect(empty.statusCode).toBe(422);
    expect(empty.json<{ error: { message: string } }>().error.message).toContain(
      'no MARKET or SL-M orders with fills for acc_demo on 2026-11-20..2026-11-21 (IST)',
    );
  });

  it('answers 400 for a bad query and 403 for an account the caller may not use', async () => {
    const cases: [string, number, string][] = [
      ['account=acc_demo&from=2026-11-23', 400, 'to'],
      ['account=acc_demo&from=23-11-2026&to=2026-11-23', 400, 'from'],
      ['account=acc_demo&from=2026-02-30&to=2026-03-01', 400, 'from "2026-02-30" is not a calendar date'],
      ['account=acc_demo&from=2026-11-24&to=2026-11-23', 400, 'to 2026-11-23 is before from 2026-11-24'],
      [`${day}&model=spread`, 400, 'model'],
      [`${day}&simulated=maybe`, 400, 'simulated'],
      ['account=demo&from=2026-11-23&to=2026-11-23', 400, 'account id "demo" does not start with "acc_"'],
      [
        'account=acc_nobody&from=2026-11-23&to=2026-11-23',
        403,
        'account acc_nobody is not one the caller may act on',
      ],
    ];
    for (const [query, status, message] of cases) {
      const res = await get(query);
      expect({ query, status: res.statusCode }).toEqual({ query, status });
      expect(res.json<{ error: { message: string } }>().error.message).toContain(message);
    }
  });
});
