import { describe } from 'vitest';
import { usePgliteBackend } from '../testing/store-test-backend.ts';
import { apiRepositoriesContract } from './api-repositories.contract.ts';

describe('API repositories on PGlite', () => {
  apiRepositoriesContract(usePgliteBackend());
});
