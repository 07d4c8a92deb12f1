import { describe } from 'vitest';
import { postgresTestGate } from '../testing/postgres-test-db.ts';
import { usePostgresBackend } from '../testing/store-test-backend.ts';
import { rowLevelSecurityContract } from './row-level-security.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('row-level security on PostgreSQL', () => {
  rowLevelSecurityContract(usePostgresBackend(gate.url ?? ''));
});
