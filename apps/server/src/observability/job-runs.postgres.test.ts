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
import { jobRunsContract } from './job-runs.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('job runs on PostgreSQL', () => {
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
  jobRunsContract(() => {
    if (store === undefined) throw new Error('the PostgreSQL store is not open yet');
    return store;
  });
});
