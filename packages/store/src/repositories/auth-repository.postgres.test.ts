import { describe } from 'vitest';
import { postgresTestGate } from '../testing/postgres-test-db.ts';
import { usePostgresBackend } from '../testing/store-test-backend.ts';
import { authRepositoryContract } from './auth-repository.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('auth repository on PostgreSQL', () => {
  authRepositoryContract(usePostgresBackend(gate.url ?? ''));
});
