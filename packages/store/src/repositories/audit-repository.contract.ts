import { parseAccountId, type NewAuditEvent } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { useMigratedStore } from '../testing/contract/migrated-store.ts';
import type { StoreTestBackend } from '../testing/store-test-backend.ts';
import { AUDIT_GENESIS_HASH, auditHash, SqlAuditRepository } from './audit-repository.ts';

const t0 = Date.UTC(2026, 10, 23, 3, 45);
const accountA = parseAccountId('acc_A');
const accountB = parseAccountId('acc_B');

function anEvent(i: number, over: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return { accountId: null, ts: t0 + i * 1000, kind: 'test.event', actor: 'system', payload: { i }, ...over };
}

/** Runs `sql` with the append-only triggers off (superuser only): what someone tampering with the table does. */
async function tamper(driver: SqlDriver, ...sql: string[]): Promise<void> {
  await driver.transaction(async (tx) => {
    await tx.exec('SET LOCAL session_replication_role = replica');
    for (const statement of sql) await tx.exec(statement);
  });
}

/** Inserts a row exactly as given (a forgery), triggers off. */
async function forge(
  driver: SqlDriver,
  seq: number,
  event: NewAuditEvent,
  prevHash: string,
  hash: string,
): Promise<void> {
  await driver.transaction(async (tx) => {
    await tx.exec('SET LOCAL session_replication_role = replica');
    await tx.query(
      `INSERT INTO audit_events (seq, account_id, ts, kind, actor, payload, prev_hash, hash)
       VALUES ($1, $2, $3::timestamptz, $4, $5, $6::jsonb, $7, $8)`,
      [
        seq,
        event.accountId,
        new Date(event.ts).toISOString(),
        event.kind,
        event.actor,
        JSON.stringify(event.payload),
        prevHash,
        hash,
      ],
    );
  });
}

/** The audit chain verification and queries, on one backend. */
export function auditRepositoryContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);
  const repo = (): SqlAuditRepository => new SqlAuditRepository(store().driver);
  const seed = async (n: number) => repo().appendMany(Array.from({ length: n }, (_, i) => anEvent(i + 1)));

  describe(`SqlAuditRepository.appendMany (${backend.kind})`, () => {
    it('appends a batch in order onto the chain, after single appends', async () => {
      const first = await repo().append(anEvent(1));
      const batch = await repo().appendMany([anEvent(2), anEvent(3)]);
      expect(batch.map((e) => e.seq)).toEqual([2, 3]);
      expect(batch[0]?.prevHash).toBe(first.hash);
      expect(batch[1]?.prevHash).toBe(batch[0]?.hash);
      expect(await repo().appendMany([])).toEqual([]);
      expect(await repo().verifyChain()).toEqual({
        ok: true,
        fromSeq: 1,
        count: 3,
        lastSeq: 3,
        lastHash: batch[1]?.hash,
        anchorChecked: false,
      });
    });

    it('writes nothing of a batch when one record fails', async () => {
      await repo().append(anEvent(1));
      // An unknown account breaks the foreign key on the second record: the whole batch rolls back.
      await expect(
        repo().appendMany([anEvent(2), anEvent(3, { accountId: parseAccountId('acc_nobody') })]),
      ).rejects.toThrow();
      expect((await repo().read(0, 10)).map((e) => e.seq)).toEqual([1]);
    });
  });

  describe(`SqlAuditRepository.verifyChain (${backend.kind})`, () => {
    it('reports an intact chain with its count and last hash, from genesis or from a seq', async () => {
      const events = await seed(5);
      expect(await repo().verifyChain({ fromSeq: 3 })).toMatchObject({
        ok: true,
        fromSeq: 3,
        count: 3,
        lastSeq: 5,
        lastHash: events[4]?.hash,
      });
      expect(await repo().verifyChain({ throughSeq: 2 })).toMatchObject({
        ok: true,
        count: 2,
        lastHash: events[1]?.hash,
      });
      await expect(repo().verifyChain({ fromSeq: 9 })).rejects.toThrow(
        'from seq 9 is past the end of the audit log (last record 5)',
      );
      await expect(repo().verifyChain({ fromSeq: 0 })).rejects.toThrow(
        'from seq 0 is not a positive integer',
      );
    });

    it('reports an empty log as intact with no records', async () => {
      expect(await repo().verifyChain()).toEqual({
        ok: true,
        fromSeq: 1,
        count: 0,
        lastSeq: 0,
        lastHash: AUDIT_GENESIS_HASH,
        anchorChecked: false,
      });
    });

    it('finds an edited payload', async () => {
      await seed(4);
      await tamper(store().driver, `UPDATE audit_events SET payload = '{"i": 99}' WHERE seq = 3`);
      const result = await repo().verifyChain();
      expect(result).toMatchObject({ ok: false, seq: 3, kind: 'edited', count: 2 });
      expect(result.ok ? '' : result.reason).toMatch(/record 3 was changed after it was written/);
      expect(await repo().verify()).toMatchObject({ ok: false, seq: 3 });
      // Checking from after the edit does not see it.
      expect(await repo().verifyChain({ fromSeq: 4 })).toMatchObject({ ok: true, count: 1 });
    });

    it('finds a record rewritten with a recomputed hash through the link of its successor', async () => {
      const events = await seed(4);
      const forged = { ...anEvent(2), payload: { i: 'forged' } };
      const hash = auditHash(events[0]?.hash ?? '', 2, forged);
      await tamper(
        store().driver,
        `UPDATE audit_events SET payload = '{"i": "forged"}', hash = '${hash}' WHERE seq = 2`,
      );
      expect(await repo().verifyChain()).toMatchObject({ ok: false, seq: 2, kind: 'edited' });
    });

    it('finds a forged record inserted in the middle with the later ones renumbered', async () => {
      const events = await seed(4);
      await tamper(
        store().driver,
        'UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3',
        'UPDATE audit_events SET seq = seq - 99 WHERE seq > 100',
      );
      const forged = anEvent(2, { kind: 'order.submitted', payload: { forged: true } });
      const prev = events[1]?.hash ?? '';
      await forge(store().driver, 3, forged, prev, auditHash(prev, 3, forged));
      const result = await repo().verifyChain();
      expect(result).toMatchObject({ ok: false, seq: 3, kind: 'inserted', count: 3 });
    });

    it('finds a forged record appended without the chain', async () => {
      await seed(3);
      await forge(store().driver, 4, anEvent(4), 'f'.repeat(64), 'e'.repeat(64));
      expect(await repo().verifyChain()).toMatchObject({ ok: false, seq: 4, kind: 'inserted' });
    });

    it('finds a deleted record, left as a gap or closed by renumbering', async () => {
      await seed(5);
      await tamper(store().driver, 'DELETE FROM audit_events WHERE seq = 2');
      const gap = await repo().verifyChain();
      expect(gap).toMatchObject({ ok: false, seq: 2, kind: 'deleted', count: 1 });
      expect(gap.ok ? '' : gap.reason).toBe('record 2 is missing (the next stored record is 3)');
      await tamper(store().driver, 'UPDATE audit_events SET seq = seq - 1 WHERE seq > 2');
      const renumbered = await repo().verifyChain();
      expect(renumbered).toMatchObject({ ok: false, seq: 2, kind: 'deleted' });
      expect(renumbered.ok ? '' : renumbered.reason).toMatch(
        /written as record 3: 1 record\(s\) before it were deleted/,
      );
    });

    it('finds the first record deleted', async () => {
      await seed(3);
      await tamper(store().driver, 'DELETE FROM audit_events WHERE seq = 1');
      expect(await repo().verifyChain()).toMatchObject({ ok: false, seq: 1, kind: 'deleted', count: 0 });
    });

    it('finds two records swapped', async () => {
      await seed(5);
      await tamper(
        store().driver,
        'UPDATE audit_events SET seq = 1000 WHERE seq = 3',
        'UPDATE audit_events SET seq = 3 WHERE seq = 4',
        'UPDATE audit_events SET seq = 4 WHERE seq = 1000',
      );
      expect(await repo().verifyChain()).toMatchObject({ ok: false, seq: 3, kind: 'reordered' });
    });

    it('sees a deleted last record only against an anchor', async () => {
      const events = await seed(4);
      const anchor = { seq: 4, hash: events[3]?.hash ?? '' };
      expect(await repo().verifyChain({ anchor })).toMatchObject({ ok: true, count: 4, anchorChecked: true });
      await tamper(store().driver, 'DELETE FROM audit_events WHERE seq = 4');
      // Nothing links to a deleted tail: the chain alone still verifies.
      expect(await repo().verifyChain()).toMatchObject({ ok: true, count: 3 });
      const result = await repo().verifyChain({ anchor });
      expect(result).toMatchObject({ ok: false, seq: 4, kind: 'truncated', count: 3 });
      expect(result.ok ? '' : result.reason).toMatch(/records 4\.\.4 are missing: the log ends at 3/);
      // An anchor before the checked range cannot be checked.
      expect(
        await repo().verifyChain({ fromSeq: 2, anchor: { seq: 1, hash: events[0]?.hash ?? '' } }),
      ).toMatchObject({
        ok: true,
        anchorChecked: false,
      });
    });

    it('sees a tail replaced by records with valid hashes against an anchor', async () => {
      const events = await seed(3);
      const anchor = { seq: 3, hash: events[2]?.hash ?? '' };
      await tamper(store().driver, 'DELETE FROM audit_events WHERE seq = 3');
      await repo().append(anEvent(3, { payload: { replaced: true } }));
      expect(await repo().verifyChain()).toMatchObject({ ok: true, count: 3 });
      expect(await repo().verifyChain({ anchor })).toMatchObject({ ok: false, seq: 3, kind: 'rewritten' });
    });
  });

  describe(`SqlAuditRepository.list (${backend.kind})`, () => {
    it('filters by time, kind, kind prefix and account, and pages by seq', async () => {
      const { accounts } = store();
      await accounts.create({ id: accountA, name: 'A', createdAt: t0 });
      await accounts.create({ id: accountB, name: 'B', createdAt: t0 });
      await repo().appendMany([
        anEvent(1, { kind: 'system.started' }),
        anEvent(2, { accountId: accountA, kind: 'order.submitted' }),
        anEvent(3, { accountId: accountB, kind: 'order.filled' }),
        anEvent(4, { accountId: accountA, kind: 'risk.denied' }),
        anEvent(5, { accountId: accountA, kind: 'order_x' }),
      ]);
      const seqs = async (f: Parameters<SqlAuditRepository['list']>[0]) =>
        (await repo().list(f)).map((e) => e.seq);
      expect(await seqs({ limit: 10 })).toEqual([1, 2, 3, 4, 5]);
      expect(await seqs({ limit: 2, afterSeq: 2 })).toEqual([3, 4]);
      expect(await seqs({ limit: 10, fromMs: t0 + 2000, toMs: t0 + 4000 })).toEqual([2, 3]);
      expect(await seqs({ limit: 10, kind: 'order.*' })).toEqual([2, 3]);
      expect(await seqs({ limit: 10, kind: 'order.filled' })).toEqual([3]);
      expect(await seqs({ limit: 10, accountId: accountA })).toEqual([2, 4, 5]);
      expect(await seqs({ limit: 10, accountId: accountA, includeSystem: true })).toEqual([1, 2, 4, 5]);
      expect((await repo().latestOfKinds(['order.submitted', 'order.filled']))?.seq).toBe(3);
      expect(await repo().latestOfKinds(['nothing'])).toBeNull();
      expect((await repo().last())?.seq).toBe(5);
      expect((await repo().last(t0 + 3000))?.seq).toBe(2);
      expect(await repo().last(t0)).toBeNull();
      expect((await repo().latestOfKinds(['order.submitted', 'order.filled'], t0 + 3000))?.seq).toBe(2);
    });
  });
}
