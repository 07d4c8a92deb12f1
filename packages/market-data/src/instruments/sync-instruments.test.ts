import { PGlite } from '@electric-sql/pglite';
import {
  aNiftyFuture,
  aNiftyOption,
  anInstrument,
  istToEpochMs,
  SequentialIdGenerator,
  TestClock,
  type Instrument,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledFreezeQuantities } from './freeze-quantity-table.ts';
import { INSTRUMENT_SYNC_JOB, syncInstruments } from './sync-instruments.ts';

async function* fromList(list: readonly Instrument[]): AsyncGenerator<Instrument> {
  for (const i of list) yield i;
}

const bankNifty = aNiftyFuture({
  tradingSymbol: 'BANKNIFTY26NOVFUT',
  name: 'BANKNIFTY',
  underlying: 'BANKNIFTY',
  token: 13824258 + 512,
  lotSize: 30,
  freezeQty: null,
});
const dump: readonly Instrument[] = [
  anInstrument(),
  anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 }),
  aNiftyFuture({ freezeQty: null }),
  aNiftyOption({ freezeQty: null }),
  bankNifty,
];

describe('syncInstruments', () => {
  let store: Store;
  let clock: TestClock;
  const ids = new SequentialIdGenerator();

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    await store.driver.exec('DELETE FROM instruments; DELETE FROM job_runs;');
    // 00:30 IST on 23 Nov is still 22 Nov in UTC: the version must be the IST date.
    clock = new TestClock(istToEpochMs('2026-11-23', '00:30'));
  });

  const sync = (list: readonly Instrument[], namespace: 'real' | 'simulated' = 'real') =>
    syncInstruments({
      source: fromList(list),
      repository: store.instruments,
      clock,
      freezeQuantities: bundledFreezeQuantities(),
      jobRuns: store.jobRuns,
      ids,
      namespace,
    });

  it('stores the dump as the version of the IST date with F&O metadata and freeze limits', async () => {
    const result = await sync(dump);
    expect(result).toMatchObject({
      namespace: 'real',
      version: '2026-11-23',
      count: 5,
      byExchange: { NSE: 2, NFO: 3 },
      freezeApplied: 3,
    });
    expect(await store.instruments.latestVersion('real')).toBe('2026-11-23');
    const future = await store.instruments.get('real', bankNifty.id, '2026-11-23');
    expect(future).toEqual({ ...bankNifty, freezeQty: 600 });
    const option = await store.instruments.getByToken('real', aNiftyOption().token, '2026-11-23');
    expect(option).toMatchObject({
      expiry: '2026-11-24',
      strikePaise: 2_600_000,
      lotSize: 65,
      freezeQty: 1800,
    });
    expect((await store.instruments.get('real', anInstrument().id, '2026-11-23'))?.freezeQty).toBeNull();
  });

  it('is idempotent within a day: a second sync replaces the version with the same rows', async () => {
    await sync(dump);
    const first = await store.instruments.listVersion('real', '2026-11-23');
    clock.advanceTo(istToEpochMs('2026-11-23', '18:00'));
    expect((await sync(dump)).count).toBe(5);
    expect(await store.instruments.listVersion('real', '2026-11-23')).toEqual(first);
  });

  it('keeps earlier days as their own versions', async () => {
    await sync(dump.slice(0, 2));
    clock.advanceTo(istToEpochMs('2026-11-24', '07:00'));
    await sync(dump);
    expect(await store.instruments.listVersion('real', '2026-11-23')).toHaveLength(2);
    expect(await store.instruments.listVersion('real', '2026-11-24')).toHaveLength(5);
  });

  it('writes to the namespace it is given and leaves the other alone', async () => {
    await sync(dump, 'simulated');
    expect(await store.instruments.latestVersion('real')).toBeNull();
    expect(await store.instruments.latestVersion('simulated')).toBe('2026-11-23');
  });

  it('records a job run per sync with the counts', async () => {
    const result = await sync(dump);
    const phases = await store.jobRuns.listByRun(result.jobRunId);
    expect(phases).toHaveLength(1);
    expect(phases[0]).toMatchObject({ job: INSTRUMENT_SYNC_JOB, phase: 'sync', isError: false });
    expect(phases[0]?.message).toContain('stored 5 instruments as version 2026-11-23 in real');
  });

  it('refuses an empty dump or a duplicate instrument, keeps the stored version and records the failure', async () => {
    await sync(dump);
    await expect(sync([])).rejects.toThrow(
      'the contract file has no instruments; version 2026-11-23 not stored',
    );
    await expect(sync([anInstrument(), anInstrument()])).rejects.toThrow(
      'the contract file lists RELIANCE.NSE twice',
    );
    expect(await store.instruments.listVersion('real', '2026-11-23')).toHaveLength(5);
    const failed = (await store.jobRuns.listRecent(INSTRUMENT_SYNC_JOB, 10)).filter((p) => p.isError);
    expect(failed).toHaveLength(2);
  });
});
