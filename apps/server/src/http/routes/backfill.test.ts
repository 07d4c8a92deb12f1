import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { istToEpochMs, NseCalendar, TestClock } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { CredentialCipher } from '../../secrets/credential-cipher.ts';
import { KiteSessionStore } from '../../secrets/kite-session-store.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerBackfillRoutes } from './backfill.ts';
import { registerJobRoutes } from './jobs.ts';

describe('registerBackfillRoutes', () => {
  let app: FastifyInstance;
  let store: Store;
  let sim: KiteSim;
  let symbol: string;
  let instrumentId: string;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    sim = await startKiteSim({
      clock: new TestClock(istToEpochMs('2025-11-20', '11:00')),
      enforceRateLimits: false,
    });
    const accessToken = sim.createAccessToken();
    const rest = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken,
      clock: new SystemClock(),
    });
    const equity = (await rest.getInstruments('NSE')).instruments.find((i) => i.type === 'EQ');
    if (equity === undefined) throw new Error('the simulator lists no NSE equity');
    symbol = `NSE:${equity.tradingSymbol}`;
    instrumentId = equity.id;

    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await store.instruments.saveVersion('real', '2025-11-01', [equity]);
    const clock = new SystemClock();
    const sessions = new KiteSessionStore(store.driver, new CredentialCipher(masterKey));
    await sessions.ensureAccount('acc_default', 'Kite AB1234');
    await sessions.save('acc_default', {
      apiKey: sim.apiKey,
      userId: 'AB1234',
      userName: 'SIM Trader',
      accessToken,
      publicToken: 'pub',
      loginTimeMs: clock.now(),
      expiresAtMs: clock.now() + 3_600_000,
    });
    const env = { KITEPILOT_MASTER_KEY: masterKey.toString('base64'), KITEPILOT_KITE_REST_URL: sim.restUrl };
    const logger = createLogger({ level: 'silent' });
    const metrics = createMetricsRegistry();
    const owner = await createTestOwner(store);
    app = buildApp({
      auth: testAuthDeps(store),
      logger,
      metrics,
      statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
    });
    // The route reads the master key through the process environment, as the server does.
    vi.stubEnv('KITEPILOT_MASTER_KEY', env.KITEPILOT_MASTER_KEY);
    sendTokenWith(app, owner.token);
    const ctx = {
      store,
      config: loadConfig({ env }).config,
      clock,
      calendar: new NseCalendar(),
      logger,
      metrics,
      trading: { current: null },
    };
    registerBackfillRoutes(app, ctx);
    registerJobRoutes(app, ctx);
    await app.ready();
  }, 60_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await app.close();
    await store.close();
    await sim.close();
  });

  it('starts a backfill job, answers 202 with its id, and reports its phases until done', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/backfill',
      payload: { symbol, interval: '5minute', from: '2025-11-18', to: '2025-11-19' },
    });
    expect(res.statusCode).toBe(202);
    const started = res.json<{ jobRunId: string }>();
    expect(started).toMatchObject({
      instrumentId,
      interval: '5m',
      from: '2025-11-18T00:00:00.000+05:30',
      to: '2025-11-19T23:59:59.000+05:30',
      resumes: false,
      alreadyRunning: false,
    });
    await vi.waitFor(async () => {
      const job = await app.inject({ url: `/api/jobs/${started.jobRunId}` });
      expect(job.statusCode).toBe(200);
      expect(job.json<{ phases: { phase: string }[] }>().phases.map((p) => p.phase)).toContain('done');
    });
    const job = (await app.inject({ url: `/api/jobs/${started.jobRunId}` })).json<{
      run: { kind: string; status: string };
      phases: { phase: string; isError: boolean; finishedAt: string | null }[];
    }>();
    expect(job.run).toMatchObject({ kind: 'backfill', status: 'succeeded' });
    expect(job.phases.every((p) => !p.isError && p.finishedAt !== null)).toBe(true);
    const bars = await store.bars.read(
      'real',
      instrumentId as never,
      '5m',
      istToEpochMs('2025-11-18', '00:00'),
      istToEpochMs('2025-11-20', '00:00'),
    );
    expect(bars).toHaveLength(2 * 75);
    expect(bars.every((b) => b.origin === 'historical')).toBe(true);
  });

  it('answers 400 for an unknown instrument and for 1s, 404 for an unknown job', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/backfill',
      payload: { symbol: 'NSE:NOSUCH', interval: 'minute', from: '2025-11-18', to: '2025-11-19' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(unknown.json<{ error: { message: string } }>().error.message).toContain(
      'kitepilot instruments sync',
    );
    const seconds = await app.inject({
      method: 'POST',
      url: '/api/backfill',
      payload: { symbol, interval: '1s', from: '2025-11-18', to: '2025-11-19' },
    });
    expect(seconds.statusCode).toBe(400);
    const missing = await app.inject({ url: '/api/jobs/job_nosuch' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      error: { code: 'NOT_FOUND', message: 'job run job_nosuch does not exist' },
    });
  });
});
