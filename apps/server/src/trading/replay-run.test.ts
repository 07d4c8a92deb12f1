// A recorded paper day replays through the kernel to identical signals, risk decisions and orders (issue "Journal"):
// a short paper demo on the simulated market (sma-cross on 1 s bars, so that a few real seconds give crosses, twice:
// once on a blocklisted instrument so that risk denies its entries) is replayed from its journal and compared with
// the store.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { anIntent, anOrder, parseRunId, parseStrategyId, type RunId } from '@kitepilot/core';
import { createStore, migrate, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFromConfig } from '../calendar-from-config.ts';
import { loadConfig } from '../config/load-config.ts';
import { openConfiguredStore, type OpenedStore } from '../open-store.ts';
import { DEMO_ACCOUNT_ID, runPaperDemo, type PaperDemoResult } from './paper-demo.ts';
import {
  compareReplay,
  readStoredRun,
  replayTradingRun,
  type ReplayTradingRunOptions,
  type StoredRun,
} from './replay-run.ts';

const logger = pino({ level: 'silent' });
let dir: string;
let opened: OpenedStore;
let store: Store;
let demo: PaperDemoResult;
let stored: StoredRun;
let base: ReplayTradingRunOptions;
const calendar = calendarFromConfig(loadConfig({ env: {} }).config);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-replay-run-'));
  const { config } = loadConfig({
    env: { KITEPILOT_STORAGE_DATA_DIR: dir, KITEPILOT_STORAGE_DURABLE: 'false' },
    cwd: dir,
    overrides: { risk: { blocklist: ['NSE:SIMSBIN'], maxOrderValue: 100_000 } },
  });
  opened = await openConfiguredStore(config, 'owner');
  await migrate(opened.driver);
  store = createStore(opened.driver);
  const cross = { qty: 1, fast: 2, slow: 5, interval: '1s' };
  demo = await runPaperDemo(
    { config, store, metrics: new Registry(), calendar, logger, dataDir: dir },
    {
      strategies: [
        { name: 'sma-cross', params: { ...cross, symbol: 'NSE:SIMINFY' } },
        { name: 'sma-cross', params: { ...cross, symbol: 'NSE:SIMSBIN' } },
      ],
      // 3 s at 40× is two simulated minutes: about 120 one-second bars.
      durationMs: 3000,
      speed: 40,
      seed: 7,
    },
  );
  if (demo.journalPath === null) throw new Error('the paper demo kept no journal');
  const runId = parseRunId(demo.runId);
  stored = await readStoredRun(store, DEMO_ACCOUNT_ID, runId);
  base = { store, accountId: DEMO_ACCOUNT_ID, runId, journalPath: demo.journalPath, calendar, logger };
}, 60_000);

afterAll(async () => {
  await opened?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Returns the journal's lines (without the final newline). */
function journalLines(): string[] {
  return readFileSync(base.journalPath, 'utf8').trimEnd().split('\n');
}

/** Writes `lines` to a copy of the journal and returns its path. */
function journalCopy(name: string, lines: readonly string[]): string {
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('replayTradingRun', () => {
  it('replays a recorded paper day to identical signals, intents, risk decisions and orders', async () => {
    expect(stored.priorState).toEqual([]);
    expect(stored.signals.length).toBeGreaterThanOrEqual(1);
    expect(stored.decisions.some((d) => d.decision === 'allow')).toBe(true);
    expect(stored.decisions.some((d) => d.decision === 'deny' && d.code === 'instrument-not-allowed')).toBe(
      true,
    );
    expect(stored.orders.some((o) => o.status === 'FILLED')).toBe(true);

    const replayed = await replayTradingRun(base);
    expect(replayed.inputs).toBe(journalLines().length);
    expect(replayed.tornLine).toBeNull();
    const comparison = compareReplay(stored, replayed);
    expect(comparison.firstDifference).toBeNull();
    expect(comparison.identical).toBe(true);
    expect(comparison.counts.replayed).toEqual(comparison.counts.stored);
    expect(comparison.counts.stored.signals).toBe(stored.signals.length);
    expect(comparison.counts.stored.orders).toBe(stored.orders.length);
  });

  it('names the first difference when one tick price of the journal was changed', async () => {
    const lines = journalLines();
    // A MARKET entry is valued at the last price: the tick just before the first entry, made 1000 times dearer,
    // breaks the max order value.
    const entry = stored.intents.find((i) => i.side === 'BUY' && i.instrumentId === 'SIMINFY.NSE');
    expect(entry).toBeDefined();
    const tickIndex = lines.findLastIndex((l) => {
      const input = JSON.parse(l) as { kind: string; at: number; tick?: { instrumentId: string } };
      return (
        input.kind === 'tick' && input.tick?.instrumentId === 'SIMINFY.NSE' && input.at <= entry!.tsEvent
      );
    });
    expect(tickIndex).toBeGreaterThanOrEqual(0);
    const tick = JSON.parse(lines[tickIndex] ?? '') as { tick: { tick: { lastPricePaise: number } } };
    tick.tick.tick.lastPricePaise *= 1000;
    lines[tickIndex] = JSON.stringify(tick);

    const replayed = await replayTradingRun({ ...base, journalPath: journalCopy('tampered', lines) });
    const comparison = compareReplay(stored, replayed);
    expect(comparison.identical).toBe(false);
    const index = stored.decisions.findIndex((d) => d.intentId === entry!.id);
    expect(comparison.firstDifference).toMatchObject({
      kind: 'decision',
      index,
      stored: { intentId: entry!.id, decision: 'allow', code: 'ok' },
      replayed: { intentId: entry!.id, decision: 'deny', code: 'order-value' },
    });
    expect(comparison.firstDifference?.fields).toEqual(['decision', 'code', 'reason']);
  });

  it('refuses a malformed line, naming the run, the journal and the line', async () => {
    const lines = journalLines();
    lines[2] = '{"v":1,"kind":"tick","at":';
    const path = journalCopy('malformed', lines);
    await expect(replayTradingRun({ ...base, journalPath: path })).rejects.toThrow(
      `replaying run ${demo.runId}: ${path} line 3 is malformed: journal line 3: the line is not JSON`,
    );
  });

  it('reports and skips a torn last line', async () => {
    const lines = journalLines();
    const path = journalCopy('torn', lines);
    appendFileSync(path, '{"v":1,"kind":"ti');
    const torn: (number | null)[] = [];
    const replayed = await replayTradingRun({
      ...base,
      journalPath: path,
      onTornLine: (t) => torn.push(t.lineNumber),
    });
    expect(torn).toEqual([lines.length + 1]);
    expect(replayed.tornLine?.text).toBe('{"v":1,"kind":"ti');
    expect(replayed.inputs).toBe(lines.length);
    expect(compareReplay(stored, replayed).identical).toBe(true);
  });

  it('refuses a run that does not exist or has no journal', async () => {
    await expect(replayTradingRun({ ...base, runId: parseRunId('run_missing') })).rejects.toThrow(
      'run run_missing does not exist for account acc_demo',
    );
    const path = join(dir, 'nowhere.jsonl');
    await expect(replayTradingRun({ ...base, journalPath: path })).rejects.toThrow(
      `run ${demo.runId}: its journal ${path} cannot be read`,
    );
  });

  it('never claims identity for a run that began after the account already traded that day', async () => {
    const later: RunId = parseRunId('run_later');
    await store.runs.create(DEMO_ACCOUNT_ID, {
      id: later,
      environment: 'paper',
      strategyId: parseStrategyId('str_smacross1'),
      config: stored.run.config,
      startedAt: demo.simulatedToMs + 60_000,
    });
    const after = await readStoredRun(store, DEMO_ACCOUNT_ID, later);
    expect(after.priorState.join('\n')).toMatch(
      /order\(s\) of acc_demo were created on \d{4}-\d\d-\d\d before/,
    );
    const comparison = compareReplay(after, { signals: [], intents: [], decisions: [], orders: [] });
    expect(comparison.identical).toBe(false);
    expect(comparison.firstDifference).toMatchObject({ kind: 'start-state', index: 0 });
  });
});

describe('compareReplay', () => {
  const none = { signals: [], intents: [], decisions: [], orders: [] };

  it('finds records in the same order whatever order each side lists records of the same millisecond in', () => {
    const a = anIntent({ id: anIntent().id, tsEvent: 1000 });
    const b = { ...a, id: `${a.id.slice(0, -1)}Z` as typeof a.id };
    const result = compareReplay({ ...none, intents: [a, b] }, { ...none, intents: [b, a] });
    expect(result).toMatchObject({ identical: true, firstDifference: null });
  });

  it('names an order missing from the replay with every field', () => {
    const order = anOrder();
    const result = compareReplay({ ...none, orders: [order] }, none);
    expect(result.identical).toBe(false);
    expect(result.counts.stored.orders).toBe(1);
    expect(result.counts.replayed.orders).toBe(0);
    expect(result.firstDifference).toMatchObject({ kind: 'order', index: 0, replayed: null });
    expect(result.firstDifference?.fields).toContain('status');
  });

  it('names the differing field of an order whose final status differs', () => {
    const order = anOrder();
    const result = compareReplay(
      { ...none, orders: [order] },
      { ...none, orders: [{ ...order, status: 'CANCELLED' }] },
    );
    expect(result.firstDifference).toMatchObject({ kind: 'order', index: 0, fields: ['status'] });
  });
});
