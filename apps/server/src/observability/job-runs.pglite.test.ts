import { PGlite } from '@electric-sql/pglite';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe } from 'vitest';
import { jobRunsContract } from './job-runs.contract.ts';

describe('job runs on PGlite', () => {
  let store: Store | undefined;
  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(async () => {
    await store?.close();
  });
  jobRunsContract(() => {
    if (store === undefined) throw new Error('the PGlite store is not open yet');
    return store;
  });
});
