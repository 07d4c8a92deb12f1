import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  acquireDataDirLock,
  isErrno,
  isLockHolderAlive,
  readDataDirLock,
  type DataDirLock,
} from './data-dir-lock.ts';
import type { DataDirLockInfo } from './data-dir-lock-info.ts';
import { EmbeddedPgliteDriver } from './embedded-pglite-driver.ts';
import {
  DataDirLockedError,
  DataDirLockInvalidError,
  DataDirUnusableError,
  EmbeddedDatabaseCorruptError,
  LocalSocketUnreachableError,
} from './errors.ts';
import { LocalSocketServer, localSocketPath } from './local-socket-server.ts';
import { PgliteSocketDriver } from './pglite-socket-driver.ts';

/** The folder inside the data directory that holds PostgreSQL's files (the lock and socket sit beside it). */
export const pgDataFolderName = 'pg';

/** Options of `openEmbeddedStore`. */
export interface OpenEmbeddedStoreOptions {
  /** The data directory, `./data/pg` by default in the apps. */
  readonly dataDir: string;
  /** `owner`: the server (takes the lock, serves the local socket); `client`: the CLI (reaches a running owner). */
  readonly role: 'owner' | 'client';
  /** Fsync every commit on the host before it resolves (docs/decisions/0002); false by default. */
  readonly durable?: boolean;
  /** KitePilot version written into the lock file. */
  readonly version?: string;
  /** Receives failures of PGlite while it serves a socket client; by default they crash the process (crash-only). */
  readonly onSocketError?: (error: Error) => void;
}

/** An embedded store opened by this process on the PGlite files themselves. */
export interface EmbeddedOwnerStore {
  /** `owner`: serves the local socket; `direct`: a client that found no running owner and opened the files. */
  readonly access: 'owner' | 'direct';
  readonly driver: EmbeddedPgliteDriver;
  readonly dataDir: string;
  readonly pgDataDir: string;
  /** The socket served to other processes, or null for `direct`. */
  readonly socketPath: string | null;
  /** Stops the socket (rolling back its clients), closes PGlite and releases the lock. */
  close(): Promise<void>;
}

/** An embedded store reached through the local socket of the process that owns it. */
export interface EmbeddedSocketStore {
  readonly access: 'socket';
  readonly driver: PgliteSocketDriver;
  readonly dataDir: string;
  readonly socketPath: string;
  /** The owner named in the lock file. */
  readonly holder: DataDirLockInfo;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** What `openEmbeddedStore` returns for a client. */
export type EmbeddedStore = EmbeddedOwnerStore | EmbeddedSocketStore;

/**
 * Opens the embedded store in `dataDir`. An owner takes the directory's lock, opens PGlite on `<dataDir>/pg` and
 * serves it on a local socket; a client connects through that socket when a live owner serves one, or else opens
 * the files itself under the lock. Never opens PGlite files another live process has open.
 */
export async function openEmbeddedStore(
  options: OpenEmbeddedStoreOptions & { readonly role: 'owner' },
): Promise<EmbeddedOwnerStore>;
export async function openEmbeddedStore(options: OpenEmbeddedStoreOptions): Promise<EmbeddedStore>;
export async function openEmbeddedStore(options: OpenEmbeddedStoreOptions): Promise<EmbeddedStore> {
  const dataDir = resolve(options.dataDir);
  if (options.role === 'owner') {
    await prepareDataDir(dataDir);
    return openOwned(dataDir, options, true);
  }
  if (await pathExists(dataDir)) {
    await assertDirectory(dataDir);
    const viaSocket = await connectToLiveOwner(dataDir);
    if (viaSocket !== null) return viaSocket;
  }
  await prepareDataDir(dataDir);
  try {
    return await openOwned(dataDir, options, false);
  } catch (error) {
    // An owner started between our look at the lock and our attempt to take it: go through its socket instead.
    if (!(error instanceof DataDirLockedError)) throw error;
    const viaSocket = await connectToLiveOwner(dataDir);
    if (viaSocket === null) throw error;
    return viaSocket;
  }
}

async function connectToLiveOwner(dataDir: string): Promise<EmbeddedSocketStore | null> {
  const holder = await readDataDirLock(dataDir);
  if (holder === null || !isLockHolderAlive(holder)) return null;
  if (holder.socketPath === null) {
    throw new DataDirLockedError(dataDir, holder, '; it serves no local socket, so retry once it has exited');
  }
  const driver = new PgliteSocketDriver(holder.socketPath);
  try {
    await driver.query('SELECT 1');
  } catch (error) {
    await driver.close();
    throw new LocalSocketUnreachableError(holder.socketPath, holder.pid, { cause: error });
  }
  return {
    access: 'socket',
    driver,
    dataDir,
    socketPath: holder.socketPath,
    holder,
    close: () => driver.close(),
  };
}

async function openOwned(
  dataDir: string,
  options: OpenEmbeddedStoreOptions,
  serveSocket: boolean,
): Promise<EmbeddedOwnerStore> {
  const lock = await takeLock(dataDir, options.version ?? 'unknown');
  const pgDataDir = join(dataDir, pgDataFolderName);
  const durable = options.durable ?? false;
  let driver: EmbeddedPgliteDriver | null = null;
  let server: LocalSocketServer | null = null;
  try {
    const db = await startPglite(pgDataDir, durable);
    driver = new EmbeddedPgliteDriver(db, { pgDataDir, durable });
    // The first flush covers the whole tree: start-up may have replayed WAL and written a checkpoint.
    if (durable) await driver.flushDurably();
    let socketPath: string | null = null;
    if (serveSocket) {
      const flushingDriver = driver;
      server = new LocalSocketServer({
        db,
        mutex: driver.mutex,
        socketPath: localSocketPath(dataDir),
        onError: options.onSocketError ?? crash,
        ...(durable ? { onIdle: () => flushingDriver.flushDurablyHoldingMutex() } : {}),
      });
      await server.start();
      socketPath = server.socketPath;
      await lock.setSocketPath(socketPath);
    }
    return {
      access: serveSocket ? 'owner' : 'direct',
      driver,
      dataDir,
      pgDataDir,
      socketPath,
      close: closeOnce(() => shutDown(lock, driver, server, durable)),
    };
  } catch (error) {
    await shutDown(lock, driver, server, false);
    throw error;
  }
}

async function shutDown(
  lock: DataDirLock,
  driver: EmbeddedPgliteDriver | null,
  server: LocalSocketServer | null,
  durable: boolean,
): Promise<void> {
  try {
    if (server !== null) await server.stop();
    if (driver !== null) {
      await driver.close();
      // PGlite's shutdown checkpoint wrote every page without a host fsync.
      if (durable) await driver.flushTreeAfterClose();
    }
  } finally {
    await lock.release();
  }
}

function closeOnce(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= fn());
}

function crash(error: Error): void {
  // DESIGN.md §3: an invariant break stops the process; PGlite failing mid-protocol leaves its state unknown.
  process.nextTick(() => {
    throw error;
  });
}

async function takeLock(dataDir: string, version: string): Promise<DataDirLock> {
  try {
    return await acquireDataDirLock(dataDir, { version });
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof DataDirLockInvalidError) throw error;
    throw new DataDirUnusableError(dataDir, `cannot write its lock file (${describeFsError(error)})`, {
      cause: error,
    });
  }
}

/** PGlite's start parameters: its defaults, and in durable mode without `-F` and with synchronous commit. */
function startParams(durable: boolean): string[] {
  if (!durable) return [...PGlite.defaultStartParams];
  return [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'synchronous_commit=on'];
}

async function startPglite(pgDataDir: string, durable: boolean): Promise<PGlite> {
  await assertPgDataFolder(pgDataDir);
  const log: string[] = [];
  const keep = (line: string): boolean => {
    if (/\b(PANIC|FATAL|ERROR|DETAIL|HINT):/.test(line))
      log.push(line.replace(/^.*?\b(?=PANIC|FATAL|ERROR|DETAIL|HINT)/, ''));
    return false;
  };
  let db: PGlite;
  try {
    db = await PGlite.create(pgDataDir, {
      startParams: startParams(durable),
      onStderr: keep,
      onStdout: keep,
    });
  } catch (error) {
    throw new EmbeddedDatabaseCorruptError(pgDataDir, log.slice(-4), { cause: error });
  }
  try {
    // Start-up reads little of the catalog; touch the main catalogs so damage shows now rather than mid-trade.
    await db.query(
      'SELECT count(*) FROM pg_class, pg_namespace WHERE pg_class.relnamespace = pg_namespace.oid',
    );
    await db.query('SELECT count(*) FROM pg_attribute');
  } catch (error) {
    await db.close().catch((closeError: unknown) => log.push(`close failed: ${String(closeError)}`));
    throw new EmbeddedDatabaseCorruptError(pgDataDir, log.slice(-4), { cause: error });
  }
  return db;
}

/** Refuses a `pg` folder that is a file, or that holds files but no PG_VERSION (PGlite would run initdb over it). */
async function assertPgDataFolder(pgDataDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(pgDataDir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    if (isErrno(error, 'ENOTDIR')) {
      throw new DataDirUnusableError(pgDataDir, 'the path exists but is a file, not a directory', {
        cause: error,
      });
    }
    throw new DataDirUnusableError(pgDataDir, `cannot read it (${describeFsError(error)})`, { cause: error });
  }
  if (entries.length > 0 && !entries.includes('PG_VERSION')) {
    throw new EmbeddedDatabaseCorruptError(pgDataDir, [
      `the folder holds ${entries.length} entries but no PG_VERSION file`,
    ]);
  }
}

async function prepareDataDir(dataDir: string): Promise<void> {
  if (await pathExists(dataDir)) {
    await assertDirectory(dataDir);
    return;
  }
  try {
    await makeDirectories(dataDir);
  } catch (error) {
    throw new DataDirUnusableError(dataDir, `cannot create it (${describeFsError(error)})`, { cause: error });
  }
}

/**
 * Creates `dir` and its missing parents with mode 0700 (PGlite creates its files world-writable, mode 0666, so the
 * directory is what keeps other users out). Node 20's `mkdir({ recursive: true })` never returns for a path under
 * /proc, where mkdir fails with ENOENT although the parent exists, hence the explicit walk.
 */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (!(await pathExists(current))) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing) await mkdir(path, { mode: 0o700 });
}

async function assertDirectory(dataDir: string): Promise<void> {
  const info = await stat(dataDir);
  if (!info.isDirectory())
    throw new DataDirUnusableError(dataDir, 'the path exists but is a file, not a directory');
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw new DataDirUnusableError(path, `cannot inspect it (${describeFsError(error)})`, { cause: error });
  }
}

function describeFsError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error instanceof Error ? `${error.code}: ${error.message}` : error.code;
  }
  return String(error);
}
