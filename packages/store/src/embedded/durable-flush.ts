import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** File-system timestamps can lag the clock by a tick; treat anything this recent as possibly unsynced. */
const mtimeMarginMs = 2_000;

/** Calls fsync(2) on the file or directory at `path`. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Fsyncs every file under `root`, then every directory (deepest first), and `global/pg_control` last, so that the
 * control file never reaches the disk before the pages its checkpoint describes. With `modifiedSinceMs`, skips
 * entries whose mtime is older: a previous pass that started after their last write made them durable already.
 */
export async function fsyncTree(root: string, modifiedSinceMs = 0): Promise<void> {
  const dirs: string[] = [];
  const controlFile = join(root, 'global', 'pg_control');
  const changed = async (path: string): Promise<boolean> =>
    modifiedSinceMs === 0 || (await stat(path)).mtimeMs >= modifiedSinceMs;
  const walk = async (dir: string): Promise<void> => {
    dirs.push(dir);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && path !== controlFile && (await changed(path))) await fsyncPath(path);
    }
  };
  await walk(root);
  for (const dir of dirs.reverse()) if (await changed(dir)) await fsyncPath(dir);
  await fsyncPath(controlFile);
}

/** Fsyncs the WAL segments and the `pg_wal` directory of the PostgreSQL data folder `pgDataDir`. */
export async function fsyncWal(pgDataDir: string): Promise<void> {
  const walDir = join(pgDataDir, 'pg_wal');
  for (const entry of await readdir(walDir, { withFileTypes: true })) {
    if (entry.isFile()) await fsyncPath(join(walDir, entry.name));
  }
  await fsyncPath(walDir);
}

/**
 * Makes committed work of a PGlite database durable on the host. PGlite's WASM postgres writes WAL with pwrite at
 * every commit but its fsync/fdatasync calls are no-ops in Emscripten's NODEFS (docs/decisions/0002), so the host
 * must fsync for it: the WAL after new commits, and the whole tree after a checkpoint moved the redo point.
 * Call `flush` only while holding the mutex that serialises every use of `db`.
 */
export class DurableFlusher {
  readonly #db: PGlite;
  readonly #pgDataDir: string;
  #flushedWalLsn = '';
  #flushedCheckpointLsn = '';
  /** Wall time at which the last whole-tree pass started, minus a margin for coarse file-system timestamps. */
  #treeDurableBeforeMs = 0;

  /** Flushes the database `db` whose files live in `pgDataDir`. */
  constructor(db: PGlite, pgDataDir: string) {
    this.#db = db;
    this.#pgDataDir = pgDataDir;
  }

  /** Fsyncs whatever PGlite wrote since the last flush; returns which scope it had to cover. */
  async flush(): Promise<'none' | 'wal' | 'tree'> {
    const { rows } = await this.#db.query<{ wal: string; checkpoint: string }>(
      'SELECT pg_current_wal_lsn()::text AS wal, (SELECT checkpoint_lsn::text FROM pg_control_checkpoint()) AS checkpoint',
    );
    const row = rows[0];
    if (row === undefined) throw new Error('pg_current_wal_lsn() returned no row');
    if (row.wal === this.#flushedWalLsn && row.checkpoint === this.#flushedCheckpointLsn) return 'none';
    const scope = row.checkpoint === this.#flushedCheckpointLsn ? 'wal' : 'tree';
    if (scope === 'tree') await this.flushTree();
    else await fsyncWal(this.#pgDataDir);
    this.#flushedWalLsn = row.wal;
    this.#flushedCheckpointLsn = row.checkpoint;
    return scope;
  }

  /** Fsyncs the files written since the previous whole-tree pass (all of them the first time). */
  async flushTree(): Promise<void> {
    const startedMs = Date.now() - mtimeMarginMs;
    await fsyncTree(this.#pgDataDir, this.#treeDurableBeforeMs);
    this.#treeDurableBeforeMs = startedMs;
  }
}
