import { describe } from 'vitest';
import { runStoreContract } from './store.contract.ts';
import { postgresTestGate } from './testing/postgres-test-db.ts';
import { usePostgresBackend } from './testing/store-test-backend.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('Store on PostgreSQL', () => {
  runStoreContract(usePostgresBackend(gate.url ?? ''));
});
