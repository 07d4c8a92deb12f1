import { describe } from 'vitest';
import { postgresTestGate } from '../testing/postgres-test-db.ts';
import { usePostgresBackend } from '../testing/store-test-backend.ts';
import { auditRepositoryContract } from './audit-repository.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('SqlAuditRepository on PostgreSQL', () => {
  auditRepositoryContract(usePostgresBackend(gate.url ?? ''));
});
