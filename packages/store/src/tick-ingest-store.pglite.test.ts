import { describe } from 'vitest';
import { tickIngestContract } from './testing/contract/tick-ingest.contract.ts';
import { usePgliteBackend } from './testing/store-test-backend.ts';

describe('Tick write paths and quarantine on PGlite', () => {
  tickIngestContract(usePgliteBackend());
});
