import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

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
 * control file never reaches the disk before the pages its checkpoint describes.
 */
export async function fsyncTree(root: string): Promise<void> {
  const dirs: string[] = [];
  let controlFile: string | null = null;
  const walk = async (dir: string): Promise<void> => {
    dirs.push(dir);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        if (path === join(root, 'global', 'pg_control')) controlFile = path;
        else await fsyncPath(path);
      }
    }
  };
  await walk(root);
  for (const dir of dirs.reverse()) await fsyncPath(dir);
  if (controlFile !== null) await fsyncPath(controlFile);
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
    if (scope === 'tree') await fsyncTree(this.#pgDataDir);
    else await fsyncWal(this.#pgDataDir);
    this.#flushedWalLsn = row.wal;
    this.#flushedCheckpointLsn = row.checkpoint;
    return scope;
  }
}
