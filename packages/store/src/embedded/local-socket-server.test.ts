import { stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PgliteDriver } from '../driver/pglite-driver.ts';
import { LocalSocketServer, localSocketConnection, localSocketPath } from './local-socket-server.ts';
import { killAllChildScripts, startChildScript } from './testing/child-script.ts';

let dir: string;
let db: PGlite;
let driver: PgliteDriver;
let server: LocalSocketServer;
const clients: pg.Client[] = [];
const errors: Error[] = [];

beforeAll(async () => {
  db = await PGlite.create();
  driver = new PgliteDriver(db);
});

afterAll(async () => {
  await driver.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kp-sock-'));
  await driver.exec(
    'DROP TABLE IF EXISTS intents; CREATE TABLE intents (id integer PRIMARY KEY, note text NOT NULL)',
  );
  server = new LocalSocketServer({
    db,
    mutex: driver.mutex,
    socketPath: localSocketPath(dir),
    onError: (error) => errors.push(error),
  });
  await server.start();
});

afterEach(async () => {
  await killAllChildScripts();
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  expect(errors).toEqual([]);
  expect(db.isInTransaction()).toBe(false);
});

async function socketClient(): Promise<pg.Client> {
  const client = new pg.Client({
    ...localSocketConnection(server.socketPath),
    user: 'postgres',
    database: 'postgres',
  });
  clients.push(client);
  await client.connect();
  return client;
}

async function ids(): Promise<number[]> {
  const { rows } = await driver.query<{ id: number }>('SELECT id FROM intents ORDER BY id');
  return rows.map((row) => row.id);
}

/** Returns a PostgreSQL protocol message: type byte, int32 length, body. */
function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const cstr = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf8');
const int16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);

describe('LocalSocketServer', () => {
  it('serves reads and writes to a pg client on a 0600 unix socket inside the data dir', async () => {
    expect(server.socketPath).toBe(join(dir, '.s.PGSQL.5432'));
    expect((await stat(server.socketPath)).mode & 0o777).toBe(0o600);
    const client = await socketClient();
    await client.query('INSERT INTO intents (id, note) VALUES ($1, $2)', [1, 'via socket']);
    await driver.query('INSERT INTO intents (id, note) VALUES ($1, $2)', [2, 'in process']);
    const { rows } = await client.query<{ id: number; note: string }>(
      'SELECT id, note FROM intents ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, note: 'via socket' },
      { id: 2, note: 'in process' },
    ]);
  });

  it("keeps the owner's insert out of a client's open transaction until COMMIT", async () => {
    const client = await socketClient();
    await client.query('BEGIN');
    await client.query("INSERT INTO intents (id, note) VALUES (1, 'client')");
    let ownerDone = false;
    const ownerInsert = driver.query("INSERT INTO intents (id, note) VALUES (2, 'owner')").then(() => {
      ownerDone = true;
    });
    // A round trip inside the transaction: had the owner's insert run in between, this session would see it.
    const inside = await client.query<{ id: number }>('SELECT id FROM intents ORDER BY id');
    expect(inside.rows.map((row) => row.id)).toEqual([1]);
    expect(ownerDone).toBe(false);
    expect(driver.mutex.locked).toBe(true);
    await client.query('COMMIT');
    await ownerInsert;
    expect(await ids()).toEqual([1, 2]);
  });

  it("applies the owner's waiting insert after the client's ROLLBACK, and only that", async () => {
    const client = await socketClient();
    await client.query('BEGIN');
    await client.query("INSERT INTO intents (id, note) VALUES (1, 'client')");
    const ownerInsert = driver.query("INSERT INTO intents (id, note) VALUES (2, 'owner')");
    await client.query('ROLLBACK');
    await ownerInsert;
    expect(await ids()).toEqual([2]);
  });

  it('serialises two socket clients: the second waits for the first one’s transaction', async () => {
    const first = await socketClient();
    const second = await socketClient();
    await first.query('BEGIN');
    await first.query("INSERT INTO intents (id, note) VALUES (1, 'first')");
    let secondSaw: number[] | null = null;
    const secondRead = second.query<{ id: number }>('SELECT id FROM intents ORDER BY id').then((r) => {
      secondSaw = r.rows.map((row) => row.id);
    });
    await first.query("INSERT INTO intents (id, note) VALUES (3, 'first')");
    expect(secondSaw).toBeNull();
    await first.query('COMMIT');
    await secondRead;
    expect(secondSaw).toEqual([1, 3]);
  });

  it('rolls back a client killed in the middle of a transaction and frees the database', async () => {
    const child = startChildScript('./socket-transaction.ts', [server.socketPath, '7']);
    await child.waitForLine(/^IN-TRANSACTION$/);
    expect(driver.mutex.locked).toBe(true);
    child.kill();
    await child.exited;
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    expect(db.isInTransaction()).toBe(false);
    await driver.query("INSERT INTO intents (id, note) VALUES (8, 'owner after kill')");
    expect(await ids()).toEqual([8]);
  });

  it('does not commit an extended-protocol INSERT whose client vanished before Sync', async () => {
    const socket = connect(server.socketPath);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const startupBody = Buffer.concat([
      Buffer.from([0, 3, 0, 0]),
      cstr('user'),
      cstr('postgres'),
      cstr('database'),
      cstr('postgres'),
      Buffer.from([0]),
    ]);
    const startup = Buffer.alloc(4);
    startup.writeInt32BE(startupBody.length + 4, 0);
    socket.write(Buffer.concat([startup, startupBody]));
    socket.write(
      Buffer.concat([
        message('P', cstr(''), cstr("INSERT INTO intents (id, note) VALUES (77, 'unsynced')"), int16(0)),
        message('B', cstr(''), cstr(''), int16(0), int16(0), int16(0)),
        message('E', cstr(''), Buffer.from([0, 0, 0, 0])),
      ]),
    );
    await vi.waitFor(() => expect(Buffer.concat(received).includes('INSERT 0 1')).toBe(true));
    expect(driver.mutex.locked).toBe(true);
    socket.destroy();
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    expect(await ids()).toEqual([]);
  });

  it('drops a client that sends a message length below the header size and keeps serving others', async () => {
    const socket = connect(server.socketPath);
    // Read the replies, or the socket never sees the end of the stream and never emits 'close'.
    socket.resume();
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const startupBody = Buffer.concat([
      Buffer.from([0, 3, 0, 0]),
      cstr('user'),
      cstr('postgres'),
      Buffer.from([0]),
    ]);
    const startup = Buffer.alloc(4);
    startup.writeInt32BE(startupBody.length + 4, 0);
    socket.write(Buffer.concat([startup, startupBody, Buffer.from([0x51, 0, 0, 0, 0])]));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    const client = await socketClient();
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rolls back the open transactions of connected clients when it stops', async () => {
    const client = await socketClient();
    client.on('error', () => undefined);
    await client.query('BEGIN');
    await client.query("INSERT INTO intents (id, note) VALUES (5, 'open at stop')");
    await server.stop();
    expect(db.isInTransaction()).toBe(false);
    expect(driver.mutex.locked).toBe(false);
    expect(await ids()).toEqual([]);
  });
});

describe('localSocketPath', () => {
  it('falls back to a hashed directory in the temp dir when the data dir path is too long for sun_path', () => {
    const longDir = join(tmpdir(), 'x'.repeat(120));
    const path = localSocketPath(longDir);
    expect(path).toMatch(/\/kitepilot-[0-9a-f]{16}\/\.s\.PGSQL\.5432$/);
    expect(Buffer.byteLength(path)).toBeLessThanOrEqual(107);
    expect(localSocketPath(longDir)).toBe(path);
  });
});
