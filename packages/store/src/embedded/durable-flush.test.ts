import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableFlusher } from './durable-flush.ts';

let dir: string;
let db: PGlite;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kp-flush-'));
  db = await PGlite.create(join(dir, 'pg'));
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('DurableFlusher', () => {
  it('fsyncs the whole tree first, then nothing while idle, the WAL after a commit, the tree after a checkpoint', async () => {
    const flusher = new DurableFlusher(db, join(dir, 'pg'));
    expect(await flusher.flush()).toBe('tree');
    expect(await flusher.flush()).toBe('none');
    await db.exec('CREATE TABLE intents (id integer PRIMARY KEY)');
    await db.query('INSERT INTO intents (id) VALUES (1)');
    expect(await flusher.flush()).toBe('wal');
    await db.query('SELECT count(*) FROM intents');
    expect(await flusher.flush()).toBe('none');
    await db.exec('CHECKPOINT');
    expect(await flusher.flush()).toBe('tree');
  });
});
