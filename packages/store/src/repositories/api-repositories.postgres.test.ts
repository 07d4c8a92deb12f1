import { describe } from 'vitest';
import { postgresTestGate } from '../testing/postgres-test-db.ts';
import { usePostgresBackend } from '../testing/store-test-backend.ts';
import { apiRepositoriesContract } from './api-repositories.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('API repositories on PostgreSQL', () => {
  apiRepositoriesContract(usePostgresBackend(gate.url ?? ''));
});
