import { PGlite } from '@electric-sql/pglite';
import { parseAccountId, type AuditEvent, type NewAuditEvent } from '@kitepilot/core';
import {
  createStore,
  migrate,
  PgliteDriver,
  SqlAuditRepository,
  StoreQueryError,
  type Store,
} from '@kitepilot/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { AuditSink, isRecordError, type AuditAppender, type AuditSinkAlertLevel } from './audit-sink.ts';

const t0 = Date.UTC(2026, 10, 23, 4, 0);
const account = parseAccountId('acc_sink');
const logger = createLogger({ level: 'silent' });

function record(i: number, over: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return { accountId: account, ts: t0 + i, kind: 'test.record', actor: 'system', payload: { i }, ...over };
}

/** The real repository, failing the next `failures` calls with `error` first. */
class FlakyAppender implements AuditAppender {
  calls: number[] = [];
  failures = 0;
  error: Error = new Error('connection reset');
  readonly #real: SqlAuditRepository;
  constructor(real: SqlAuditRepository) {
    this.#real = real;
  }
  async appendMany(events: readonly NewAuditEvent[]): Promise<readonly AuditEvent[]> {
    this.calls.push(events.length);
    if (this.failures > 0) {
      this.failures--;
      throw this.error;
    }
    return this.#real.appendMany(events);
  }
}

describe('AuditSink', () => {
  let store: Store;
  let repo: SqlAuditRepository;
  let alerts: { level: AuditSinkAlertLevel; code: string; message: string }[];
  const alert = (level: AuditSinkAlertLevel, code: string, message: string) =>
    alerts.push({ level, code, message });

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await store.accounts.create({ id: account, name: 'sink', createdAt: t0 });
    repo = new SqlAuditRepository(driver);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    alerts = [];
  });

  it('appends in enqueue order, in batches, without making the caller wait', async () => {
    const start = (await repo.last())?.seq ?? 0;
    const appender = new FlakyAppender(repo);
    const sink = new AuditSink({ appender, logger, alert, maxBatch: 50 });
    for (let i = 0; i < 120; i++) sink.enqueue(record(i));
    // Nothing was awaited: the records are still queued (the first batch is in flight).
    expect(sink.stats().pending).toBe(120);
    await sink.flush();
    const written = (await repo.read(start, 1000)).map((e) => (e.payload as { i: number }).i);
    expect(written).toEqual(Array.from({ length: 120 }, (_, i) => i));
    // The first record goes alone; the rest queue up behind it and go in batches of at most 50.
    expect(Math.max(...appender.calls)).toBeLessThanOrEqual(50);
    expect(appender.calls.length).toBeLessThan(120);
    expect(sink.stats()).toEqual({
      appended: 120,
      failures: 0,
      rejected: 0,
      dropped: 0,
      pending: 0,
      failing: false,
    });
    expect(await repo.verifyChain()).toMatchObject({ ok: true });
  });

  it('retries a failing store with backoff, keeping order, and alerts the failure and the recovery once', async () => {
    const start = (await repo.last())?.seq ?? 0;
    const appender = new FlakyAppender(repo);
    appender.failures = 3;
    const delays: number[] = [];
    const sink = new AuditSink({
      appender,
      logger,
      alert,
      retryDelayMs: (attempt) => {
        delays.push(attempt);
        return 30;
      },
    });
    sink.enqueue(record(1));
    sink.enqueue(record(2));
    await vi.waitFor(() => expect(sink.stats().failing).toBe(true), { interval: 2 });
    sink.enqueue(record(3));
    await sink.flush();
    expect((await repo.read(start, 10)).map((e) => (e.payload as { i: number }).i)).toEqual([1, 2, 3]);
    expect(delays).toEqual([1, 2, 3]);
    expect(sink.stats()).toMatchObject({ appended: 3, failures: 3, failing: false, pending: 0 });
    expect(alerts.map((a) => [a.level, a.code])).toEqual([
      ['critical', 'audit-append-failed'],
      ['info', 'audit-restored'],
    ]);
    expect(alerts[0]?.message).toMatch(/connection reset/);
  });

  it('isolates a record the store refuses, counts and alerts it, and writes the others in order', async () => {
    const start = (await repo.last())?.seq ?? 0;
    const sink = new AuditSink({ appender: repo, logger, alert, maxBatch: 10 });
    sink.enqueue(record(1));
    sink.enqueue(record(2));
    // An account that does not exist breaks the foreign key: retrying this record can never succeed.
    sink.enqueue(record(3, { accountId: parseAccountId('acc_ghost') }));
    sink.enqueue(record(4));
    await sink.flush();
    expect((await repo.read(start, 10)).map((e) => (e.payload as { i: number }).i)).toEqual([1, 2, 4]);
    expect(sink.stats()).toMatchObject({ appended: 3, rejected: 1, pending: 0, failing: false });
    expect(alerts).toEqual([expect.objectContaining({ level: 'critical', code: 'audit-record-rejected' })]);
    expect(alerts[0]?.message).toMatch(/test\.record was refused/);
  });

  it('drops and counts what it cannot write by the close deadline, and refuses records after close', async () => {
    const appender = new FlakyAppender(repo);
    appender.failures = Number.POSITIVE_INFINITY;
    const sink = new AuditSink({ appender, logger, alert, retryDelayMs: () => 10_000 });
    sink.enqueue(record(1));
    sink.enqueue(record(2));
    await vi.waitFor(() => expect(sink.stats().failing).toBe(true));
    const stats = await sink.close(50);
    expect(stats).toMatchObject({ appended: 0, dropped: 2, pending: 0 });
    expect(stats.failures).toBeGreaterThanOrEqual(2);
    expect(() => sink.enqueue(record(3))).toThrow('audit sink is closed: record test.record was not queued');
  });

  it('drops the oldest record past maxPending while the store fails, and alerts it', async () => {
    const appender = new FlakyAppender(repo);
    appender.failures = Number.POSITIVE_INFINITY;
    const sink = new AuditSink({ appender, logger, alert, maxPending: 3, retryDelayMs: () => 5 });
    for (let i = 0; i < 5; i++) sink.enqueue(record(i));
    expect(sink.stats()).toMatchObject({ dropped: 2, pending: 3 });
    expect(alerts.map((a) => a.code)).toContain('audit-dropped');
    await sink.close(20);
  });

  it('tells record errors from store failures', () => {
    expect(isRecordError(new StoreQueryError('FOREIGN_KEY_VIOLATION', 'fk', {}))).toBe(true);
    expect(isRecordError(new StoreQueryError('QUERY_FAILED', 'boom', {}))).toBe(false);
    expect(isRecordError(new Error('connection reset'))).toBe(false);
    expect(isRecordError(new RangeError('limit'))).toBe(true);
  });
});
