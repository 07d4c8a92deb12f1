import { describe } from 'vitest';
import { auditAndJobsContract } from './testing/contract/audit-jobs.contract.ts';
import { driverContract } from './testing/contract/driver.contract.ts';
import { marketDataContract } from './testing/contract/market-data.contract.ts';
import { migrateContract } from './testing/contract/migrate.contract.ts';
import { researchContract } from './testing/contract/research.contract.ts';
import { tradingContract } from './testing/contract/trading.contract.ts';
import { tradingRecordsContract } from './repositories/trading-records.contract.ts';
import type { StoreTestBackend } from './testing/store-test-backend.ts';

/**
 * Runs every store contract suite — driver, migrator, market data, trading, trading records, audit and jobs, research — on one backend, so
 * that PGlite and PostgreSQL are held to exactly the same tests.
 */
export function runStoreContract(backend: StoreTestBackend): void {
  describe('driver', () => driverContract(backend));
  describe('migrations', () => migrateContract(backend));
  describe('market data', () => marketDataContract(backend));
  describe('trading', () => tradingContract(backend));
  describe('trading records', () => tradingRecordsContract(backend));
  describe('audit and jobs', () => auditAndJobsContract(backend));
  describe('research', () => researchContract(backend));
}
