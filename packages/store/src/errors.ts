/** The kinds of store failure callers may branch on. */
export type StoreErrorCode =
  | 'UNIQUE_VIOLATION'
  | 'FOREIGN_KEY_VIOLATION'
  | 'CHECK_VIOLATION'
  | 'NOT_NULL_VIOLATION'
  | 'APPEND_ONLY_VIOLATION'
  | 'SERIALIZATION_FAILURE'
  | 'QUERY_FAILED'
  | 'UNREACHABLE'
  | 'CLOSED'
  | 'VALUE_OUT_OF_RANGE'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_CHECKSUM_MISMATCH'
  | 'SCHEMA_NEWER_THAN_CODE'
  | 'MIGRATION_FILES_INVALID';

/** Options shared by every store error. */
export interface StoreErrorOptions {
  readonly sqlState?: string | null;
  readonly cause?: unknown;
}

/** Is the base class of every error the store raises; `sqlState` is PostgreSQL's SQLSTATE when the database raised it. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly sqlState: string | null;
  /** Whether retrying the same operation later may succeed (connection loss, serialization failure). */
  readonly retryable: boolean;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: StoreErrorOptions & { retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
    this.sqlState = options.sqlState ?? null;
    this.retryable = options.retryable ?? false;
  }
}

/** Is raised when a SQL statement fails in the database (constraint, syntax, missing relation, …). */
export class StoreQueryError extends StoreError {
  /** The constraint PostgreSQL named, when it named one. */
  readonly constraint: string | null;
  /** The table PostgreSQL named, when it named one. */
  readonly table: string | null;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: StoreErrorOptions & { constraint?: string | null; table?: string | null; retryable?: boolean },
  ) {
    super(code, message, options);
    this.name = 'StoreQueryError';
    this.constraint = options.constraint ?? null;
    this.table = options.table ?? null;
  }
}

/** Is raised when the PostgreSQL server cannot be reached; the message names host and port, never the password. */
export class StoreUnreachableError extends StoreError {
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number, message: string, cause: unknown) {
    super('UNREACHABLE', message, { cause, retryable: true });
    this.name = 'StoreUnreachableError';
    this.host = host;
    this.port = port;
  }
}

/** Is raised when a closed driver (or a finished transaction handle) is used. */
export class StoreClosedError extends StoreError {
  constructor(message: string) {
    super('CLOSED', message);
    this.name = 'StoreClosedError';
  }
}

/** Is raised when a database value does not fit the TypeScript representation (e.g. bigint beyond 2^53 − 1). */
export class StoreValueError extends StoreError {
  constructor(message: string) {
    super('VALUE_OUT_OF_RANGE', message);
    this.name = 'StoreValueError';
  }
}

/** Is raised by `migrate` and `schemaVersion`; `file` names the migration file concerned, when there is one. */
export class MigrationError extends StoreError {
  readonly file: string | null;

  constructor(code: StoreErrorCode, message: string, file: string | null, options: StoreErrorOptions = {}) {
    super(code, message, options);
    this.name = 'MigrationError';
    this.file = file;
  }
}

const sqlStateCodes: Readonly<Record<string, StoreErrorCode>> = {
  '23505': 'UNIQUE_VIOLATION',
  '23503': 'FOREIGN_KEY_VIOLATION',
  '23514': 'CHECK_VIOLATION',
  '23502': 'NOT_NULL_VIOLATION',
  '40001': 'SERIALIZATION_FAILURE',
  '40P01': 'SERIALIZATION_FAILURE',
  // Raised by the audit_events trigger (migrations/0001_init.sql) with ERRCODE 'KP001'.
  KP001: 'APPEND_ONLY_VIOLATION',
};

interface DatabaseErrorFields {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly detail?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Returns the first line of a SQL text, shortened, for error messages. */
export function sqlSummary(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

/**
 * Returns a typed store error for an error thrown by `pg` or PGlite while running `sql`; store errors pass through.
 * The database's SQLSTATE, message and detail are kept, and the original error is the cause.
 */
export function toStoreError(error: unknown, sql: string): StoreError {
  if (error instanceof StoreError) return error;
  const fields: DatabaseErrorFields = typeof error === 'object' && error !== null ? error : {};
  const sqlState = stringField(fields.code);
  const isSqlState = sqlState !== null && /^[0-9A-Z]{5}$/.test(sqlState);
  const message = stringField(fields.message) ?? String(error);
  const detail = stringField(fields.detail);
  const code: StoreErrorCode = isSqlState ? (sqlStateCodes[sqlState] ?? 'QUERY_FAILED') : 'QUERY_FAILED';
  const retryable = code === 'SERIALIZATION_FAILURE' || (isSqlState && sqlState.startsWith('08'));
  const state = isSqlState ? ` [SQLSTATE ${sqlState}]` : '';
  return new StoreQueryError(
    code,
    `${message}${detail === null ? '' : ` (${detail})`}${state} in: ${sqlSummary(sql)}`,
    {
      sqlState: isSqlState ? sqlState : null,
      constraint: stringField(fields.constraint),
      table: stringField(fields.table),
      retryable,
      cause: error,
    },
  );
}
