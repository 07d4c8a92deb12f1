import { describe } from 'vitest';
import { usePgliteBackend } from '../testing/store-test-backend.ts';
import { authRepositoryContract } from './auth-repository.contract.ts';

describe('auth repository on PGlite', () => {
  authRepositoryContract(usePgliteBackend());
});
