import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readDataDirLock } from './data-dir-lock.ts';
import { localSocketConnection } from './local-socket-server.ts';
import { openEmbeddedStore } from './open-embedded.ts';
import { killAllChildScripts, startChildScript } from './testing/child-script.ts';

let root: string;
/** An initialised data directory with table `intents`, copied for each test so that no test pays for initdb. */
let template: string;
let dir: string;
let round = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kp-durable-'));
  template = join(root, 'template');
  const store = await openEmbeddedStore({ dataDir: template, role: 'owner' });
  await store.driver.exec('CREATE TABLE intents (id integer PRIMARY KEY, note text NOT NULL)');
  await store.close();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  round += 1;
  dir = join(root, `case-${round}`);
  await cp(template, dir, { recursive: true });
});

afterEach(async () => {
  await killAllChildScripts();
});

describe('openEmbeddedStore durability', () => {
  for (const mode of ['default', 'durable'] as const) {
    it(`keeps a row committed before kill -9 (${mode} mode) and takes over the dead owner's lock`, async () => {
      const child = startChildScript('./commit-row.ts', [dir, '42', mode]);
      await child.waitForLine(/^COMMITTED 42$/);
      child.kill();
      expect(await child.exited).toBe('SIGKILL');
      expect((await readDataDirLock(dir))?.pid).toBe(child.pid);

      const store = await openEmbeddedStore({ dataDir: dir, role: 'owner', durable: mode === 'durable' });
      try {
        expect((await readDataDirLock(dir))?.pid).toBe(process.pid);
        const { rows } = await store.driver.query<{ id: number; note: string }>(
          'SELECT id, note FROM intents',
        );
        expect(rows).toEqual([{ id: 42, note: 'committed before kill -9' }]);
        await store.driver.query("INSERT INTO intents (id, note) VALUES (43, 'after takeover')");
        expect((await store.driver.query('SELECT id FROM intents ORDER BY id')).rows).toEqual([
          { id: 42 },
          { id: 43 },
        ]);
      } finally {
        await store.close();
      }
    });
  }

  it('in durable mode serves socket clients and flushes their commits', async () => {
    const store = await openEmbeddedStore({ dataDir: dir, role: 'owner', durable: true });
    try {
      await store.driver.flushDurably();
      const client = new pg.Client({
        ...localSocketConnection(store.socketPath ?? ''),
        user: 'postgres',
        database: 'postgres',
      });
      await client.connect();
      await client.query('BEGIN');
      await client.query("INSERT INTO intents (id, note) VALUES (1, 'socket')");
      await client.query('COMMIT');
      await client.end();
      expect((await store.driver.query('SELECT note FROM intents')).rows).toEqual([{ note: 'socket' }]);
    } finally {
      await store.close();
    }
  });
});
