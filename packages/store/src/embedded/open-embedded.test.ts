import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readDataDirLock } from './data-dir-lock.ts';
import { DataDirLockedError, DataDirUnusableError, EmbeddedDatabaseCorruptError } from './errors.ts';
import { openEmbeddedStore, type EmbeddedStore } from './open-embedded.ts';
import { killAllChildScripts, startChildScript } from './testing/child-script.ts';

let root: string;
/** A data directory holding a healthy database with table `intents`, copied by the corruption tests. */
let template: string;
const open: EmbeddedStore[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kp-open-'));
  template = join(root, 'template');
  const store = await openEmbeddedStore({ dataDir: template, role: 'owner', version: 'test' });
  await store.driver.exec('CREATE TABLE intents (id integer PRIMARY KEY, note text NOT NULL)');
  await store.driver.query("INSERT INTO intents (id, note) VALUES (1, 'template')");
  await store.close();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  await killAllChildScripts();
  for (const store of open.splice(0)) await store.close();
});

async function copyOfTemplate(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(template, dir, { recursive: true });
  return dir;
}

async function openError(dataDir: string): Promise<Error> {
  const result = await openEmbeddedStore({ dataDir, role: 'owner' }).then(
    (store) => {
      open.push(store);
      return new Error('opened');
    },
    (error: unknown) => error as Error,
  );
  return result;
}

describe('openEmbeddedStore', () => {
  it('as owner takes the lock, records its socket, serves the data and releases everything on close', async () => {
    const dataDir = await copyOfTemplate('owner');
    const store = await openEmbeddedStore({ dataDir, role: 'owner', version: '9.9.9' });
    expect(store.access).toBe('owner');
    expect(store.pgDataDir).toBe(join(dataDir, 'pg'));
    const lock = await readDataDirLock(dataDir);
    expect(lock).toMatchObject({
      pid: process.pid,
      socketPath: join(dataDir, '.s.PGSQL.5432'),
      version: '9.9.9',
    });
    expect((await stat(join(dataDir, '.s.PGSQL.5432'))).isSocket()).toBe(true);
    const { rows } = await store.driver.query<{ note: string }>('SELECT note FROM intents');
    expect(rows).toEqual([{ note: 'template' }]);
    await store.close();
    expect(await readDataDirLock(dataDir)).toBeNull();
    expect(await readdir(dataDir)).toEqual(['pg']);
  });

  it('creates a missing data directory with mode 0700', async () => {
    const dataDir = join(root, 'fresh', 'nested', 'data');
    const store = await openEmbeddedStore({ dataDir, role: 'owner' });
    open.push(store);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dataDir, 'pg', 'PG_VERSION'))).isFile()).toBe(true);
  });

  it('as client goes through the socket of a running owner in another process; a second owner is refused', async () => {
    const dataDir = await copyOfTemplate('shared');
    const owner = startChildScript('./open-store.ts', [dataDir, 'owner', '--stay']);
    await owner.waitForLine(/^OPENED owner$/);

    const client = startChildScript('./open-store.ts', [dataDir, 'client']);
    const second = startChildScript('./open-store.ts', [dataDir, 'owner']);
    const rows = await client.waitForLine(/^ROWS /);
    expect(client.lines).toContain('OPENED socket');
    expect(JSON.parse(rows.slice(5))).toEqual([1, client.pid]);
    expect(await client.exited).toBe(0);

    const failure = await second.waitForLine(/^FAILED /);
    expect(failure).toContain('DataDirLockedError');
    expect(failure).toContain(`pid ${owner.pid}`);
    expect(failure).toContain(dataDir);
    expect(await second.exited).toBe(1);

    const inProcess = await openError(dataDir);
    expect(inProcess).toBeInstanceOf(DataDirLockedError);
  });

  it('as client opens the files directly when no process holds the directory, and releases the lock on close', async () => {
    const dataDir = await copyOfTemplate('direct');
    const store = await openEmbeddedStore({ dataDir, role: 'client' });
    expect(store.access).toBe('direct');
    expect((await readDataDirLock(dataDir))?.socketPath).toBeNull();
    const { rows } = await store.driver.query<{ id: number }>('SELECT id FROM intents');
    expect(rows).toEqual([{ id: 1 }]);
    await store.close();
    expect(await readDataDirLock(dataDir)).toBeNull();
  });

  it('refuses a data dir path that is a file', async () => {
    const path = join(root, 'a-file');
    await writeFile(path, 'not a directory');
    const error = await openError(path);
    expect(error).toBeInstanceOf(DataDirUnusableError);
    expect(error.message).toBe(
      `embedded data directory ${path} cannot be used: the path exists but is a file, not a directory`,
    );
  });

  it('refuses a data dir that cannot be created', async () => {
    const error = await openError('/proc/kitepilot-test');
    expect(error).toBeInstanceOf(DataDirUnusableError);
    expect(error.message).toMatch(
      /^embedded data directory \/proc\/kitepilot-test cannot be used: cannot create it \(ENOENT/,
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses a data dir in which it cannot write', async () => {
    // /proc/self exists and is a directory, but nothing can be created in it, whoever runs the test.
    const error = await openError('/proc/self');
    expect(error).toBeInstanceOf(DataDirUnusableError);
    expect(error.message).toMatch(
      /^embedded data directory \/proc\/self cannot be used: cannot write its lock file/,
    );
  });

  it('reports a PG_VERSION overwritten with garbage as a corrupt database, with the postgres reason and cause', async () => {
    const dataDir = await copyOfTemplate('bad-version');
    await writeFile(join(dataDir, 'pg', 'PG_VERSION'), 'garbage\n');
    const error = await openError(dataDir);
    expect(error).toBeInstanceOf(EmbeddedDatabaseCorruptError);
    expect(error.message).toContain(
      `the embedded database at ${join(dataDir, 'pg')} could not be opened and is likely corrupt`,
    );
    expect(error.message).toContain('PG_VERSION');
    expect(error.cause).toBeInstanceOf(Error);
    expect(await readDataDirLock(dataDir)).toBeNull();
  });

  it('reports an overwritten control file as a corrupt database', async () => {
    const dataDir = await copyOfTemplate('bad-control');
    await writeFile(join(dataDir, 'pg', 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const error = await openError(dataDir);
    expect(error).toBeInstanceOf(EmbeddedDatabaseCorruptError);
    expect(error.message).toContain('likely corrupt');
  });

  it('reports overwritten catalog pages (pg_class) as a corrupt database', async () => {
    const dataDir = await copyOfTemplate('bad-catalog');
    const base = join(dataDir, 'pg', 'base');
    for (const db of await readdir(base)) {
      // 1259 is pg_class's file node in every database (initdb's fixed OID).
      await writeFile(join(base, db, '1259'), Buffer.alloc(8192, 0x5a)).catch(() => undefined);
    }
    const error = await openError(dataDir);
    expect(error).toBeInstanceOf(EmbeddedDatabaseCorruptError);
    expect(error.message).toContain('likely corrupt');
    expect(error.message).toMatch(/invalid page|checksum/);
  });

  it('refuses a pg folder that holds files but no PG_VERSION rather than running initdb over them', async () => {
    const dataDir = join(root, 'stray');
    await mkdir(join(dataDir, 'pg'), { recursive: true });
    await writeFile(join(dataDir, 'pg', 'notes.txt'), 'someone else’s file');
    const error = await openError(dataDir);
    expect(error).toBeInstanceOf(EmbeddedDatabaseCorruptError);
    expect(error.message).toContain('no PG_VERSION');
  });
});
