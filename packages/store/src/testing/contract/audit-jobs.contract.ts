import { parseAccountId, parseJobRunId } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH, auditHash } from '../../repositories/audit-repository.ts';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const t0 = Date.UTC(2026, 10, 20, 3, 45);
const accountA = parseAccountId('acc_A');

/** Runs the audit log and job-run repository contract. */
export function auditAndJobsContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  describe(`SqlAuditRepository (${backend.kind})`, () => {
    it('appends a gap-free hash chain and reads it back in order', async () => {
      const { audit, accounts } = store();
      await accounts.create({ id: accountA, name: 'A', createdAt: t0 });
      const first = await audit.append({
        accountId: null,
        ts: t0,
        kind: 'system.started',
        actor: 'system',
        payload: { v: 1 },
      });
      const second = await audit.append({
        accountId: accountA,
        ts: t0 + 1,
        kind: 'order.submitted',
        actor: 'str_test',
        payload: { qty: 65, tag: 'KP1', nested: { b: [1, 2], a: null } },
      });
      expect(first).toMatchObject({ seq: 1, prevHash: AUDIT_GENESIS_HASH });
      expect(first.hash).toBe(auditHash(AUDIT_GENESIS_HASH, 1, first));
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
      expect(await audit.read(0, 10)).toEqual([first, second]);
      expect(await audit.read(1, 10)).toEqual([second]);
      expect(await audit.verify()).toEqual({ ok: true, count: 2, lastHash: second.hash });
    });

    it('chains concurrent appends without forks', async () => {
      const { audit } = store();
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          audit.append({ accountId: null, ts: t0 + i, kind: 'k', actor: 'a', payload: i }),
        ),
      );
      expect((await audit.read(0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await audit.verify()).toMatchObject({ ok: true, count: 8 });
    });

    it('rejects UPDATE, DELETE and TRUNCATE of audit records', async () => {
      const { audit, driver } = store();
      await audit.append({ accountId: null, ts: t0, kind: 'k', actor: 'a', payload: {} });
      for (const sql of [
        "UPDATE audit_events SET kind = 'forged'",
        'DELETE FROM audit_events',
        'TRUNCATE audit_events',
      ]) {
        await expect(driver.query(sql)).rejects.toMatchObject({
          code: 'APPEND_ONLY_VIOLATION',
          sqlState: 'KP001',
          message: expect.stringMatching(/audit_events is append-only/),
        });
      }
      expect(await audit.read(0, 10)).toHaveLength(1);
    });

    it('reports the first record whose stored hash does not match its content', async () => {
      const { audit, driver } = store();
      await audit.append({ accountId: null, ts: t0, kind: 'k', actor: 'a', payload: { amountPaise: 100 } });
      await audit.append({ accountId: null, ts: t0, kind: 'k', actor: 'a', payload: { amountPaise: 200 } });
      // Tampering needs the triggers off, which only a superuser can do; the chain still exposes it.
      await driver.transaction(async (tx) => {
        await tx.exec('SET LOCAL session_replication_role = replica');
        await tx.exec(`UPDATE audit_events SET payload = '{"amountPaise": 999}' WHERE seq = 2`);
      });
      expect(await audit.verify()).toMatchObject({ ok: false, seq: 2 });
    });
  });

  describe(`SqlJobRunRepository (${backend.kind})`, () => {
    it('records the phases of a job run with their outcome', async () => {
      const { jobRuns } = store();
      const id = parseJobRunId('job_1');
      await jobRuns.startPhase({ jobRunId: id, job: 'daily-pack', phase: 'fetch', startedAt: t0 });
      await jobRuns.startPhase({
        jobRunId: id,
        job: 'daily-pack',
        phase: 'verify',
        startedAt: t0 + 10,
        message: 'go',
      });
      const done = await jobRuns.finishPhase(id, 'fetch', {
        finishedAt: t0 + 5,
        message: 'HTTP 429',
        isError: true,
        retries: 2,
      });
      expect(done).toEqual({
        jobRunId: id,
        job: 'daily-pack',
        phase: 'fetch',
        message: 'HTTP 429',
        isError: true,
        retries: 2,
        startedAt: t0,
        finishedAt: t0 + 5,
      });
      await expect(
        jobRuns.finishPhase(id, 'fetch', { finishedAt: t0 + 6, message: '', isError: false, retries: 0 }),
      ).rejects.toThrow(/phase 'fetch' was not started or has already finished/);
      expect((await jobRuns.listByRun(id)).map((p) => p.phase)).toEqual(['fetch', 'verify']);
      expect((await jobRuns.listRecent('daily-pack', 1)).map((p) => p.phase)).toEqual(['verify']);
      expect(await jobRuns.listRecent('other', 10)).toEqual([]);
      expect(await jobRuns.listRecent(null, 10)).toHaveLength(2);
    });
  });
}
