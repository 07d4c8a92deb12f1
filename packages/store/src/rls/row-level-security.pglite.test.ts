import { describe } from 'vitest';
import { usePgliteBackend } from '../testing/store-test-backend.ts';
import { rowLevelSecurityContract } from './row-level-security.contract.ts';

describe('row-level security on PGlite', () => {
  rowLevelSecurityContract(usePgliteBackend());
});
