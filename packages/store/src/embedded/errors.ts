import type { DataDirLockInfo } from './data-dir-lock-info.ts';

/** Thrown when another live process owns the embedded data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  readonly dataDir: string;
  readonly holder: DataDirLockInfo;

  /** Builds the error from the directory and the lock file's content. */
  constructor(dataDir: string, holder: DataDirLockInfo, detail = '') {
    const socket = holder.socketPath === null ? 'no local socket' : `local socket ${holder.socketPath}`;
    super(
      `embedded data directory ${dataDir} is in use by KitePilot ${holder.version} pid ${holder.pid} on host ` +
        `${holder.hostname}, started ${holder.startedAt} (${socket})${detail}`,
    );
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

/** Thrown when `kitepilot.lock` exists but does not hold a readable lock record. */
export class DataDirLockInvalidError extends Error {
  override readonly name = 'DataDirLockInvalidError';
  readonly lockPath: string;

  /** Builds the error for the lock file at `lockPath`. */
  constructor(lockPath: string, reason: string, options?: ErrorOptions) {
    super(
      `lock file ${lockPath} is not a valid KitePilot lock (${reason}); make sure no KitePilot process uses this ` +
        `directory, then delete the file`,
      options,
    );
    this.lockPath = lockPath;
  }
}

/** Thrown when the embedded data directory cannot be created, read or written. */
export class DataDirUnusableError extends Error {
  override readonly name = 'DataDirUnusableError';
  readonly dataDir: string;

  /** Builds the error for `dataDir` with the reason and the file-system cause. */
  constructor(dataDir: string, reason: string, options?: ErrorOptions) {
    super(`embedded data directory ${dataDir} cannot be used: ${reason}`, options);
    this.dataDir = dataDir;
  }
}

/** Thrown when PGlite cannot start on the files of an embedded database (corrupt or incompatible). */
export class EmbeddedDatabaseCorruptError extends Error {
  override readonly name = 'EmbeddedDatabaseCorruptError';
  readonly pgDataDir: string;

  /** Builds the error for the PostgreSQL data folder `pgDataDir`; `postgresLog` holds its last FATAL lines. */
  constructor(pgDataDir: string, postgresLog: readonly string[], options?: ErrorOptions) {
    const log = postgresLog.length === 0 ? '' : `; postgres said: ${postgresLog.join(' | ')}`;
    super(`the embedded database at ${pgDataDir} could not be opened and is likely corrupt${log}`, options);
    this.pgDataDir = pgDataDir;
  }
}

/** Thrown when the local socket of a running KitePilot server cannot be reached. */
export class LocalSocketUnreachableError extends Error {
  override readonly name = 'LocalSocketUnreachableError';

  /** Builds the error for the socket path and its holder pid. */
  constructor(socketPath: string, pid: number, options?: ErrorOptions) {
    super(`cannot connect to the local socket ${socketPath} of KitePilot pid ${pid}`, options);
  }
}
