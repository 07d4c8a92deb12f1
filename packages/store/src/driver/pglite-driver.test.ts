import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncMutex } from './async-mutex.ts';
import { PgliteDriver } from './pglite-driver.ts';

describe('PgliteDriver', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  it('waits for a mutex held by another component before running a query', async () => {
    const mutex = new AsyncMutex();
    const driver = new PgliteDriver(db, { mutex, ownsDatabase: false });
    const release = await mutex.acquire();
    let done = false;
    const pending = driver.query<{ one: number }>('SELECT 1 AS one').then((r) => {
      done = true;
      return r;
    });
    // A round trip straight to PGlite (not through the mutex) completes while ours is still queued.
    await db.query('SELECT 1');
    expect(done).toBe(false);
    release();
    expect((await pending).rows).toEqual([{ one: 1 }]);
  });

  it('holds its mutex for the whole of a transaction and for exec', async () => {
    const driver = new PgliteDriver(db, { ownsDatabase: false });
    const seen = await driver.transaction(async (tx) => {
      await tx.query('SELECT 1');
      return driver.mutex.locked;
    });
    expect(seen).toBe(true);
    expect(driver.mutex.locked).toBe(false);
    const release = await driver.mutex.acquire();
    let executed = false;
    const pending = driver.exec('SELECT 1').then(() => {
      executed = true;
    });
    await db.query('SELECT 1');
    expect(executed).toBe(false);
    release();
    await pending;
    expect(executed).toBe(true);
  });

  it('leaves a database it does not own open on close', async () => {
    const driver = new PgliteDriver(db, { ownsDatabase: false });
    await driver.close();
    expect(db.closed).toBe(false);
  });
});
