import {
  createStore,
  createThrowawayPostgresDatabase,
  migrate,
  PostgresDriver,
  postgresTestGate,
  type Store,
  type ThrowawayPostgresDatabase,
} from '@kitepilot/store';
import { afterAll, beforeAll, describe } from 'vitest';
import { sqlOrderStoreContract } from './sql-order-store.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('SqlOrderStore on PostgreSQL', () => {
  let database: ThrowawayPostgresDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await createThrowawayPostgresDatabase(gate.url ?? '');
    const driver = new PostgresDriver(database.url);
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });
  sqlOrderStoreContract(() => {
    if (store === undefined) throw new Error('the PostgreSQL store is not open yet');
    return store;
  });
});
