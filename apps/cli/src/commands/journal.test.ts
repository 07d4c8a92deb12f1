// `kitepilot journal replay` on a paper day recorded by `kitepilot paper --demo` in a temporary data directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { PaperDemoResult } from '@kitepilot/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJournalReplay, type JournalIo } from './journal.ts';
import { runPaper } from './paper.ts';

const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
let dir: string;
let env: Record<string, string>;
let paper: PaperDemoResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-journal-'));
  env = { KITEPILOT_STORAGE_DATA_DIR: dir, KITEPILOT_STORAGE_DURABLE: 'false' };
  paper = await runPaper(
    {
      demo: true,
      strategy: 'sma-cross',
      param: ['symbol=NSE:SIMINFY', 'fast=2', 'slow=5', 'interval=1s'],
      duration: '3s',
      speed: '40',
      seed: 7,
      json: true,
    },
    { write: () => {}, env, log: quiet },
  );
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function io(out: string[]): JournalIo {
  return { write: (t) => out.push(t), env, log: quiet };
}

describe('runJournalReplay', () => {
  it('replays a paper run identically and says so with the counts', async () => {
    expect(paper.summary.signals).toBeGreaterThan(0);
    const out: string[] = [];
    const result = await runJournalReplay({ run: paper.runId }, io(out));
    expect(result).toMatchObject({ identical: true, accountId: 'acc_demo', firstDifference: null });
    expect(result.counts.replayed).toEqual(result.counts.stored);
    const c = result.counts.stored;
    expect(c.signals).toBe(paper.summary.signals);
    expect(c.orders).toBe(paper.summary.ordersSent);
    expect(out.join('')).toBe(
      `replayed ${result.inputs} inputs: identical — ${c.signals} signals, ${c.decisions} risk decisions ` +
        `(${c.allowed} allowed, ${c.denied} denied), ${c.orders} orders\n`,
    );

    const json: string[] = [];
    await runJournalReplay({ run: paper.runId, account: 'acc_demo', json: true }, io(json));
    expect(JSON.parse(json.join(''))).toMatchObject({
      runId: paper.runId,
      identical: true,
      inputs: result.inputs,
    });
  });

  it('prints the first difference and fails when the journal lost its execution reports', async () => {
    expect(paper.summary.ordersSent).toBeGreaterThan(0);
    const path = paper.journalPath ?? '';
    const original = readFileSync(path, 'utf8');
    const kept = original.split('\n').filter((l) => !l.includes('"kind":"execution"'));
    writeFileSync(path, kept.join('\n'));
    try {
      const out: string[] = [];
      await expect(runJournalReplay({ run: paper.runId }, io(out))).rejects.toThrow(
        `run ${paper.runId} does not replay identically from ${path}: first difference in order #1`,
      );
      expect(out.join('')).toMatch(/^replayed \d+ inputs: NOT identical — stored \d+ signals/);
      expect(out.join('')).toMatch(
        /first difference: order #1 \(.*status.*\)\n {2}stored: {3}.*status="FILLED"/,
      );
    } finally {
      writeFileSync(path, original);
    }
  });

  it('names a run that is not in the data directory or not in the account given', async () => {
    await expect(runJournalReplay({ run: 'run_nothere' }, io([]))).rejects.toThrow(
      'run run_nothere does not exist in this data directory',
    );
    await expect(runJournalReplay({ run: paper.runId, account: 'acc_default' }, io([]))).rejects.toThrow(
      `run ${paper.runId} does not exist for account acc_default`,
    );
    await expect(runJournalReplay({ run: 'nope' }, io([]))).rejects.toThrow(/^--run: /);
  });
});
