import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseDataDirLockInfo, type DataDirLockInfo } from './data-dir-lock-info.ts';
import { DataDirLockedError, DataDirLockInvalidError } from './errors.ts';

/** The lock file's name inside the data directory. */
export const dataDirLockFileName = 'kitepilot.lock';

const takeoverSuffix = '.takeover';
const maxAttempts = 20;
const takeoverWaitMs = 2_000;
const takeoverPollMs = 10;

/** Lock files this process holds, so that a second open in the same process is refused like any other. */
const heldInThisProcess = new Map<string, DataDirLockInfo>();

/** Returns the path of the lock file of `dataDir`. */
export function dataDirLockPath(dataDir: string): string {
  return join(dataDir, dataDirLockFileName);
}

type LockRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty'; readonly raw: string }
  | { readonly kind: 'valid'; readonly raw: string; readonly info: DataDirLockInfo };

async function readLockFile(lockPath: string): Promise<LockRead> {
  let raw: string;
  try {
    raw = await readFile(lockPath, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { kind: 'missing' };
    throw new DataDirLockInvalidError(lockPath, `it cannot be read: ${String(error)}`, { cause: error });
  }
  // An empty file cannot name a holder; our writers never expose one (see createExclusive), so it is debris.
  if (raw.trim() === '') return { kind: 'empty', raw };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new DataDirLockInvalidError(lockPath, `content is not JSON: ${JSON.stringify(raw.slice(0, 80))}`, {
      cause: error,
    });
  }
  const info = parseDataDirLockInfo(json);
  if (typeof info === 'string') throw new DataDirLockInvalidError(lockPath, info);
  return { kind: 'valid', raw, info };
}

/**
 * Returns the record of the process that holds `dataDir`, or null when no lock file exists; throws
 * `DataDirLockInvalidError` when the file is not a valid lock. The holder may be dead: see `isLockHolderAlive`.
 */
export async function readDataDirLock(dataDir: string): Promise<DataDirLockInfo | null> {
  const read = await readLockFile(dataDirLockPath(dataDir));
  return read.kind === 'valid' ? read.info : null;
}

/**
 * Returns whether the holder may still run: true when it is on another host (its liveness cannot be checked from
 * here) or when signal 0 reaches its pid; false when the pid does not exist on this host.
 */
export function isLockHolderAlive(info: DataDirLockInfo): boolean {
  if (info.hostname !== hostname()) return true;
  // A container restarts its server with the same pid (often 1): a lock naming our own pid that this process does
  // not hold was left by a previous incarnation.
  if (info.pid === process.pid) return [...heldInThisProcess.values()].some((held) => sameHolder(held, info));
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
    // EPERM: the pid exists but belongs to another user, so it is alive.
    return true;
  }
}

/** Options of `acquireDataDirLock`. */
export interface AcquireDataDirLockOptions {
  /** KitePilot version written into the lock. */
  readonly version: string;
  /** Socket path to record at once (the owner usually records it later with `setSocketPath`). */
  readonly socketPath?: string | null;
}

/** An acquired `kitepilot.lock`; release it exactly once. */
export class DataDirLock {
  readonly dataDir: string;
  readonly path: string;
  #info: DataDirLockInfo;
  #released = false;

  /** Wraps a lock file this process has just created. */
  constructor(dataDir: string, info: DataDirLockInfo) {
    this.dataDir = dataDir;
    this.path = dataDirLockPath(dataDir);
    this.#info = info;
  }

  /** Returns the record written in the lock file. */
  get info(): DataDirLockInfo {
    return this.#info;
  }

  /** Rewrites the lock record with `socketPath`, atomically (temp file + rename). */
  async setSocketPath(socketPath: string | null): Promise<void> {
    if (this.#released) throw new Error(`lock ${this.path} was already released`);
    await this.#assertStillOurs();
    const next: DataDirLockInfo = { ...this.#info, socketPath };
    const tmp = await writeTempFile(this.path, next);
    try {
      await rename(tmp, this.path);
    } catch (error) {
      await unlinkIfPresent(tmp);
      throw new Error(`cannot update lock ${this.path}: ${String(error)}`, { cause: error });
    }
    this.#info = next;
  }

  /** Deletes the lock file if it is still ours; later calls do nothing. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    heldInThisProcess.delete(this.path);
    const read = await readLockFile(this.path);
    if (read.kind === 'valid' && sameHolder(read.info, this.#info)) await unlinkIfPresent(this.path);
  }

  async #assertStillOurs(): Promise<void> {
    const read = await readLockFile(this.path);
    if (read.kind !== 'valid' || !sameHolder(read.info, this.#info)) {
      throw new Error(
        `lock ${this.path} is no longer held by pid ${this.#info.pid}; found ${read.kind} lock`,
      );
    }
  }
}

/**
 * Takes `<dataDir>/kitepilot.lock` for this process. When a live process holds it, throws `DataDirLockedError`
 * naming that process; a lock whose holder is dead (crash, kill -9) is taken over, and of several processes racing
 * for the same stale lock exactly one wins. Throws `DataDirLockInvalidError` for a lock file that is not valid JSON.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: AcquireDataDirLockOptions,
): Promise<DataDirLock> {
  const lockPath = dataDirLockPath(dataDir);
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const info: DataDirLockInfo = {
      pid: process.pid,
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      socketPath: options.socketPath ?? null,
      version: options.version,
    };
    if (await createExclusive(lockPath, info)) {
      heldInThisProcess.set(lockPath, info);
      return new DataDirLock(dataDir, info);
    }
    const read = await readLockFile(lockPath);
    if (read.kind === 'missing') continue;
    if (read.kind === 'valid' && isLockHolderAlive(read.info))
      throw new DataDirLockedError(dataDir, read.info);
    await takeOverStale(lockPath, read.raw);
  }
  throw new Error(
    `could not take lock ${lockPath} after ${maxAttempts} attempts; other processes keep racing for it`,
  );
}

/**
 * Creates the lock with its full content or returns false when it exists. The record is written to a unique temp
 * file first and then hard-linked to the lock name: link(2) fails with EEXIST like open(O_CREAT|O_EXCL) does, and
 * a reader can never see an empty or half-written lock.
 */
async function createExclusive(lockPath: string, info: DataDirLockInfo): Promise<boolean> {
  const tmp = await writeTempFile(lockPath, info);
  try {
    await link(tmp, lockPath);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw new Error(`cannot create lock ${lockPath}: ${String(error)}`, { cause: error });
  } finally {
    await unlinkIfPresent(tmp);
  }
}

/**
 * Removes the stale lock whose content is `staleRaw`. Only the process that creates `kitepilot.lock.takeover`
 * (O_EXCL) may delete, and only if the lock still has exactly the stale content, so a racer can never delete the
 * fresh lock of the process that won.
 */
async function takeOverStale(lockPath: string, staleRaw: string): Promise<void> {
  const markerPath = lockPath + takeoverSuffix;
  let marker;
  try {
    marker = await open(markerPath, 'wx', 0o600);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) {
      throw new Error(`cannot create ${markerPath}: ${String(error)}`, { cause: error });
    }
    await waitForMarker(markerPath);
    return;
  }
  try {
    await marker.writeFile(JSON.stringify({ pid: process.pid, hostname: hostname() }));
    await marker.close();
    let current: string;
    try {
      current = await readFile(lockPath, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw new Error(`cannot read lock ${lockPath}: ${String(error)}`, { cause: error });
    }
    if (current === staleRaw) await unlinkIfPresent(lockPath);
  } finally {
    await unlinkIfPresent(markerPath);
  }
}

/** Waits until another process's takeover marker disappears; removes it when its writer died inside takeover. */
async function waitForMarker(markerPath: string): Promise<void> {
  const deadline = Date.now() + takeoverWaitMs;
  while (Date.now() < deadline) {
    let raw: string;
    try {
      raw = await readFile(markerPath, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw new Error(`cannot read ${markerPath}: ${String(error)}`, { cause: error });
    }
    const holder = parseMarker(raw);
    if (holder !== null && holder.hostname === hostname() && !pidExists(holder.pid)) {
      await unlinkIfPresent(markerPath);
      return;
    }
    await delay(takeoverPollMs);
  }
  throw new Error(
    `${markerPath} stayed in place for ${takeoverWaitMs} ms; remove it if no KitePilot process runs`,
  );
}

function parseMarker(raw: string): { pid: number; hostname: string } | null {
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === 'object' && v !== null && 'pid' in v && 'hostname' in v) {
      const { pid, hostname: host } = v as { pid: unknown; hostname: unknown };
      if (typeof pid === 'number' && typeof host === 'string') return { pid, hostname: host };
    }
    return null;
  } catch (error) {
    // The marker's writer may be between open and write; treat it as not yet readable and keep waiting.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH');
  }
}

async function writeTempFile(lockPath: string, info: DataDirLockInfo): Promise<string> {
  const tmp = `${lockPath}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(JSON.stringify(info, null, 2) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

function sameHolder(a: DataDirLockInfo, b: DataDirLockInfo): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}

/** Returns whether `error` is a Node system error with `code`. */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
