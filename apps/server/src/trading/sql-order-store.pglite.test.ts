import { PGlite } from '@electric-sql/pglite';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe } from 'vitest';
import { sqlOrderStoreContract } from './sql-order-store.contract.ts';

describe('SqlOrderStore on PGlite', () => {
  let store: Store | undefined;
  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(async () => {
    await store?.close();
  });
  sqlOrderStoreContract(() => {
    if (store === undefined) throw new Error('the PGlite store is not open yet');
    return store;
  });
});
