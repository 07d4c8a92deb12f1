import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PgliteDriver, migrate } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher } from './credential-cipher.ts';
import { KiteSessionStore, type StoredKiteSession } from './kite-session-store.ts';

let driver: PgliteDriver;
beforeAll(async () => {
  driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
});
afterAll(() => driver.close());

const session: StoredKiteSession = {
  apiKey: 'key',
  userId: 'AB1234',
  userName: 'A B',
  accessToken: 'secret-access-token',
  publicToken: 'pub',
  loginTimeMs: Date.UTC(2026, 10, 23, 3, 30),
  expiresAtMs: Date.UTC(2026, 10, 24, 0, 30),
};

describe('KiteSessionStore', () => {
  it('stores the session only encrypted and loads it back for the same account', async () => {
    const cipher = new CredentialCipher(randomBytes(32));
    const store = new KiteSessionStore(driver, cipher);
    await store.ensureAccount('acc_one', 'one');
    await store.save('acc_one', session);
    await store.save('acc_one', { ...session, accessToken: 'second-token' });
    const rows = await driver.query<{ credentials_ciphertext: Uint8Array; n: number }>(
      "SELECT credentials_ciphertext FROM broker_connections WHERE account_id = 'acc_one'",
    );
    expect(rows.rows).toHaveLength(1);
    expect(Buffer.from(rows.rows[0]!.credentials_ciphertext).includes(Buffer.from('second-token'))).toBe(
      false,
    );
    expect(await store.load('acc_one')).toEqual({ ...session, accessToken: 'second-token' });
    expect(await store.load('acc_none')).toBeNull();
  });

  it('names the master key mismatch when another key reads the row', async () => {
    const store = new KiteSessionStore(driver, new CredentialCipher(randomBytes(32)));
    await store.ensureAccount('acc_two', 'two');
    await store.save('acc_two', session);
    const other = new KiteSessionStore(driver, new CredentialCipher(randomBytes(32)));
    await expect(other.load('acc_two')).rejects.toThrow(/the master key does not match/);
  });

  it('does not decrypt a row copied to another account', async () => {
    const cipher = new CredentialCipher(randomBytes(32));
    const store = new KiteSessionStore(driver, cipher);
    await store.ensureAccount('acc_src', 'src');
    await store.ensureAccount('acc_dst', 'dst');
    await store.save('acc_src', session);
    await driver.query(
      `INSERT INTO broker_connections (account_id, broker, broker_user_id, credentials_ciphertext, credentials_nonce, credentials_key_id)
       SELECT 'acc_dst', broker, broker_user_id, credentials_ciphertext, credentials_nonce, credentials_key_id
         FROM broker_connections WHERE account_id = 'acc_src'`,
    );
    await expect(store.load('acc_dst')).rejects.toThrow(/do not authenticate/);
  });
});
