import { beforeAll, beforeEach } from 'vitest';
import { migrate } from '../../migrate/migrate.ts';
import { createStore, type Store } from '../../store.ts';
import { resetSchema, resetStoreData, type StoreTestBackend } from '../store-test-backend.ts';

/** Registers hooks: a freshly migrated schema for the suite, emptied before each test; returns the store. */
export function useMigratedStore(backend: StoreTestBackend): () => Store {
  let store: Store | undefined;
  beforeAll(async () => {
    await resetSchema(backend.driver());
    await migrate(backend.driver());
    store = createStore(backend.driver());
  });
  beforeEach(async () => {
    await resetStoreData(backend.driver());
  });
  return () => {
    if (store === undefined) throw new Error('the test store is not migrated yet');
    return store;
  };
}
