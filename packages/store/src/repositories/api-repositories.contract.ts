// The contract of the repositories behind the instruments, jobs, risk profile and strategy routes, run on PGlite and
// on PostgreSQL. Invariants: one active risk profile per account, the active one is never deleted; rows of one
// account are never seen through another; pages by keyset neither skip nor repeat rows.
import {
  aNiftyFuture,
  anInstrument,
  asInstrumentId,
  paise,
  parseAccountId,
  parseJobRunId,
  parseRiskProfileId,
  parseStrategyId,
} from '@kitepilot/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigratedStore } from '../testing/contract/migrated-store.ts';
import type { StoreTestBackend } from '../testing/store-test-backend.ts';
import { StoreQueryError } from '../errors.ts';
import { SqlInstrumentSearchRepository } from './instrument-search-repository.ts';
import { SqlJobRunListRepository } from './job-run-list-repository.ts';
import { SqlRiskProfileRepository, type RiskProfileLimits } from './risk-profile-repository.ts';
import {
  SqlStrategyDefinitionRepository,
  type StoredStrategyFields,
} from './strategy-definition-repository.ts';

const a = parseAccountId('acc_a');
const b = parseAccountId('acc_b');
const T0 = Date.UTC(2026, 10, 23, 4, 30);

const limits: RiskProfileLimits = {
  dailyLossCapPaise: paise(500_000),
  maxInstrumentExposurePaise: null,
  maxTotalExposurePaise: paise(10_000_000),
  maxOpenPositions: 3,
  maxOrderValuePaise: null,
  maxOrdersPerSecond: 5,
  maxOrdersPerDay: null,
  requireStopLoss: true,
  freezeQtyPolicy: 'deny',
  entryWindowStart: '09:20',
  entryWindowEnd: '15:00',
  allowlist: [],
  blocklist: ['NSE:YESBANK'],
};

const fields: StoredStrategyFields = {
  kind: 'sma-cross',
  instrumentId: asInstrumentId('INFY.NSE'),
  qty: 5,
  product: 'MIS',
  params: { fast: 5, slow: 20, stopPct: 1.5, interval: '5m', short: false },
  enabled: false,
};

/** Registers the contract tests on `backend`. */
export function apiRepositoriesContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);
  beforeEach(async () => {
    for (const id of [a, b]) await store().accounts.create({ id, name: id, createdAt: T0 });
  });

  describe('SqlRiskProfileRepository', () => {
    const repo = () => new SqlRiskProfileRepository(backend.driver());
    const create = (account: typeof a, name: string, id: string) =>
      repo().create(account, { id: parseRiskProfileId(id), name, at: T0 }, limits);

    it('stores every limit and reads it back', async () => {
      const created = await create(a, 'day', 'rsk_1');
      expect(created).toMatchObject({ ...limits, name: 'day', active: false, createdAt: T0, updatedAt: T0 });
      expect(await repo().get(a, 'day')).toEqual(created);
      expect(await repo().get(b, 'day')).toBeNull();
    });

    it('refuses a second profile of the same name in one account, not in another', async () => {
      await create(a, 'day', 'rsk_1');
      await expect(create(a, 'day', 'rsk_2')).rejects.toSatisfy(
        (e) => e instanceof StoreQueryError && e.code === 'UNIQUE_VIOLATION',
      );
      await expect(create(b, 'day', 'rsk_3')).resolves.toMatchObject({ accountId: b });
    });

    it('keeps one active profile per account and never deletes it', async () => {
      await create(a, 'day', 'rsk_1');
      await create(a, 'night', 'rsk_2');
      await create(b, 'other', 'rsk_3');
      await repo().activate(b, 'other', T0);
      await repo().activate(a, 'day', T0 + 1);
      await repo().activate(a, 'night', T0 + 2);
      expect((await repo().getActive(a))?.name).toBe('night');
      expect((await repo().getActive(b))?.name).toBe('other');
      expect((await repo().list(a, null, 10)).map((p) => [p.name, p.active])).toEqual([
        ['day', false],
        ['night', true],
      ]);
      expect(await repo().delete(a, 'night')).toBe('active');
      expect(await repo().delete(a, 'day')).toBe('deleted');
      expect(await repo().delete(a, 'day')).toBe('missing');
      expect(await repo().activate(a, 'day', T0)).toBeNull();
    });

    it('replaces the limits and pages by name', async () => {
      for (const [i, name] of ['c', 'a', 'b'].entries()) await create(a, name, `rsk_${i}`);
      const updated = await repo().update(
        a,
        'b',
        { ...limits, maxOpenPositions: null, allowlist: ['NSE:INFY'] },
        T0 + 5,
      );
      expect(updated).toMatchObject({ maxOpenPositions: null, allowlist: ['NSE:INFY'], updatedAt: T0 + 5 });
      expect(await repo().update(b, 'b', limits, T0)).toBeNull();
      expect((await repo().list(a, null, 2)).map((p) => p.name)).toEqual(['a', 'b']);
      expect((await repo().list(a, 'b', 2)).map((p) => p.name)).toEqual(['c']);
    });
  });

  describe('SqlStrategyDefinitionRepository', () => {
    const repo = () => new SqlStrategyDefinitionRepository(backend.driver());

    it('stores a definition with typed params and keeps accounts apart', async () => {
      const id = parseStrategyId('str_one');
      const created = await repo().create(a, id, fields, T0);
      expect(created).toEqual({ ...fields, id, accountId: a, createdAt: T0, updatedAt: T0 });
      expect(await repo().get(b, id)).toBeNull();
      expect(await repo().list(b, null, 10)).toEqual([]);
      await expect(repo().create(a, id, fields, T0)).rejects.toSatisfy(
        (e) => e instanceof StoreQueryError && e.code === 'UNIQUE_VIOLATION',
      );
    });

    it('updates, flips the enabled flag, lists the enabled ones and deletes', async () => {
      const one = parseStrategyId('str_one');
      const two = parseStrategyId('str_two');
      await repo().create(a, one, fields, T0);
      await repo().create(a, two, fields, T0);
      expect(await repo().update(a, one, { ...fields, qty: 9, product: 'CNC' }, T0 + 10)).toMatchObject({
        qty: 9,
        product: 'CNC',
        updatedAt: T0 + 10,
      });
      expect(await repo().setEnabled(a, two, true, T0 + 20)).toMatchObject({
        enabled: true,
        updatedAt: T0 + 20,
      });
      // Setting the flag it already has changes nothing.
      expect(await repo().setEnabled(a, two, true, T0 + 30)).toMatchObject({ updatedAt: T0 + 20 });
      expect((await repo().listEnabled(a)).map((s) => s.id)).toEqual([two]);
      expect((await repo().list(a, one, 10)).map((s) => s.id)).toEqual([two]);
      expect(await repo().delete(a, one)).toBe(true);
      expect(await repo().delete(a, one)).toBe(false);
      expect(await repo().setEnabled(a, one, true, T0)).toBeNull();
    });

    it('refuses what the table does not allow', async () => {
      await expect(
        repo().create(a, parseStrategyId('str_x'), { ...fields, qty: 0 }, T0),
      ).rejects.toBeInstanceOf(StoreQueryError);
      await expect(
        repo().create(a, parseStrategyId('str_y'), { ...fields, kind: 'Not A Kind' }, T0),
      ).rejects.toBeInstanceOf(StoreQueryError);
    });
  });

  describe('SqlInstrumentSearchRepository', () => {
    const repo = () => new SqlInstrumentSearchRepository(backend.driver());
    const search = {
      onDate: '2026-11-23',
      exchange: null,
      segment: null,
      text: null,
      afterId: null,
      limit: 10,
    };

    it('searches the version in force by text, exchange and segment, by id', async () => {
      await store().instruments.saveVersion('real', '2026-11-23', [
        anInstrument(),
        anInstrument({ tradingSymbol: 'M_M', name: 'MAHINDRA 100%', token: 5 }),
        aNiftyFuture(),
      ]);
      await store().instruments.saveVersion('real', '2026-11-24', [anInstrument()]);
      const ids = async (over: object) =>
        (await repo().search('real', { ...search, ...over })).map((v) => v.instrument.id);
      expect(await ids({})).toEqual(['M_M.NSE', 'NIFTY26NOVFUT.NFO', 'RELIANCE.NSE']);
      expect(await ids({ text: '100%' })).toEqual(['M_M.NSE']);
      expect(await ids({ text: 'M_' })).toEqual(['M_M.NSE']);
      expect(await ids({ text: '_' })).toEqual(['M_M.NSE']);
      expect(await ids({ segment: 'NFO-FUT' })).toEqual(['NIFTY26NOVFUT.NFO']);
      expect(await ids({ exchange: 'NSE', afterId: 'M_M.NSE' })).toEqual(['RELIANCE.NSE']);
      expect(await ids({ onDate: '2026-11-24' })).toEqual(['RELIANCE.NSE']);
      expect(await ids({ onDate: '2026-11-22' })).toEqual([]);
      expect((await repo().latest('real', asInstrumentId('NIFTY26NOVFUT.NFO')))?.validFrom).toBe(
        '2026-11-23',
      );
      expect((await repo().latest('real', asInstrumentId('RELIANCE.NSE')))?.validFrom).toBe('2026-11-24');
      expect(await repo().latest('simulated', asInstrumentId('RELIANCE.NSE'))).toBeNull();
    });
  });

  describe('SqlJobRunListRepository', () => {
    const repo = () => new SqlJobRunListRepository(backend.driver());

    it('sums phases into runs, newest first, and pages by start time then id', async () => {
      const jobs = store().jobRuns;
      const start = (id: string, job: string, at: number, phase = 'main') =>
        jobs.startPhase({ jobRunId: parseJobRunId(id), job, phase, startedAt: at });
      const finish = (id: string, at: number, isError = false, phase = 'main') =>
        jobs.finishPhase(parseJobRunId(id), phase, { finishedAt: at, message: '', isError, retries: 1 });
      await start('job_a', 'sync', T0);
      await finish('job_a', T0 + 5);
      await start('job_b', 'sync', T0 + 10);
      await start('job_c', 'backfill', T0 + 10);
      await finish('job_c', T0 + 11, true);
      await start('job_c', 'backfill', T0 + 12, 'second');
      const all = await repo().list({ job: null, status: null, after: null, limit: 10 });
      expect(all.map((r) => [r.jobRunId, r.status, r.phases])).toEqual([
        ['job_c', 'failed', 2],
        ['job_b', 'running', 1],
        ['job_a', 'succeeded', 1],
      ]);
      expect(all[2]).toMatchObject({ startedAt: T0, finishedAt: T0 + 5, retries: 1 });
      const page = await repo().list({
        job: null,
        status: null,
        after: { startedAt: T0 + 10, jobRunId: 'job_c' },
        limit: 10,
      });
      expect(page.map((r) => r.jobRunId)).toEqual(['job_b', 'job_a']);
      expect(
        (await repo().list({ job: 'sync', status: 'running', after: null, limit: 10 })).map(
          (r) => r.jobRunId,
        ),
      ).toEqual(['job_b']);
      expect(await repo().get(parseJobRunId('job_c'))).toMatchObject({ status: 'failed', finishedAt: null });
      expect(await repo().get(parseJobRunId('job_none'))).toBeNull();
    });
  });
}
