import { describe } from 'vitest';
import { retentionContract } from './testing/contract/retention.contract.ts';
import { watchlistContract } from './testing/contract/watchlist.contract.ts';
import { usePgliteBackend } from './testing/store-test-backend.ts';

describe('Watchlist and retention on PGlite', () => {
  const backend = usePgliteBackend();
  describe('watchlist', () => watchlistContract(backend));
  describe('retention', () => retentionContract(backend));
});
