import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock } from '@kitepilot/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  JsonlJournalFile,
  journalFilePath,
  readJournalLines,
  type JournalLine,
  type TornJournalLine,
} from './journal-file.ts';

let dir: string;
const start = Date.UTC(2026, 10, 20, 3, 45);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-journal-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = (path: string) => readFileSync(path, 'utf8');

async function readAll(path: string): Promise<{ lines: JournalLine[]; torn: TornJournalLine[] }> {
  const lines: JournalLine[] = [];
  const torn: TornJournalLine[] = [];
  for await (const l of readJournalLines(path, { onTornLine: (t) => torn.push(t) })) lines.push(l);
  return { lines, torn };
}

describe('journalFilePath', () => {
  it('names one file per run under <dataDir>/journal and refuses anything but a run id', () => {
    expect(journalFilePath('/var/kp', 'run_20261120a')).toBe('/var/kp/journal/run_20261120a.jsonl');
    expect(() => journalFilePath('/var/kp', '../etc/passwd')).toThrow(
      'run id "../etc/passwd" is not a run_… id',
    );
  });
});

describe('JsonlJournalFile', () => {
  it('creates the journal directory with mode 0700 and the file with 0600', async () => {
    const path = journalFilePath(join(dir, 'data'), 'run_1');
    const journal = await JsonlJournalFile.open(path, { clock: new TestClock(start) });
    await journal.close();
    expect(statSync(join(dir, 'data', 'journal')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('buffers lines until the flush interval passes on the clock, then writes them in order', async () => {
    const clock = new TestClock(start);
    const path = journalFilePath(dir, 'run_1');
    const journal = await JsonlJournalFile.open(path, { clock, batchLines: 100, flushIntervalMs: 200 });
    journal.append('{"n":1}');
    clock.advanceBy(50);
    journal.append('{"n":2}');
    expect(clock.pendingTimers()).toEqual([
      { name: expect.stringMatching(/^journal-flush-/), atMs: start + 200 },
    ]);
    clock.advanceBy(149);
    await new Promise((resolve) => setImmediate(resolve));
    expect(onDisk(path)).toBe('');
    clock.advanceBy(1);
    await vi.waitFor(() => expect(onDisk(path)).toBe('{"n":1}\n{"n":2}\n'));
    journal.append('{"n":3}');
    expect(clock.pendingTimers()).toEqual([
      { name: expect.stringMatching(/^journal-flush-/), atMs: start + 400 },
    ]);
    await journal.flush();
    expect(onDisk(path)).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(clock.pendingTimers()).toEqual([]);
    await journal.close();
  });

  it('writes nothing before the interval unless the batch is full', async () => {
    const clock = new TestClock(start);
    const path = journalFilePath(dir, 'run_1');
    const journal = await JsonlJournalFile.open(path, { clock, batchLines: 3, flushIntervalMs: 1000 });
    journal.append('a');
    journal.append('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(onDisk(path)).toBe('');
    journal.append('c');
    expect(clock.pendingTimers()).toEqual([]);
    await vi.waitFor(() => expect(onDisk(path)).toBe('a\nb\nc\n'));
    journal.append('d');
    await journal.close();
    expect(onDisk(path)).toBe('a\nb\nc\nd\n');
    expect(journal.appendedLines).toBe(4);
    expect(() => journal.append('e')).toThrow(/is closed; cannot append/);
  });

  it('refuses a line with a newline in it, naming the line', async () => {
    const journal = await JsonlJournalFile.open(journalFilePath(dir, 'run_1'), {
      clock: new TestClock(start),
    });
    journal.append('first');
    expect(() => journal.append('two\nlines')).toThrow(/journal line 2 of .* contains a newline: two/);
    await journal.close();
  });

  it('reports a failed write through onError and throws it on the next call', async () => {
    const errors: Error[] = [];
    const path = journalFilePath(dir, 'run_1');
    mkdirSync(join(dir, 'journal'));
    // Every write to /dev/full fails with ENOSPC, as a full disk would.
    symlinkSync('/dev/full', path);
    const clock = new TestClock(start);
    const journal = await JsonlJournalFile.open(path, {
      clock,
      batchLines: 1,
      onError: (e) => errors.push(e),
    });
    journal.append('{"n":1}');
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]?.message).toBe(`writing the journal ${path} failed`);
    expect(errors[0]?.cause).toMatchObject({ code: 'ENOSPC' });
    expect(() => journal.append('{"n":2}')).toThrow(`writing the journal ${path} failed`);
    await expect(journal.close()).rejects.toThrow(`writing the journal ${path} failed`);
  });

  it('cuts a torn last line off before appending, reporting it', async () => {
    const path = journalFilePath(dir, 'run_1');
    const torn: TornJournalLine[] = [];
    const first = await JsonlJournalFile.open(path, { clock: new TestClock(start) });
    first.append('{"n":1}');
    await first.close();
    writeFileSync(path, '{"n":2,"tor', { flag: 'a' });
    const again = await JsonlJournalFile.open(path, {
      clock: new TestClock(start),
      onTornLine: (t) => torn.push(t),
    });
    again.append('{"n":2}');
    await again.close();
    expect(onDisk(path)).toBe('{"n":1}\n{"n":2}\n');
    expect(torn).toEqual([{ path, lineNumber: null, text: '{"n":2,"tor' }]);
  });
});

describe('readJournalLines', () => {
  it('yields every complete line with its number and reports a torn last line without throwing', async () => {
    const path = join(dir, 'run_1.jsonl');
    writeFileSync(path, '{"n":1}\n{"s":"₹1,574.20"}\n\n{"n":4}\n{"n":5,"cut');
    const { lines, torn } = await readAll(path);
    expect(lines).toEqual([
      { lineNumber: 1, line: '{"n":1}' },
      { lineNumber: 2, line: '{"s":"₹1,574.20"}' },
      { lineNumber: 3, line: '' },
      { lineNumber: 4, line: '{"n":4}' },
    ]);
    expect(torn).toEqual([{ path, lineNumber: 5, text: '{"n":5,"cut' }]);
  });

  it('reads lines longer than one read chunk and a file that ends cleanly', async () => {
    const path = join(dir, 'run_2.jsonl');
    const long = `{"pad":"${'x'.repeat(200_000)}"}`;
    writeFileSync(path, `${long}\nshort\n`);
    const { lines, torn } = await readAll(path);
    expect(lines.map((l) => [l.lineNumber, l.line.length])).toEqual([
      [1, long.length],
      [2, 5],
    ]);
    expect(torn).toEqual([]);
  });

  it('reads back what JsonlJournalFile wrote', async () => {
    const path = journalFilePath(dir, 'run_3');
    const journal = await JsonlJournalFile.open(path, { clock: new TestClock(start), batchLines: 2 });
    for (let n = 1; n <= 5; n += 1) journal.append(JSON.stringify({ n }));
    await journal.close();
    expect((await readAll(path)).lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5].map((n) => `{"n":${n}}`));
  });
});
