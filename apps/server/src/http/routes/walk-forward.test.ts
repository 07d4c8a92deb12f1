import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NseCalendar, parseAccountId, TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WalkForwardRowBody, WalkForwardStarted, WalkForwardStudyBody } from '@kitepilot/api-contract';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import {
  createWalkForwardStudy,
  runWalkForwardStudy,
  walkForwardSpecOf,
} from '../../research/walk-forward/index.ts';
import { writeRandomWalkCsv } from '../../research/walk-forward/testing.ts';
import type { RouteContext } from '../route-context.ts';
import { registerWalkForwardRoutes } from './walk-forward.ts';

const now = Date.UTC(2026, 10, 23, 5, 30);
let dir: string;
let csv: string;
let store: Store;
let ctx: RouteContext;
let ownerToken: string;

function anApp(): FastifyInstance {
  const app = buildApp({
    auth: testAuthDeps(store),
    logger: ctx.logger,
    metrics: ctx.metrics,
    statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
  });
  sendTokenWith(app, ownerToken);
  registerWalkForwardRoutes(app, ctx);
  return app;
}

/** A request over 14 days: 2 windows of 6 + 4 days, 2 candidates, 1 worker. */
function aBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: csv,
    symbol: 'NSE:INFY',
    strategy: 'sma-cross',
    grid: { fast: [5, 10], slow: [30] },
    params: { stopPct: 1 },
    qty: 10,
    trainDays: 6,
    testDays: 4,
    objective: 'totalReturnPct',
    workers: 1,
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-wf-routes-'));
  csv = join(dir, 'infy.csv');
  writeRandomWalkCsv(csv, 14);
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  store = createStore(driver);
  ownerToken = (await createTestOwner(store)).token;
  ctx = {
    store,
    config: loadConfig({ env: {} }).config,
    clock: new TestClock(now),
    calendar: new NseCalendar(),
    logger: createLogger({ level: 'silent' }),
    metrics: createMetricsRegistry(),
    trading: { current: null },
  };
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('registerWalkForwardRoutes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = anApp();
    await app.ready();
  });
  afterAll(() => app.close());

  it(
    'starts a study (202), runs it in the background and serves it with its windows',
    { timeout: 120_000 },
    async () => {
      const started = await app.inject({ method: 'POST', url: '/api/walk-forward', payload: aBody() });
      expect(started.statusCode).toBe(202);
      const body = started.json<WalkForwardStarted>();
      expect(body).toMatchObject({
        windowCount: 2,
        windowsDone: 0,
        candidates: 2,
        workers: 1,
        alreadyRunning: false,
      });
      expect(body.id).toMatch(/^wf_[0-9a-z]+$/);

      let study: WalkForwardStudyBody | undefined;
      await vi.waitFor(
        async () => {
          const response = await app.inject({ method: 'GET', url: `/api/walk-forward/${body.id}` });
          expect(response.statusCode).toBe(200);
          study = response.json<WalkForwardStudyBody>();
          expect(study.status).toBe('completed');
          expect(study.active).toBe(false);
        },
        { timeout: 100_000, interval: 200 },
      );
      expect(study).toMatchObject({
        id: body.id,
        strategy: 'sma-cross',
        symbol: 'INFY.NSE',
        objective: 'totalReturnPct',
        simulated: false,
        windowCount: 2,
        windowsDone: 2,
        windowsFailed: 0,
        search: { kind: 'grid', candidates: 2 },
        windowOptions: { trainDays: 6, testDays: 4, stepDays: 4, anchored: false },
        createdAt: '2026-11-23T11:00:00.000+05:30',
      });
      expect(study!.windows.map((w) => [w.status, w.trainFirstDay, w.testFirstDay, w.testLastDay])).toEqual([
        ['done', '2025-01-06', '2025-01-14', '2025-01-17'],
        ['done', '2025-01-10', '2025-01-20', '2025-01-23'],
      ]);
      for (const w of study!.windows) {
        expect([5, 10]).toContain(w.bestParams?.['fast']);
        expect(w.outOfSample?.startingCashPaise).toBe(100_000_000);
      }
      expect(study!.stitched?.periods).toBe(2);
      expect(study!.stitched?.daily).toHaveLength(8);

      const list = await app.inject({ method: 'GET', url: '/api/walk-forward?limit=5' });
      expect(list.statusCode).toBe(200);
      const rows = list.json<WalkForwardRowBody[]>();
      expect(rows[0]).toMatchObject({ id: body.id, status: 'completed', windowsDone: 2 });
      expect(rows[0]!.stitched?.totalReturnPct).toBe(study!.stitched?.metrics.totalReturnPct);

      const again = await app.inject({ method: 'POST', url: `/api/walk-forward/${body.id}/resume` });
      expect(again.statusCode).toBe(400);
      expect(again.json()).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: `walk-forward study ${body.id} is already completed; nothing to resume`,
          details: null,
        },
      });
    },
  );

  it('answers 400 naming the field for bad bodies', async () => {
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/walk-forward', payload });
    const missing = await post(aBody({ trainDays: undefined }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
    expect(missing.json().error.message).toMatch(/trainDays/);
    const unknown = await post(aBody({ windows: 3 }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'unknown field windows in the walk-forward request',
        details: { fields: ['windows'] },
      },
    });
    const badObjective = await post(aBody({ objective: 'luck' }));
    expect(badObjective.statusCode).toBe(400);
    expect(badObjective.json().error.message).toMatch(/objective/);
    for (const [overrides, message] of [
      [{ trainDays: 12 }, 'the data has 14 trading day(s); one window needs 12 train + 4 test = 16'],
      [{ strategy: 'nope' }, /unknown strategy|nope/],
      [{ stepDays: 2 }, 'stepDays 2 is less than testDays 4'],
      [{ grid: {} }, /^nothing to search/],
      [{ data: join(dir, 'none.csv') }, /cannot read --data .*none\.csv/],
      [{ grid: { fast: [0] } }, /^candidate 0 \(fast=0\): .*below the minimum/],
      [{ symbol: 'INFY' }, /--symbol "INFY"/],
    ] as const) {
      const response = await post(aBody(overrides));
      expect(response.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect(response.json().error.message).toMatch(message);
    }
  });

  it('answers 404 for an unknown study and 400 for a malformed id', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/walk-forward/wf_nothere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'there is no walk-forward study wf_nothere for acc_default',
        details: null,
      },
    });
    expect(
      (await app.inject({ method: 'POST', url: '/api/walk-forward/wf_nothere/resume' })).statusCode,
    ).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/walk-forward/run_1' })).statusCode).toBe(400);
  });
});

describe('registerWalkForwardRoutes resume and shutdown', () => {
  it(
    'resumes an interrupted study and leaves one stopped by shutdown resumable',
    { timeout: 120_000 },
    async () => {
      const services = {
        store,
        accountId: parseAccountId('acc_default'),
        calendar: new NseCalendar(),
        now: () => now,
      };
      const prepared = await createWalkForwardStudy(walkForwardSpecOf(aBody() as never), services);
      const abort = new AbortController();
      await runWalkForwardStudy(prepared.id, services, {
        workers: 1,
        prepared,
        signal: abort.signal,
        onWindow: () => abort.abort(),
      });
      const app = anApp();
      await app.ready();
      const resumed = await app.inject({ method: 'POST', url: `/api/walk-forward/${prepared.id}/resume` });
      expect(resumed.statusCode).toBe(202);
      expect(resumed.json<WalkForwardStarted>()).toMatchObject({
        id: prepared.id,
        windowsDone: 1,
        windowCount: 2,
      });
      const twice = await app.inject({ method: 'POST', url: `/api/walk-forward/${prepared.id}/resume` });
      expect(twice.json<WalkForwardStarted>().alreadyRunning).toBe(true);
      await vi.waitFor(
        async () => {
          const study = (await app.inject({ method: 'GET', url: `/api/walk-forward/${prepared.id}` })).json();
          expect(study.status).toBe('completed');
        },
        { timeout: 100_000, interval: 200 },
      );

      const started = await app.inject({ method: 'POST', url: '/api/walk-forward', payload: aBody() });
      const id = started.json<WalkForwardStarted>().id;
      expect((await app.inject({ method: 'GET', url: `/api/walk-forward/${id}` })).json().active).toBe(true);
      await app.close();
      const stopped = await store.walkForward.get(services.accountId, id);
      expect(stopped?.status).toBe('running');
      expect(stopped!.windows.length).toBeLessThan(2);
    },
  );
});
