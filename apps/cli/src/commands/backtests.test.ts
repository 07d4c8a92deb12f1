import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import {
  istToEpochMs,
  makeInstrument,
  NseCalendar,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  type JsonValue,
} from '@kitepilot/core';
import { compareResults, parseBarCsv, runBacktest, type BacktestResult } from '@kitepilot/research';
import { definition as smaCross } from '@kitepilot/strategy-sma-cross';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withStore } from './market-data-cli.ts';
import {
  registerBacktestsCommand,
  runBacktestsCompare,
  runBacktestsList,
  runBacktestsReport,
  runBacktestsShow,
  type BacktestsIo,
} from './backtests.ts';

const account = parseAccountId('acc_default');
const now = istToEpochMs('2025-02-03', '18:00');
let dir: string;
let env: Record<string, string>;
const out: string[] = [];
let io: BacktestsIo;
const stored: BacktestResult[] = [];

/** Returns a bar CSV of 1m bars of a wave on 2025-01-06 and 2025-01-07 (IST), prices in rupees. */
function waveCsv(): string {
  const lines = ['datetime,open,high,low,close,volume'];
  let price = 150000;
  let n = 0;
  for (const day of ['2025-01-06', '2025-01-07']) {
    const open = istToEpochMs(day, '09:15');
    for (let i = 0; i < 375; i++) {
      const next = 150000 + Math.round(Math.sin(++n / 9) * 1500);
      const ist = new Date(open + i * 60_000 + 19_800_000).toISOString().slice(0, 19).replace('T', ' ');
      const r = (p: number) => (p / 100).toFixed(2);
      lines.push(
        `${ist},${r(price)},${r(Math.max(price, next) + 25)},${r(Math.min(price, next) - 25)},${r(next)},1000`,
      );
      price = next;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs sma-cross over the wave and stores the run as `kitepilot backtest` does. */
async function storeRun(runId: string, fast: string): Promise<BacktestResult> {
  const series = parseBarCsv(Buffer.from(waveCsv()), { source: 'wave.csv' });
  const result = await runBacktest({
    runId,
    series,
    instrument: makeInstrument({
      exchange: 'NSE',
      type: 'EQ',
      tradingSymbol: 'INFY',
      name: 'INFY',
      token: 1,
      exchangeToken: 1,
      tickSizePaise: paise(5),
      lotSize: 1,
      freezeQty: null,
      expiry: null,
      strikePaise: null,
      underlying: null,
    }),
    strategy: smaCross as never,
    params: { fast, slow: '20', stopPct: '50' },
    qty: 10,
    startingCashPaise: 100_000_000,
    fees: null,
    chargesLabel: 'none',
    fill: { barFill: 'next-open' },
    fillLabel: 'next-open',
    referenceCalendar: new NseCalendar(),
    data: { source: 'csv', file: 'wave.csv' },
  });
  await withStore({}, io, async (store) => {
    const id = parseRunId(runId);
    await store.runs.create(account, {
      id,
      environment: 'backtest',
      strategyId: parseStrategyId('str_backtest'),
      config: result.config as JsonValue,
      startedAt: result.startedAtMs,
    });
    await store.runs.finish(account, id, {
      status: 'completed',
      finishedAt: result.finishedAtMs,
      summary: result.metrics as unknown as JsonValue,
    });
    await store.backtests.save(account, {
      runId: id,
      strategy: result.strategy,
      params: result.params as JsonValue,
      metrics: result.metrics as unknown as JsonValue,
      result: result as unknown as JsonValue,
      orderListHash: result.orderListHash,
      dataFrom: series.start[0] as number,
      dataTo: (series.start[series.length - 1] as number) + 1,
      createdAt: result.finishedAtMs,
    });
  });
  return result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-backtests-cli-'));
  env = { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' };
  io = { write: (t) => out.push(t), env, cwd: dir };
  await withStore({}, io, (store) => store.accounts.create({ id: account, name: 'default', createdAt: now }));
  stored.push(await storeRun('run_one', '5'), await storeRun('run_two', '8'));
  // A run the API started after those, which failed.
  const failedAt = (stored[1] as BacktestResult).finishedAtMs + 60_000;
  await withStore({}, io, async (store) => {
    const failed = parseRunId('run_failed');
    await store.runs.create(account, {
      id: failed,
      environment: 'backtest',
      strategyId: parseStrategyId('str_backtest'),
      config: { startedBy: 'api', spec: { strategy: 'orb', params: {}, symbol: 'TCS.NSE', interval: '5m' } },
      startedAt: failedAt,
    });
    await store.runs.finish(account, failed, {
      status: 'failed',
      finishedAt: failedAt + 1000,
      summary: { error: 'data.path /gone.csv cannot be read' },
    });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const printed = () => out.splice(0).join('');

describe('runBacktestsList', () => {
  it('prints the rows of GET /api/backtests as JSON, newest first', async () => {
    const rows = await runBacktestsList({ json: true }, io);
    expect(JSON.parse(printed())).toEqual(rows);
    expect(rows.map((r) => r.runId)).toEqual(['run_failed', 'run_two', 'run_one']);
    const one = stored[0] as BacktestResult;
    expect(rows[2]).toMatchObject({
      status: 'completed',
      strategy: 'sma-cross',
      params: one.params,
      symbol: 'INFY.NSE',
      interval: '1m',
      dataFrom: '2025-01-06T09:15:00.000+05:30',
      dataTo: '2025-01-07T15:29:00.000+05:30',
      metrics: {
        netPnlPaise: one.metrics.netPnlPaise,
        netPnl: (one.metrics.netPnlPaise / 100).toFixed(2),
        trades: one.metrics.trades,
        sharpe: one.metrics.sharpe,
      },
      error: null,
    });
    expect(one.metrics.trades).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({
      status: 'failed',
      strategy: 'orb',
      symbol: 'TCS.NSE',
      metrics: null,
      error: 'data.path /gone.csv cannot be read',
    });
  });

  it('prints a table with the errors of failed runs, filtered by strategy and limited', async () => {
    await runBacktestsList({}, io);
    const table = printed();
    expect(table).toMatch(/^RUN +STATUS +STRATEGY +SYMBOL +FROM \(IST\)/);
    expect(table).toContain('run_one     completed  sma-cross  INFY.NSE  2025-01-06 09:15  2025-01-07 15:29');
    expect(table).toContain('run_failed failed: data.path /gone.csv cannot be read');
    expect(table).toContain('3 backtest runs of acc_default\n');
    await runBacktestsList({ strategy: 'sma-cross', limit: 1 }, io);
    const limited = printed();
    expect(limited).toContain('run_two');
    expect(limited).not.toContain('run_one');
    expect(limited).toContain('1 backtest runs of acc_default (sma-cross)');
    await expect(runBacktestsList({ limit: 0 }, io)).rejects.toThrow('--limit 0 must be a whole number ≥ 1');
  });
});

describe('runBacktestsShow', () => {
  it('prints the whole stored result as JSON, or its statistics as text', async () => {
    const result = await runBacktestsShow('run_two', { json: true }, io);
    expect(JSON.parse(printed())).toEqual(JSON.parse(JSON.stringify(stored[1])));
    expect(result.runId).toBe('run_two');
    await runBacktestsShow('run_two', {}, io);
    const text = printed();
    expect(text).toContain('backtest run_two: sma-cross');
    expect(text).toContain('data: INFY.NSE 1m, 750 bars');
    expect(text).toMatch(/Sharpe ratio +\S+/);
    expect(text).toContain(`order list hash ${stored[1]?.orderListHash}`);
    expect(text).toContain(`${stored[1]?.trades.length} trades`);
  });

  it('says why a run has no result, and refuses a malformed id', async () => {
    await expect(runBacktestsShow('run_nope', {}, io)).rejects.toThrow(
      'no backtest run run_nope for account acc_default',
    );
    await expect(runBacktestsShow('run_failed', {}, io)).rejects.toThrow(
      'backtest run_failed has no result: it failed: data.path /gone.csv cannot be read',
    );
    await expect(runBacktestsShow('job_1', {}, io)).rejects.toThrow(
      'run id "job_1" does not start with "run_"',
    );
  });
});

describe('runBacktestsReport', () => {
  it('writes the HTML report to <runId>.html or --out and prints the path', async () => {
    const path = await runBacktestsReport('run_one', {}, io);
    expect(path).toBe(join(dir, 'run_one.html'));
    expect(printed()).toBe(`${path}\n`);
    const html = readFileSync(path, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('run_one');
    const custom = await runBacktestsReport('run_two', { out: 'reports-two.html' }, io);
    expect(custom).toBe(join(dir, 'reports-two.html'));
    expect(readFileSync(custom, 'utf8')).toContain('run_two');
    printed();
    await expect(runBacktestsReport('run_failed', {}, io)).rejects.toThrow('has no result: it failed');
    expect(existsSync(join(dir, 'run_failed.html'))).toBe(false);
  });
});

describe('runBacktestsCompare', () => {
  it('prints the runs side by side, as JSON, or writes the HTML page', async () => {
    const body = await runBacktestsCompare(['run_two', 'run_one'], {}, io);
    const table = printed();
    expect(table).toMatch(/^METRIC +1\. run_two +2\. run_one/);
    expect(table).toMatch(/Sharpe ratio +\S+ +\S+/);
    expect(body.rows).toEqual(compareResults([stored[1] as BacktestResult, stored[0] as BacktestResult]));
    await runBacktestsCompare(['run_one', 'run_two'], { json: true }, io);
    const json = JSON.parse(printed()) as { runs: { runId: string }[] };
    expect(json.runs.map((r) => r.runId)).toEqual(['run_one', 'run_two']);
    await runBacktestsCompare(['run_one', 'run_two'], { html: 'cmp.html' }, io);
    expect(printed()).toBe(`${join(dir, 'cmp.html')}\n`);
    expect(readFileSync(join(dir, 'cmp.html'), 'utf8')).toContain('Backtest comparison (2 runs)');
  });

  it('refuses fewer than two runs, a run named twice and runs without a result', async () => {
    await expect(runBacktestsCompare(['run_one'], {}, io)).rejects.toThrow(
      'compare takes 2 to 20 runs, not 1',
    );
    await expect(runBacktestsCompare(['run_one', 'run_one'], {}, io)).rejects.toThrow(
      'run run_one is named twice',
    );
    await expect(runBacktestsCompare(['run_one', 'run_nope'], {}, io)).rejects.toThrow(
      'no backtest run run_nope',
    );
  });
});

describe('registerBacktestsCommand', () => {
  const program = () => {
    const p = new Command('kitepilot').exitOverride();
    registerBacktestsCommand(p);
    for (const c of p.commands.flatMap((c) => [c, ...c.commands]))
      c.exitOverride().configureOutput({ writeErr: () => undefined });
    return p;
  };

  it('adds list, show, report and compare under backtests', () => {
    const backtests = program().commands.find((c) => c.name() === 'backtests');
    expect(backtests?.commands.map((c) => c.name())).toEqual(['list', 'show', 'report', 'compare']);
  });

  it('runs `backtests list --json` against the configured store', async () => {
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    await program().parseAsync(['backtests', 'list', '--json', '--limit', '2'], { from: 'user' });
    const rows = JSON.parse(writes.join('')) as { runId: string }[];
    expect(rows.map((r) => r.runId)).toEqual(['run_failed', 'run_two']);
  });

  it('refuses a --limit that is not a positive integer', async () => {
    await expect(
      program().parseAsync(['backtests', 'list', '--limit', '0'], { from: 'user' }),
    ).rejects.toThrow(CommanderError);
  });
});
