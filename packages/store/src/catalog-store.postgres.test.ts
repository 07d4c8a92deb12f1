import { describe } from 'vitest';
import { postgresTestGate } from './testing/postgres-test-db.ts';
import { retentionContract } from './testing/contract/retention.contract.ts';
import { watchlistContract } from './testing/contract/watchlist.contract.ts';
import { usePostgresBackend } from './testing/store-test-backend.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('Watchlist and retention on PostgreSQL', () => {
  const backend = usePostgresBackend(gate.url ?? '');
  describe('watchlist', () => watchlistContract(backend));
  describe('retention', () => retentionContract(backend));
});
