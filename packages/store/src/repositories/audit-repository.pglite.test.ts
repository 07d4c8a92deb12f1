import { describe } from 'vitest';
import { usePgliteBackend } from '../testing/store-test-backend.ts';
import { auditRepositoryContract } from './audit-repository.contract.ts';

describe('SqlAuditRepository on PGlite', () => {
  auditRepositoryContract(usePgliteBackend());
});
