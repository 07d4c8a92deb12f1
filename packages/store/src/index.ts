export * from './errors.ts';
export type { SqlDriver, SqlExecutor, SqlResult } from './driver/sql-driver.ts';
export { AsyncMutex } from './driver/async-mutex.ts';
export { PgliteDriver, type PgliteDriverOptions } from './driver/pglite-driver.ts';
export {
  PostgresDriver,
  openPostgres,
  postgresTarget,
  describePostgresTarget,
  type PostgresDriverOptions,
  type PostgresTarget,
} from './driver/postgres-driver.ts';
export {
  parseSafeBigint,
  parseSafeNumeric,
  parseTimestamptz,
  toTimestamptzParam,
  storeTypeParsers,
  pgTypeOid,
} from './driver/type-parsers.ts';
export {
  migrate,
  schemaVersion,
  type MigrateOptions,
  type MigrateResult,
  type SchemaVersion,
} from './migrate/migrate.ts';
export { defaultMigrationsDir, readMigrationFiles, type MigrationFile } from './migrate/migration-files.ts';
export { createStore, type Store } from './store.ts';
export { canonicalJson } from './repositories/canonical-json.ts';
export { configHash } from './repositories/run-repository.ts';
export { auditHash, AUDIT_GENESIS_HASH } from './repositories/audit-repository.ts';
export { tickTime } from './repositories/tick-repository.ts';
export { SqlWatchlistRepository } from './repositories/watchlist-repository.ts';
export { SqlBacktestResultRepository } from './repositories/backtest-result-repository.ts';
export { SqlWalkForwardRepository } from './repositories/walk-forward-repository.ts';
export { SqlRetentionRepository, tickPartitionDay } from './repositories/retention.ts';
export {
  POSTGRES_TEST_URL_VARIABLE,
  postgresTestGate,
  createThrowawayPostgresDatabase,
  type PostgresTestGate,
  type ThrowawayPostgresDatabase,
} from './testing/postgres-test-db.ts';
export * from './embedded/index.ts';
export {
  SqlAuditRepository,
  type AuditAnchor,
  type AuditBreakKind,
  type AuditChainVerification,
  type AuditListFilter,
  type AuditVerifyOptions,
} from './repositories/audit-repository.ts';
export * from './repositories/risk-profile-repository.ts';
export * from './repositories/strategy-definition-repository.ts';
export * from './repositories/instrument-search-repository.ts';
export * from './repositories/job-run-list-repository.ts';
export { withAccountScope, ACCOUNT_SCOPE_ROLE, ACCOUNT_SCOPE_SETTING } from './rls/account-scope.ts';
export { AccountScopeError } from './rls/account-scope-error.ts';
export { withScopedDriver, withScopedStore } from './rls/scoped-store.ts';
export { ScopedTransactionDriver } from './rls/scoped-transaction-driver.ts';
export { ScopedAuditRepository } from './rls/scoped-audit-repository.ts';
