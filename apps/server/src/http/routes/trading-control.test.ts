import { PGlite } from '@electric-sql/pglite';
import { anInstrument, istToEpochMs, NseCalendar, TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { startTradingEnvironment, type TradingEnvironment } from '../../trading/trading-environment.ts';
import type { TradingSlot } from '../../trading/trading-slot.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerTradingControlRoutes } from './trading-control.ts';

// Monday 23 Nov 2026, 10:00 IST: a trading day inside the entry window.
const now = istToEpochMs('2026-11-23', '10:00');

describe('trading control routes', () => {
  let store: Store;
  let app: FastifyInstance;
  let slot: TradingSlot;
  let clock: TestClock;
  let env: TradingEnvironment | null;

  beforeEach(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    clock = new TestClock(now);
    slot = { current: null };
    env = null;
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
    registerTradingControlRoutes(app, {
      store,
      config: loadConfig({ env: {} }).config,
      clock,
      calendar: new NseCalendar(),
      logger,
      metrics,
      trading: slot,
    });
    await app.ready();
  });
  afterEach(async () => {
    await env?.close();
    await app.close();
    await store.close();
  });

  async function startPaper(): Promise<TradingEnvironment> {
    const started = await startTradingEnvironment({
      mode: 'paper',
      simulated: false,
      store,
      config: loadConfig({ env: {} }).config,
      calendar: new NseCalendar(),
      clock,
      logger: createLogger({ level: 'silent' }),
      instruments: [anInstrument()],
      strategies: [],
      dataDir: null,
      seed: 7,
    });
    env = started;
    slot.current = { env: started, close: async () => undefined };
    return started;
  }

  it('stores the kill switch for the next start when no trading runs, and refuses to flatten', async () => {
    const status = await app.inject({ method: 'GET', url: '/api/trading/status' });
    expect(status.json()).toMatchObject({ running: false, mode: null, controls: { killSwitch: false } });

    const on = await app.inject({
      method: 'POST',
      url: '/api/trading/kill-switch',
      payload: { on: true, reason: 'broker outage' },
    });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ running: false, applied: 'stored', controls: { killSwitch: true } });
    expect((await store.tradingControls.load()).killSwitch).toBe(true);
    const audit = await store.audit.read(0, 100);
    expect(audit.map((a) => a.kind)).toContain('trading.controls');

    const flatten = await app.inject({
      method: 'POST',
      url: '/api/trading/flatten',
      payload: { reason: 'x' },
    });
    expect(flatten.statusCode).toBe(409);
    expect(flatten.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });

  it('refuses a kill-switch body without a reason, naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/trading/kill-switch',
      payload: { on: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { message: string } }>().error.message).toMatch(/reason/);
  });

  it('applies the kill switch through the running engine, which persists it', async () => {
    const running = await startPaper();
    const on = await app.inject({
      method: 'POST',
      url: '/api/trading/kill-switch',
      payload: { on: true, reason: 'stop everything' },
    });
    expect(on.json()).toMatchObject({
      running: true,
      mode: 'paper',
      applied: 'engine',
      controls: { killSwitch: true },
    });
    expect(running.controls().killSwitch).toBe(true);
    expect((await store.tradingControls.load()).killSwitch).toBe(true);

    const off = await app.inject({
      method: 'POST',
      url: '/api/trading/kill-switch',
      payload: { on: false, reason: 'resolved' },
    });
    expect(off.json()).toMatchObject({ controls: { killSwitch: false } });
    expect((await store.tradingControls.load()).killSwitch).toBe(false);
  });

  it('flattens through the running engine and refuses a malformed symbol', async () => {
    await startPaper();
    const bad = await app.inject({
      method: 'POST',
      url: '/api/trading/flatten',
      payload: { symbol: 'RELIANCE', reason: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/trading/flatten',
      payload: { symbol: 'NSE:RELIANCE', reason: 'risk review' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ running: true, applied: 'engine' });
    const commands = (await store.audit.read(0, 100)).filter((a) => a.kind === 'trading.command');
    expect(commands.map((c) => (c.payload as { type: string }).type)).toContain('Flatten');
  });

  it('refuses acknowledgement when no live trading runs', async () => {
    await startPaper();
    const response = await app.inject({
      method: 'POST',
      url: '/api/trading/acknowledge',
      payload: { reason: 'checked' },
    });
    expect(response.statusCode).toBe(409);
  });
});
