import { describe } from 'vitest';
import { runStoreContract } from './store.contract.ts';
import { usePgliteBackend } from './testing/store-test-backend.ts';

describe('Store on PGlite', () => {
  runStoreContract(usePgliteBackend());
});
