import { describe } from 'vitest';
import { tickIngestContract } from './testing/contract/tick-ingest.contract.ts';
import { postgresTestGate } from './testing/postgres-test-db.ts';
import { usePostgresBackend } from './testing/store-test-backend.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('Tick write paths and quarantine on PostgreSQL', () => {
  tickIngestContract(usePostgresBackend(gate.url ?? ''));
});
