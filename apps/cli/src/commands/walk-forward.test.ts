import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { WalkForwardRowBody, WalkForwardStudyBody } from '@kitepilot/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRandomWalkCsv } from '../../../server/src/research/walk-forward/testing.ts';
import {
  registerWalkForwardCommand,
  runWalkForward,
  runWalkForwardList,
  runWalkForwardShow,
  walkForwardRequestOf,
  WalkForwardFlagError,
  type WalkForwardFlags,
  type WalkForwardIo,
} from './walk-forward.ts';

let dir: string;
let csv: string;
const out: string[] = [];
let io: WalkForwardIo;
const printed = () => out.splice(0).join('');

/** sma-cross over 14 days: 2 windows of 6 + 4 days, 2 candidates, 1 worker. */
function someFlags(
  overrides: { [K in keyof WalkForwardFlags]?: WalkForwardFlags[K] | undefined } = {},
): WalkForwardFlags {
  const flags: Record<string, unknown> = {
    data: csv,
    symbol: 'NSE:INFY',
    strategy: 'sma-cross',
    grid: ['fast=5,10', 'slow=30'],
    param: ['stopPct=1'],
    qty: '10',
    trainDays: '6',
    testDays: '4',
    workers: '1',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as WalkForwardFlags;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-wf-cli-'));
  csv = join(dir, 'infy.csv');
  writeRandomWalkCsv(csv, 14);
  io = {
    write: (t) => out.push(t),
    env: { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' },
    now: () => Date.UTC(2026, 10, 23, 5, 30),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('walkForwardRequestOf', () => {
  it('turns the flags into the API request: numbers in grids, ranges, fixed params, stored bars', () => {
    expect(walkForwardRequestOf(someFlags({ objective: 'calmar', anchored: true, stepDays: '5' }))).toEqual({
      data: csv,
      symbol: 'NSE:INFY',
      strategy: 'sma-cross',
      grid: { fast: [5, 10], slow: [30] },
      params: { stopPct: '1' },
      qty: 10,
      trainDays: 6,
      testDays: 4,
      stepDays: 5,
      anchored: true,
      objective: 'calmar',
      workers: 1,
    });
    const random = walkForwardRequestOf(
      someFlags({
        data: undefined,
        from: '2025-01-06',
        to: '2025-01-31',
        interval: '5m',
        simulated: true,
        grid: ['interval=1m,5m'],
        range: ['fast=5:30', 'stopPct=0.5:2:0.25'],
        random: '20',
        seed: '7',
        product: 'cnc',
        cash: '250000.50',
      }),
    );
    expect(random).toMatchObject({
      data: { kind: 'store', from: '2025-01-06', to: '2025-01-31', interval: '5m' },
      simulated: true,
      grid: { interval: ['1m', '5m'] },
      ranges: { fast: { min: 5, max: 30 }, stopPct: { min: 0.5, max: 2, step: 0.25 } },
      random: 20,
      seed: 7,
      product: 'CNC',
      cashRupees: 250000.5,
      objective: 'sharpe',
    });
    expect(random).not.toHaveProperty('interval');
  });

  it('refuses missing and malformed flags, naming them', () => {
    const bad = (overrides: Parameters<typeof someFlags>[0]) => () =>
      walkForwardRequestOf(someFlags(overrides));
    expect(bad({ trainDays: undefined })).toThrow('--train-days is required (or --resume wf_…)');
    expect(bad({ strategy: undefined })).toThrow('--strategy is required');
    expect(bad({ trainDays: '0' })).toThrow('--train-days "0" must be a whole number ≥ 1');
    expect(bad({ workers: 'many' })).toThrow('--workers "many" must be a whole number ≥ 1');
    expect(bad({ grid: ['fast'] })).toThrow('--grid "fast" must be name=v1,v2,… (e.g. fast=5,10,20)');
    expect(bad({ grid: ['fast=5,,10'] })).toThrow('--grid "fast=5,,10" has an empty value');
    expect(bad({ grid: ['fast=5', 'fast=10'] })).toThrow('--grid gives fast twice');
    expect(bad({ range: ['fast=5-30'] })).toThrow('--range "fast=5-30" must be name=min:max');
    expect(bad({ param: ['=1'] })).toThrow('--param "=1" must be k=v');
    expect(bad({ from: '2025-01-06' })).toThrow(
      '--from and --to select stored bars: drop them with --data <file>',
    );
    expect(bad({ data: undefined })).toThrow('give --data <file.csv|file.parquet>, or --from and --to');
    expect(bad({ product: 'BO' })).toThrow('--product "BO" must be MIS, CNC or NRML');
    expect(bad({ fill: 'mid' })).toThrow('--fill "mid" must be next-open, ohlc or close');
    expect(bad({ cash: '-5' })).toThrow('--cash "-5" must be a number > 0');
    expect(bad({ cash: '-5' })).toThrow(WalkForwardFlagError);
  });
});

describe('runWalkForward', () => {
  let reference: WalkForwardStudyBody;

  it(
    'runs a study, printing each window and then the table and stitched metrics',
    { timeout: 120_000 },
    async () => {
      reference = await runWalkForward(someFlags(), io);
      const text = printed();
      expect(reference.status).toBe('completed');
      expect(reference.windowsDone).toBe(2);
      expect(text).toMatch(/^walk-forward study wf_\w+: 2 windows × 2 candidates, 1 worker\(s\)\n/);
      expect(text).toMatch(
        /window 1\/2 \(test 2025-01-14 … 2025-01-17\) done: fast=(5|10) slow=30, train sharpe /,
      );
      expect(text).toContain('WINDOW  TRAIN (IST)              TEST (IST)               PARAMS');
      expect(text).toContain('0       2025-01-06 … 2025-01-13  2025-01-14 … 2025-01-17  fast=');
      expect(text).toMatch(
        /stitched out-of-sample \(2 test periods, 8 trading days, from ₹10,00,000\.00\):\n {2}net P&L -?₹/,
      );
    },
  );

  it(
    'stops on the signal, then --resume finishes it with the same result',
    { timeout: 120_000 },
    async () => {
      const abort = new AbortController();
      const stopping: WalkForwardIo = {
        ...io,
        signal: abort.signal,
        write: (t) => {
          out.push(t);
          if (t.startsWith('window 1/2')) abort.abort();
        },
      };
      const stopped = await runWalkForward(someFlags(), stopping);
      expect(stopped.status).toBe('running');
      expect(stopped.windowsDone).toBe(1);
      expect(printed()).toContain(
        `interrupted after 1 of 2 windows; continue with: kitepilot walk-forward --resume ${stopped.id}`,
      );

      await expect(
        runWalkForward({ resume: stopped.id, strategy: 'orb', trainDays: '5' }, io),
      ).rejects.toThrow(
        '--resume continues the stored study with its stored configuration: drop --strategy, --train-days',
      );
      const resumed = await runWalkForward({ resume: stopped.id, workers: '1', json: true }, io);
      const json = JSON.parse(printed()) as WalkForwardStudyBody;
      expect(json).toEqual(resumed);
      expect(resumed.status).toBe('completed');
      expect(resumed.stitched).toEqual(reference.stitched);
      expect(resumed.windows.map((w) => w.bestParams)).toEqual(reference.windows.map((w) => w.bestParams));
      await expect(runWalkForward({ resume: stopped.id }, io)).rejects.toThrow(
        `walk-forward study ${stopped.id} is already completed; nothing to resume (kitepilot walk-forward show ${stopped.id})`,
      );
      expect(printed()).toBe('');
    },
  );

  it('refuses a study whose data is too short before storing it', async () => {
    await expect(runWalkForward(someFlags({ trainDays: '11' }), io)).rejects.toThrow(
      'the data has 14 trading day(s); one window needs 11 train + 4 test = 15',
    );
  });

  it('lists and shows the stored studies', async () => {
    const rows = await runWalkForwardList({ json: true }, io);
    expect(JSON.parse(printed())).toEqual(rows);
    expect(rows.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(rows.find((r) => r.id === reference.id)?.stitched?.totalReturnPct).toBe(
      reference.stitched?.metrics.totalReturnPct,
    );
    await runWalkForwardList({}, io);
    const table = printed();
    expect(table).toMatch(/^STUDY +STATUS +STRATEGY +SYMBOL +WINDOWS +OBJECTIVE/);
    expect(table).toContain(`${reference.id}  completed  sma-cross  INFY.NSE  2/2      sharpe`);
    expect(table).toContain('2 walk-forward studies of acc_default');

    const shown = await runWalkForwardShow(reference.id, {}, io);
    expect(shown.stitched).toEqual(reference.stitched);
    expect(printed()).toContain(`walk-forward ${reference.id}: sma-cross on INFY.NSE, completed`);
    await expect(runWalkForwardShow('wf_nothere', {}, io)).rejects.toThrow(
      'there is no walk-forward study wf_nothere for acc_default',
    );
    await expect(runWalkForwardShow('run_1', {}, io)).rejects.toThrow('study id "run_1" must be wf_');
    await expect(runWalkForwardList({ limit: '0' }, io)).rejects.toThrow(
      '--limit "0" must be a whole number ≥ 1',
    );
  });

  it('is wired as walk-forward, walk-forward list and walk-forward show, options after the subcommand included', async () => {
    const program = new Command('kitepilot').exitOverride();
    registerWalkForwardCommand(program, io);
    const dataDir = join(dir, 'data');
    await program.parseAsync(['walk-forward', 'list', '--json', '--data-dir', dataDir], { from: 'user' });
    expect((JSON.parse(printed()) as WalkForwardRowBody[]).length).toBe(2);
    await program.parseAsync(['walk-forward', 'show', reference.id, '--json', '--data-dir', dataDir], {
      from: 'user',
    });
    expect((JSON.parse(printed()) as WalkForwardStudyBody).id).toBe(reference.id);
  });
});
