import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anInstrument, asInstrumentId, paise, parseAccountId, parseRunId } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { startTradingEnvironment } from '../../trading/trading-environment.ts';
import type { RunningTrading } from '../../trading/trading-slot.ts';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import {
  brokerTradingStarter,
  registerTradingLifecycleRoutes,
  type TradingStarter,
} from './trading-lifecycle.ts';

const account = parseAccountId('acc_default');

describe('trading start and stop routes', () => {
  let t: ApiTestApp;
  let fail: Error | null = null;
  let closed = 0;
  const post = (url: string, payload: object, role: 'operator' | 'readonly' = 'operator') =>
    t.app.inject({ method: 'POST', url, headers: t.as(role), payload });

  // Paper trading over the route's own store and clock: what the server's starter does, without a broker.
  const paperStarter: TradingStarter = async () => {
    if (fail !== null) throw fail;
    const env = await startTradingEnvironment({
      mode: 'paper',
      simulated: false,
      store: t.store,
      config: t.ctx.config,
      calendar: t.ctx.calendar,
      clock: t.clock,
      logger: createLogger({ level: 'silent' }),
      instruments: [anInstrument()],
      strategies: [],
      dataDir: null,
      seed: 5,
    });
    const running: RunningTrading = {
      env,
      close: async () => {
        closed++;
        await env.close();
      },
    };
    return running;
  };

  beforeAll(async () => {
    t = await apiTestApp((app, ctx) => registerTradingLifecycleRoutes(app, ctx, paperStarter));
  });
  afterAll(async () => {
    await t.slot.current?.close();
    await t.close();
  });

  it('refuses to stop when nothing runs, and refuses readonly callers', async () => {
    const stop = await post('/api/trading/stop', { reason: 'end of day' });
    expect(stop.statusCode).toBe(409);
    expect(stop.json()).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/nothing to stop/) },
    });
    expect((await post('/api/trading/start', { reason: 'x' }, 'readonly')).statusCode).toBe(403);
    expect((await post('/api/trading/start', {})).statusCode).toBe(400);
  });

  it('answers 503 with the reason when trading cannot start, and nothing runs', async () => {
    fail = new Error('the watchlist is empty');
    const response = await post('/api/trading/start', { reason: 'open' });
    fail = null;
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: { code: 'UNAVAILABLE', message: 'trading did not start: the watchlist is empty' },
    });
    expect(t.slot.current).toBeNull();
  });

  it('starts trading once, then refuses a second start', async () => {
    const started = await post('/api/trading/start', { reason: 'market open' });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ running: true, mode: 'paper', accountId: 'acc_default' });
    expect(t.slot.current).not.toBeNull();
    const again = await post('/api/trading/start', { reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/already runs/) },
    });
    const audit = await t.store.audit.read(0, 1000);
    expect(audit.map((a) => a.kind)).toContain('trading.start');
  });

  it('refuses to stop with open positions unless asked to leave them open, and lists them', async () => {
    await t.store.positions.save(account, {
      accountId: account,
      instrumentId: asInstrumentId('RELIANCE.NSE'),
      product: 'MIS',
      netQty: 10,
      costBasisPaise: paise(2_500_000),
      realisedPnlPaise: paise(0),
      updatedAt: t.clock.now(),
    });
    const refused = await post('/api/trading/stop', { reason: 'done' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/RELIANCE\.NSE MIS 10.*leavePositionsOpen/) },
    });
    expect(t.slot.current).not.toBeNull();

    const runId = t.slot.current?.env.runId;
    const stopped = await post('/api/trading/stop', { reason: 'done', leavePositionsOpen: true });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({
      status: { running: false },
      stoppedRunId: runId,
      cancelRequested: 0,
      stillWorking: 0,
      openPositions: [{ instrumentId: 'RELIANCE.NSE', netQty: 10, costBasis: '25000.00' }],
    });
    expect(t.slot.current).toBeNull();
    expect(closed).toBe(1);
    const run = await t.store.runs.get(account, parseRunId(runId ?? ''));
    expect(run?.status).toBe('completed');
    const audit = await t.store.audit.read(0, 1000);
    expect(audit.map((a) => a.kind)).toContain('trading.stop');
  });

  it('starts broker trading with a reason to log in when no Kite session is stored', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kp-lifecycle-'));
    try {
      const config = loadConfig({ env: {}, overrides: { storage: { dataDir } } }).config;
      const starter = brokerTradingStarter({
        config: () => config,
        store: t.store,
        metrics: t.ctx.metrics,
        logger: createLogger({ level: 'silent' }),
        calendar: t.ctx.calendar,
        clock: t.clock,
        env: {},
        dataDir: null,
        slot: t.slot,
      });
      await expect(starter()).rejects.toThrow(/no Kite session is stored for acc_default/);
      expect(t.slot.current).toBeNull();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
