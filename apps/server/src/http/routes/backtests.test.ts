import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Value } from '@sinclair/typebox/value';
import {
  BacktestListResponseSchema,
  BacktestResultSchema,
  type BacktestRowBody,
} from '@kitepilot/api-contract';
import {
  instrumentId,
  istToEpochMs,
  NseCalendar,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  TestClock,
  type Bar,
} from '@kitepilot/core';
import { compareResults, type BacktestResult } from '@kitepilot/research';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { runBacktestSpec } from '../../research/backtest-service.ts';
import type { BacktestSpec } from '../../research/backtest-spec.ts';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { apiMessage, backtestSpecOf, unknownRequestFields } from '../../research/backtest-request.ts';
import { configFacts } from '../../research/backtest-rows.ts';
import { compareIdsOf, registerBacktestRoutes } from './backtests.ts';

const account = parseAccountId('acc_default');
const now = istToEpochMs('2025-02-03', '18:00');
const DAYS = ['2025-01-06', '2025-01-07', '2025-01-08'];

/** Returns 1m bars of a wave (09:15–15:29 IST) on each day: enough crosses for sma-cross to trade. */
function waveBars(days: readonly string[]): { start: number; o: number; h: number; l: number; c: number }[] {
  const bars: { start: number; o: number; h: number; l: number; c: number }[] = [];
  let price = 150000;
  for (const day of days) {
    const open = istToEpochMs(day, '09:15');
    for (let i = 0; i < 375; i++) {
      const next = 150000 + Math.round(Math.sin((bars.length + 1) / 9) * 1500);
      bars.push({
        start: open + i * 60_000,
        o: price,
        h: Math.max(price, next) + 25,
        l: Math.min(price, next) - 25,
        c: next,
      });
      price = next;
    }
  }
  return bars;
}

const rupees = (p: number) => (p / 100).toFixed(2);

/** Writes the bars as a bar CSV (IST datetimes, rupees). */
function writeCsv(path: string, days: readonly string[]): void {
  const lines = ['datetime,open,high,low,close,volume'];
  for (const b of waveBars(days)) {
    const ist = new Date(b.start + 19_800_000).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(`${ist},${rupees(b.o)},${rupees(b.h)},${rupees(b.l)},${rupees(b.c)},1000`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const SMA = { fast: '5', slow: '20', stopPct: '50' };
// A posted run starts a worker thread that loads the TypeScript sources: seconds, more on a busy machine.
const WAIT_MS = 120_000;
const POSTED_RUN_TEST_MS = 2 * WAIT_MS + 30_000;

function aSpec(path: string, overrides: Partial<BacktestSpec> = {}): BacktestSpec {
  return {
    data: { kind: 'csv', path },
    symbol: 'NSE:INFY',
    strategy: 'sma-cross',
    params: SMA,
    qty: 10,
    product: 'MIS',
    cashRupees: 1_000_000,
    charges: 'zerodha',
    fill: 'next-open',
    slippage: 'none',
    latencyMs: 0,
    ...overrides,
  };
}

interface ErrorReply {
  error: { code: string; message: string; details: unknown };
}

describe('registerBacktestRoutes', () => {
  let dir: string;
  let csv: string;
  let app: FastifyInstance;
  let store: Store;
  const stored: BacktestResult[] = [];
  const staleRun = parseRunId('run_stale');
  const failedRun = parseRunId('run_failed');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-backtests-api-'));
    csv = join(dir, 'infy.csv');
    writeCsv(csv, DAYS);
    writeFileSync(join(dir, 'broken.csv'), 'when,open\n2025-01-06 09:15:00,1\n');
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await store.accounts.create({ id: account, name: 'default', createdAt: now });
    // Two finished runs stored as `kitepilot backtest` stores them.
    let n = 0;
    for (const params of [SMA, { ...SMA, fast: '8' }]) {
      const { result } = await runBacktestSpec(aSpec(csv, { params }), {
        registry: builtinStrategies(),
        calendar: new NseCalendar(),
        store,
        accountId: account,
        newRunId: () => `run_stored${++n}`,
      });
      stored.push(result);
    }
    // A failed run of the API, and one it was running when the server stopped.
    for (const [id, startedAt] of [
      [failedRun, now - 7_200_000],
      [staleRun, now - 3_600_000],
    ] as const) {
      await store.runs.create(account, {
        id,
        environment: 'backtest',
        strategyId: parseStrategyId('str_backtest'),
        config: {
          startedBy: 'api',
          spec: { strategy: 'orb', params: {}, symbol: 'TCS.NSE', interval: '5m' },
        },
        startedAt,
      });
    }
    await store.runs.finish(account, failedRun, {
      status: 'failed',
      finishedAt: now - 7_000_000,
      summary: { error: 'cannot read data.path /gone.csv: ENOENT' },
    });
    // Stored bars for a run over the store.
    const bars: Bar[] = waveBars(DAYS).map((b) => ({
      instrumentId: instrumentId('INFY', 'NSE'),
      interval: '1m',
      start: b.start,
      openPaise: paise(b.o),
      highPaise: paise(b.h),
      lowPaise: paise(b.l),
      closePaise: paise(b.c),
      volume: 1000,
      oi: null,
      origin: 'historical',
    }));
    await store.bars.upsert('real', bars);

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
    registerBacktestRoutes(app, {
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
    rmSync(dir, { recursive: true, force: true });
  });

  const list = async (query = ''): Promise<BacktestRowBody[]> => {
    const response = await app.inject({ method: 'GET', url: `/api/backtests${query}` });
    expect(response.statusCode).toBe(200);
    return response.json<BacktestRowBody[]>();
  };

  const post = (payload: object) => app.inject({ method: 'POST', url: '/api/backtests', payload });

  /** Waits until the run has left queued/running and returns its list row. */
  const settled = async (runId: string): Promise<BacktestRowBody> =>
    vi.waitFor(
      async () => {
        const row = (await list('?limit=500')).find((r) => r.runId === runId);
        if (row === undefined || row.status === 'queued' || row.status === 'running') {
          throw new Error(`${runId} is ${row?.status ?? 'not listed'}`);
        }
        return row;
      },
      { timeout: WAIT_MS, interval: 100 },
    );

  it('marks a run the API was running when the server stopped as aborted when it starts', async () => {
    const run = await store.runs.get(account, staleRun);
    expect(run).toMatchObject({
      status: 'aborted',
      summary: { error: 'the server stopped before the run finished' },
    });
  });

  it('lists stored runs newest first with key metrics and data range, and runs without a result', async () => {
    const rows = await list();
    expect(Value.Check(BacktestListResponseSchema, rows)).toBe(true);
    const ids = rows.map((r) => r.runId);
    expect(ids).toEqual(expect.arrayContaining(['run_stored1', 'run_stored2', 'run_failed', 'run_stale']));
    const first = stored[0] as BacktestResult;
    const row = rows.find((r) => r.runId === 'run_stored1');
    expect(row).toEqual({
      runId: 'run_stored1',
      status: 'completed',
      strategy: 'sma-cross',
      params: first.params,
      symbol: 'INFY.NSE',
      interval: '1m',
      dataFrom: '2025-01-06T09:15:00.000+05:30',
      dataTo: '2025-01-08T15:29:00.000+05:30',
      metrics: {
        startingCashPaise: 100_000_000,
        finalEquityPaise: first.metrics.finalEquityPaise,
        netPnlPaise: first.metrics.netPnlPaise,
        netPnl: (first.metrics.netPnlPaise / 100).toFixed(2),
        totalReturnPct: first.metrics.totalReturnPct,
        sharpe: first.metrics.sharpe,
        maxDrawdownPct: first.metrics.maxDrawdownPct,
        trades: first.metrics.trades,
        winRatePct: first.metrics.winRatePct,
        profitFactor: first.metrics.profitFactor,
        chargesPaise: first.metrics.chargesPaise,
      },
      error: null,
      startedAt: expect.stringMatching(/\+05:30$/),
      finishedAt: expect.stringMatching(/\+05:30$/),
    });
    expect(first.metrics.trades).toBeGreaterThan(0);
    expect(rows.find((r) => r.runId === 'run_failed')).toEqual({
      runId: 'run_failed',
      status: 'failed',
      strategy: 'orb',
      params: {},
      symbol: 'TCS.NSE',
      interval: '5m',
      dataFrom: null,
      dataTo: null,
      metrics: null,
      error: 'cannot read data.path /gone.csv: ENOENT',
      startedAt: '2025-02-03T16:00:00.000+05:30',
      finishedAt: '2025-02-03T16:03:20.000+05:30',
    });
    // Newest first: by finish time, else start time.
    const at = (r: BacktestRowBody) => Date.parse(r.finishedAt ?? r.startedAt ?? '');
    expect(rows.map(at)).toEqual([...rows.map(at)].sort((a, b) => b - a));
  });

  it('filters the list by strategy and limits it', async () => {
    expect((await list('?strategy=orb')).map((r) => r.runId).sort()).toEqual(['run_failed', 'run_stale']);
    expect((await list('?strategy=vwap-reversion')).length).toBe(0);
    expect(await list('?limit=1')).toHaveLength(1);
    for (const [query, message] of [
      ['?limit=0', 'querystring/limit must be >= 1'],
      ['?limit=many', 'querystring/limit must be integer'],
      ['?strategy=Not%20One', 'querystring/strategy must match pattern'],
    ] as const) {
      const response = await app.inject({ method: 'GET', url: `/api/backtests${query}` });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorReply>().error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.json<ErrorReply>().error.message).toContain(message);
    }
  });

  it('answers the full stored result of a run', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/backtests/run_stored2' });
    expect(response.statusCode).toBe(200);
    const body = response.json<BacktestResult>();
    expect(body).toEqual(JSON.parse(JSON.stringify(stored[1])));
    expect(Value.Check(BacktestResultSchema, stored[1])).toBe(true);
  });

  it('answers 404 for an unknown run and says why a run has no result; 400 for a malformed id', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/backtests/run_nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorReply>().error).toEqual({
      code: 'NOT_FOUND',
      message: 'no backtest run run_nope for account acc_default',
      details: null,
    });
    const failed = await app.inject({ method: 'GET', url: '/api/backtests/run_failed' });
    expect(failed.statusCode).toBe(404);
    expect(failed.json<ErrorReply>().error).toEqual({
      code: 'NOT_FOUND',
      message: 'backtest run_failed has no result: it failed: cannot read data.path /gone.csv: ENOENT',
      details: { runId: 'run_failed', status: 'failed', error: 'cannot read data.path /gone.csv: ENOENT' },
    });
    const malformed = await app.inject({ method: 'GET', url: '/api/backtests/order_1' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<ErrorReply>().error.message).toContain('params/runId must match pattern');
  });

  it('serves the HTML report of a run, with its run id', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/backtests/run_stored1/report' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toMatch(/^<!DOCTYPE html>/i);
    expect(response.body).toContain('run_stored1');
    const missing = await app.inject({ method: 'GET', url: '/api/backtests/run_nope/report' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/json');
  });

  it('compares runs as rows or as an HTML page', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/backtests/compare?ids=run_stored2,run_stored1',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ runs: { runId: string }[]; rows: unknown[] }>();
    expect(body.runs.map((r) => r.runId)).toEqual(['run_stored2', 'run_stored1']);
    const [second, first] = [stored[1] as BacktestResult, stored[0] as BacktestResult];
    expect(body.rows).toEqual(compareResults([second, first]));
    expect(body.runs[0]).toEqual({
      runId: 'run_stored2',
      strategy: 'sma-cross',
      params: second.params,
      configHash: second.configHash,
    });
    const html = await app.inject({
      method: 'GET',
      url: '/api/backtests/compare?ids=run_stored1,%20run_stored2&format=html',
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('Backtest comparison (2 runs)');
    expect(html.body).toContain('run_stored2');
  });

  it('refuses a comparison of a bad id list and names runs without a result', async () => {
    for (const [ids, message] of [
      ['run_stored1', 'ids must name 2 to 20 runs, not 1'],
      ['run_stored1,run_stored1', 'ids lists run_stored1 twice'],
      ['run_stored1,ord_2', 'ids has run id "ord_2" does not start with "run_"'],
    ] as const) {
      const response = await app.inject({ method: 'GET', url: `/api/backtests/compare?ids=${ids}` });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorReply>().error).toEqual({
        code: 'VALIDATION_FAILED',
        message,
        details: { field: 'ids' },
      });
    }
    const missing = await app.inject({
      method: 'GET',
      url: '/api/backtests/compare?ids=run_stored1,run_failed,run_nope',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorReply>().error.message).toBe(
      'no stored backtest result for run_failed, run_nope',
    );
    const noIds = await app.inject({ method: 'GET', url: '/api/backtests/compare' });
    expect(noIds.statusCode).toBe(400);
    expect(noIds.json<ErrorReply>().error.message).toContain("must have required property 'ids'");
  });

  it(
    'runs a posted backtest of a CSV file in the background until it completes',
    async () => {
      const response = await post({
        data: csv,
        symbol: 'NSE:INFY',
        strategy: 'sma-cross',
        params: { fast: 5, slow: 20, stopPct: 50 },
        qty: 10,
        cashRupees: 1_000_000,
      });
      expect(response.statusCode).toBe(202);
      const { runId, status } = response.json<{ runId: string; status: string }>();
      expect(runId).toMatch(/^run_[0-9A-Za-z]+$/);
      expect(status).toBe('running');
      const result = await vi.waitFor(
        async () => {
          const r = await app.inject({ method: 'GET', url: `/api/backtests/${runId}` });
          if (r.statusCode !== 200) throw new Error(r.body);
          return r.json<BacktestResult>();
        },
        { timeout: WAIT_MS, interval: 100 },
      );
      expect(result.runId).toBe(runId);
      // The same spec as run_stored1: the same orders and statistics.
      expect(result.orderListHash).toBe(stored[0]?.orderListHash);
      expect(result.metrics).toEqual(stored[0]?.metrics);
      expect(await settled(runId)).toMatchObject({ status: 'completed', symbol: 'INFY.NSE', error: null });
      const run = await store.runs.get(account, parseRunId(runId));
      expect(run).toMatchObject({ status: 'completed', summary: stored[0]?.metrics });
      expect(run?.config).toMatchObject({
        startedBy: 'api',
        spec: { strategy: 'sma-cross', symbol: 'INFY.NSE' },
      });
    },
    POSTED_RUN_TEST_MS,
  );

  it(
    'runs a posted backtest of stored bars, queued behind a running one',
    async () => {
      const bodies = [
        {
          data: { kind: 'store', symbol: 'NSE:INFY', from: '2025-01-06', to: '2025-01-08' },
          strategy: 'sma-cross',
          params: SMA,
          qty: 10,
        },
        { data: { kind: 'csv', path: csv }, strategy: 'sma-cross', params: { ...SMA, fast: '8' }, qty: 10 },
      ];
      const [a, b] = await Promise.all(bodies.map((body) => post(body)));
      expect([a?.statusCode, b?.statusCode]).toEqual([202, 202]);
      const started = [a, b].map((r) => r?.json<{ runId: string; status: string }>());
      expect(started.map((s) => s?.status).sort()).toEqual(['queued', 'running']);
      const rows = await Promise.all(started.map((s) => settled(s?.runId ?? '')));
      expect(rows.map((r) => [r.status, r.error])).toEqual([
        ['completed', null],
        ['completed', null],
      ]);
      // The stored bars are the CSV's bars: the same orders as the stored file runs.
      const fromStore = await app.inject({ method: 'GET', url: `/api/backtests/${started[0]?.runId}` });
      expect(fromStore.json<BacktestResult>().orderListHash).toBe(stored[0]?.orderListHash);
      expect(fromStore.json<BacktestResult>().config['data']).toMatchObject({ source: 'store' });
      const fromFile = await app.inject({ method: 'GET', url: `/api/backtests/${started[1]?.runId}` });
      expect(fromFile.json<BacktestResult>().orderListHash).toBe(stored[1]?.orderListHash);
    },
    POSTED_RUN_TEST_MS,
  );

  it(
    'keeps the error of a run that fails in the background',
    async () => {
      const response = await post({
        data: join(dir, 'broken.csv'),
        symbol: 'NSE:INFY',
        strategy: 'sma-cross',
      });
      expect(response.statusCode).toBe(202);
      const { runId } = response.json<{ runId: string }>();
      const row = await settled(runId);
      expect(row.status).toBe('failed');
      expect(row.error).toContain('broken.csv');
      expect(row.metrics).toBeNull();
      const run = await store.runs.get(account, parseRunId(runId));
      expect(run).toMatchObject({ status: 'failed', summary: { error: row.error } });
      const get = await app.inject({ method: 'GET', url: `/api/backtests/${runId}` });
      expect(get.statusCode).toBe(404);
      expect(get.json<ErrorReply>().error.details).toEqual({ runId, status: 'failed', error: row.error });

      // A data error found in the worker (through the forwarded store) names the body fields.
      const empty = await post({
        data: { kind: 'store', symbol: 'NSE:INFY', from: '2025-02-01', to: '2025-02-02' },
        strategy: 'sma-cross',
      });
      expect(await settled(empty.json<{ runId: string }>().runId)).toMatchObject({
        status: 'failed',
        error:
          'the store has no 1m bars of INFY.NSE from 2025-02-01 to 2025-02-02; backfill them first (kitepilot backfill)',
      });
    },
    POSTED_RUN_TEST_MS,
  );

  it('refuses a bad body with 400 naming the field, and an unknown strategy listing the known ones', async () => {
    const good = { data: csv, strategy: 'sma-cross' };
    const cases: [object, string][] = [
      [{ data: csv }, "body must have required property 'strategy'"],
      [
        { ...good, strategy: 'nope' },
        'strategy "nope" is not a known strategy (known: orb, sma-cross, time-window, vwap-reversion)',
      ],
      [{ ...good, cash: 5 }, 'unknown field cash (known: data, symbol,'],
      [{ ...good, data: { kind: 'csv', path: csv, file: 'x' } }, 'unknown field data.file'],
      [
        { ...good, data: 'bars/infy.csv' },
        'data.path "bars/infy.csv" must be an absolute path on the server',
      ],
      [
        { ...good, data: join(dir, 'none.csv') },
        `data.path ${join(dir, 'none.csv')} cannot be read on the server (ENOENT)`,
      ],
      [{ ...good, data: join(dir, 'bars.txt') }, 'must end in .csv or .parquet'],
      [{ ...good, data: { kind: 'parquet', path: csv } }, 'is not a parquet file'],
      [
        { ...good, data: { kind: 'store', symbol: 'NSE:INFY', to: '2025-01-08' } },
        'data.from is required for stored bars',
      ],
      [
        { ...good, data: { kind: 'store', symbol: 'NSE:INFY', from: '06-01-2025', to: '2025-01-08' } },
        'data.from "06-01-2025" must be an IST date YYYY-MM-DD',
      ],
      [
        { ...good, data: { kind: 'store', symbol: 'NSE:INFY', from: '2025-01-09', to: '2025-01-08' } },
        'data.from 2025-01-09 must not be after data.to 2025-01-08',
      ],
      [
        { ...good, data: { kind: 'store', from: '2025-01-06', to: '2025-01-08' } },
        'data.symbol is required for stored bars',
      ],
      [{ ...good, symbol: 'INFY' }, 'symbol "INFY":'],
      [{ ...good, interval: '7m' }, 'interval "7m" must be one of'],
      [{ ...good, charges: 'flat' }, 'charges "flat" must be none, zerodha or pct:X'],
      [{ ...good, slippage: 'bps:x' }, 'slippage bps: "x" must be a number ≥ 0'],
      [{ ...good, fill: 'vwap' }, 'body/fill must be equal to one of the allowed values'],
      [{ ...good, product: 'MTF' }, 'body/product must be equal to one of the allowed values'],
      [{ ...good, data: { kind: 'ftp', path: csv } }, 'must be equal to one of the allowed values'],
      [{ ...good, cashRupees: 0 }, 'body/cashRupees must be > 0'],
      [{ ...good, qty: 1.5 }, 'body/qty must be integer'],
      [{ ...good, params: { fast: 30, slow: 10 } }, 'params of sma-cross:'],
      [{ ...good, params: { speed: 3 } }, 'unknown parameter speed'],
    ];
    for (const [body, message] of cases) {
      const response = await post(body);
      expect({ body, status: response.statusCode }).toEqual({ body, status: 400 });
      const error = response.json<ErrorReply>().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(message);
    }
    const params = await post({ ...good, params: { fast: 30, slow: 10 } });
    expect(params.json<ErrorReply>().error.message).toContain('fast (30) must be less than slow (10)');
    expect(params.json<ErrorReply>().error.details).toEqual({ field: 'params' });
  });

  it('deletes a stored result; the run then has no result and leaves the list', async () => {
    const deleted = await app.inject({ method: 'DELETE', url: '/api/backtests/run_stored2' });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ runId: 'run_stored2', deleted: true, aborted: false });
    const get = await app.inject({ method: 'GET', url: '/api/backtests/run_stored2' });
    expect(get.statusCode).toBe(404);
    expect(get.json<ErrorReply>().error.message).toBe(
      'backtest run_stored2 has no result: its result was deleted',
    );
    expect((await list()).map((r) => r.runId)).not.toContain('run_stored2');
    const again = await app.inject({ method: 'DELETE', url: '/api/backtests/run_stored2' });
    expect(again.statusCode).toBe(404);
    const unknown = await app.inject({ method: 'DELETE', url: '/api/backtests/run_nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorReply>().error.message).toBe('no backtest run run_nope for account acc_default');
  });

  it(
    'aborts a running and a queued run on DELETE',
    async () => {
      const [a, b] = await Promise.all([
        post({ data: csv, strategy: 'sma-cross', params: SMA }),
        post({ data: csv, strategy: 'sma-cross', params: SMA }),
      ]);
      const started = [a, b].map((r) => r?.json<{ runId: string; status: string }>());
      const queued = started.find((s) => s?.status === 'queued');
      const running = started.find((s) => s?.status === 'running');
      const dq = await app.inject({ method: 'DELETE', url: `/api/backtests/${queued?.runId}` });
      expect(dq.json()).toEqual({ runId: queued?.runId, deleted: false, aborted: true });
      expect(await store.runs.get(account, parseRunId(queued?.runId ?? ''))).toMatchObject({
        status: 'aborted',
        summary: { error: 'deleted before it started' },
      });
      const dr = await app.inject({ method: 'DELETE', url: `/api/backtests/${running?.runId}` });
      expect(dr.statusCode).toBe(200);
      const run = await store.runs.get(account, parseRunId(running?.runId ?? ''));
      // Deleted while the worker ran (aborted), or just after it completed (its result deleted).
      if (run?.status === 'aborted') {
        expect(dr.json()).toEqual({ runId: running?.runId, deleted: false, aborted: true });
        expect(run.summary).toEqual({ error: 'deleted while running' });
      } else {
        expect(dr.json()).toEqual({ runId: running?.runId, deleted: true, aborted: false });
      }
      expect(await store.backtests.get(account, parseRunId(running?.runId ?? ''))).toBeNull();
    },
    POSTED_RUN_TEST_MS,
  );
});

describe('backtestSpecOf', () => {
  it('fills in the defaults of `kitepilot backtest` and the symbol of a file name', () => {
    expect(backtestSpecOf({ data: '/data/infy.csv', strategy: 'orb' })).toEqual({
      data: { kind: 'csv', path: '/data/infy.csv' },
      symbol: 'INFY.NSE',
      strategy: 'orb',
      params: {},
      product: 'MIS',
      cashRupees: 1_000_000,
      charges: 'zerodha',
      fill: 'next-open',
      slippage: 'none',
      latencyMs: 0,
    });
  });

  it('reads stored-bar data with the interval given beside or inside it', () => {
    const spec = backtestSpecOf({
      data: { kind: 'store', symbol: 'NSE:TCS', from: '2025-01-01', to: '2025-01-31' },
      interval: '5minute',
      strategy: 'orb',
      params: { rangeMinutes: 15, flag: true },
      qty: 3,
      product: 'CNC',
    });
    expect(spec).toMatchObject({
      data: { kind: 'store', symbol: 'TCS.NSE', interval: '5m', from: '2025-01-01', to: '2025-01-31' },
      symbol: 'TCS.NSE',
      interval: '5m',
      params: { rangeMinutes: '15', flag: 'true' },
      qty: 3,
      product: 'CNC',
    });
    expect(
      backtestSpecOf({
        data: { kind: 'store', symbol: 'NSE:TCS', from: '2025-01-01', to: '2025-01-01' },
        strategy: 'x',
      }).data,
    ).toMatchObject({ interval: '1m' });
    expect(() =>
      backtestSpecOf({
        data: { kind: 'store', symbol: 'NSE:TCS', interval: '1m', from: '2025-01-01', to: '2025-01-02' },
        interval: '5m',
        strategy: 'orb',
      }),
    ).toThrow('interval 5m differs from data.interval 1m');
    expect(() =>
      backtestSpecOf({
        data: { kind: 'store', symbol: 'NSE:TCS', from: '2025-01-01', to: '2025-01-02' },
        symbol: 'NSE:INFY',
        strategy: 'orb',
      }),
    ).toThrow('symbol NSE:INFY differs from data.symbol NSE:TCS');
    expect(() =>
      backtestSpecOf({ data: { kind: 'csv', path: '/x.csv', from: '2025-01-01' }, strategy: 'orb' }),
    ).toThrow('data.from is only for stored bars');
    expect(() => backtestSpecOf({ data: { kind: 'csv' }, strategy: 'orb' })).toThrow(
      'data.path is required for csv data',
    );
    expect(() => backtestSpecOf({ data: '/data/@@.csv', strategy: 'orb' })).toThrow(
      'symbol is required: cannot tell it from /data/@@.csv',
    );
  });
});

describe('request helpers', () => {
  it('names CLI flags of service messages as body fields', () => {
    expect(apiMessage('cannot read --data /x.csv: ENOENT')).toBe('cannot read data.path /x.csv: ENOENT');
    expect(apiMessage('--latency-ms 1.5 must be whole; --tick-size 0 too')).toBe(
      'latencyMs 1.5 must be whole; tickSizeRupees 0 too',
    );
    expect(apiMessage('--unknown-flag stays')).toBe('--unknown-flag stays');
  });

  it('finds unknown fields of the body and of its data object', () => {
    expect(unknownRequestFields({ data: { kind: 'csv', path: '/a', x: 1 }, strategy: 's', cash: 1 })).toEqual(
      ['cash', 'data.x'],
    );
    expect(unknownRequestFields({ data: '/a.csv', strategy: 's' })).toEqual([]);
    expect(unknownRequestFields(null)).toEqual([]);
    expect(unknownRequestFields([1])).toEqual([]);
  });

  it('parses the run ids of a comparison', () => {
    expect(compareIdsOf(' run_a, run_b ,,run_c')).toEqual(['run_a', 'run_b', 'run_c']);
    expect(() => compareIdsOf(',,')).toThrow('ids must name 2 to 20 runs, not 0');
    expect(() => compareIdsOf(Array.from({ length: 21 }, (_, i) => `run_${i}`).join(','))).toThrow('not 21');
  });

  it('reads strategy, params, symbol and interval from both kinds of run config', () => {
    expect(
      configFacts({ strategy: 'orb', params: { a: 1 }, instrument: { id: 'INFY.NSE' }, interval: '1m' }),
    ).toEqual({ strategy: 'orb', params: { a: 1 }, symbol: 'INFY.NSE', interval: '1m' });
    expect(
      configFacts({
        startedBy: 'api',
        spec: { strategy: 'orb', params: {}, symbol: 'TCS.NSE', data: { kind: 'store', interval: '5m' } },
      }),
    ).toEqual({ strategy: 'orb', params: {}, symbol: 'TCS.NSE', interval: '5m' });
    expect(configFacts(null)).toEqual({ strategy: null, params: null, symbol: null, interval: null });
    expect(configFacts([1, 2])).toEqual({ strategy: null, params: null, symbol: null, interval: null });
  });
});
