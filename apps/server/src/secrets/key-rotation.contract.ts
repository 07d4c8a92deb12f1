// The key rotation suite, run on PGlite and on PostgreSQL: a crash is simulated by throwing from onStep after each
// step (inside the transaction for `re-encrypting`); after every crash the keys on disk must open every row, and a
// second run must finish the rotation.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlDriver } from '@kitepilot/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCipher, masterKeyId } from './credential-cipher.ts';
import { rotateMasterKey, type RotationStep } from './key-rotation.ts';
import { KiteSessionStore, type StoredKiteSession } from './kite-session-store.ts';
import { existingMasterKeyRing, pendingKeyPath, previousKeyPath } from './master-key-ring.ts';
import { loadMasterKey } from './master-key.ts';

const ACCOUNTS = ['acc_rota', 'acc_rotb'] as const;
const USER = 'usr_rot1';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

function session(userId: string): StoredKiteSession {
  return {
    apiKey: 'key',
    userId,
    userName: `User ${userId}`,
    accessToken: `token-of-${userId}`,
    publicToken: 'pub',
    loginTimeMs: Date.UTC(2026, 10, 23, 3, 30),
    expiresAtMs: Date.UTC(2026, 10, 24, 0, 30),
  };
}

/** Registers the key rotation tests over the driver `driver()` returns (a migrated, otherwise empty schema). */
export function keyRotationContract(driver: () => SqlDriver): void {
  let dir: string;
  let keyFile: string;

  const ringOnDisk = () => {
    const loaded = existingMasterKeyRing({ dataDir: dir, env: {} });
    if (loaded === null) throw new Error('no key on disk');
    return loaded.ring;
  };
  // The key ids of the two Kite sessions, then of the TOTP secret.
  const rowKeyIds = async () =>
    (
      await driver().query<{ key_id: string }>(
        `SELECT key_id FROM (SELECT 1 AS t, id::text AS id, credentials_key_id AS key_id FROM broker_connections
                             UNION ALL SELECT 2, id, totp_key_id FROM users WHERE id = '${USER}') r
          ORDER BY t, id`,
      )
    ).rows.map((r) => r.key_id);
  const expectAllOpen = async () => {
    const store = new KiteSessionStore(driver(), ringOnDisk());
    for (const [i, account] of ACCOUNTS.entries()) {
      expect(await store.load(account)).toEqual(session(`AB00${i}`));
    }
    const totp = (
      await driver().query<{ c: Uint8Array; n: Uint8Array; k: string }>(
        'SELECT totp_ciphertext AS c, totp_nonce AS n, totp_key_id AS k FROM users WHERE id = $1',
        [USER],
      )
    ).rows[0];
    expect(
      ringOnDisk().decryptText(
        { ciphertext: totp?.c ?? new Uint8Array(), nonce: totp?.n ?? new Uint8Array(), keyId: totp?.k ?? '' },
        { accountId: USER, purpose: 'totp' },
      ),
    ).toBe(TOTP_SECRET);
  };
  const keyFileId = () => masterKeyId(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-rotate-'));
    keyFile = join(dir, 'master.key');
    const { key } = loadMasterKey({ dataDir: dir, env: {} });
    await driver().query('DELETE FROM broker_connections');
    await driver().query('DELETE FROM users');
    const cipher = new CredentialCipher(key);
    const totp = cipher.encrypt(TOTP_SECRET, { accountId: USER, purpose: 'totp' });
    await driver().query(
      `INSERT INTO users (id, email, display_name, role, totp_ciphertext, totp_nonce, totp_key_id)
       VALUES ($1, 'rotation@example.in', 'Rotation', 'owner', $2, $3, $4)`,
      [USER, totp.ciphertext, totp.nonce, totp.keyId],
    );
    const store = new KiteSessionStore(driver(), cipher);
    for (const [i, account] of ACCOUNTS.entries()) {
      await store.ensureAccount(account, account);
      await store.save(account, session(`AB00${i}`));
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('rotateMasterKey', () => {
    it('re-encrypts every row under a new key, replaces the key file and leaves no other key behind', async () => {
      const oldId = keyFileId();
      const before = (
        await driver().query<{ credentials_ciphertext: Uint8Array }>(
          'SELECT credentials_ciphertext FROM broker_connections ORDER BY id',
        )
      ).rows;
      const steps: RotationStep[] = [];
      const result = await rotateMasterKey({
        driver: driver(),
        source: { kind: 'file', path: keyFile },
        onStep: (s) => void steps.push(s),
      });
      expect(result).toMatchObject({
        mode: 'rotated',
        fromKeyIds: [oldId],
        rows: 3,
        reencrypted: { 'broker_connections.credentials': 2, 'users.totp': 1 },
      });
      expect(steps).toEqual([
        'checked',
        'old-key-kept',
        'new-key-staged',
        're-encrypting',
        're-encrypted',
        'key-promoted',
        'swept',
        'old-key-removed',
      ]);
      expect(keyFileId()).toBe(result.toKeyId);
      expect(result.toKeyId).not.toBe(oldId);
      expect(await rowKeyIds()).toEqual([result.toKeyId, result.toKeyId, result.toKeyId]);
      expect(existsSync(pendingKeyPath(keyFile)) || existsSync(previousKeyPath(keyFile))).toBe(false);
      await expectAllOpen();
      const after = (
        await driver().query<{ credentials_ciphertext: Uint8Array }>(
          'SELECT credentials_ciphertext FROM broker_connections ORDER BY id',
        )
      ).rows;
      const hex = (rows: { credentials_ciphertext: Uint8Array }[]) =>
        rows.map((r) => Buffer.from(r.credentials_ciphertext).toString('hex'));
      expect(hex(after)).toHaveLength(2);
      expect(hex(after).filter((h) => hex(before).includes(h))).toEqual([]);
    });

    it('takes the new key it is given and refuses the current key as the new one', async () => {
      const newKey = randomBytes(32);
      const result = await rotateMasterKey({
        driver: driver(),
        source: { kind: 'file', path: keyFile },
        newKey,
      });
      expect(result.toKeyId).toBe(masterKeyId(newKey));
      expect(readFileSync(keyFile, 'utf8').trim()).toBe(newKey.toString('base64'));
      await expect(
        rotateMasterKey({ driver: driver(), source: { kind: 'file', path: keyFile }, newKey }),
      ).rejects.toThrow(/the new key is the current master key/);
      await expect(
        rotateMasterKey({
          driver: driver(),
          source: { kind: 'file', path: keyFile },
          newKey: randomBytes(16),
        }),
      ).rejects.toThrow(/the new key is 16 bytes; a master key is exactly 32/);
    });

    const crashes: [RotationStep, 'rotated' | 'resumed' | 'finished'][] = [
      ['checked', 'rotated'],
      ['old-key-kept', 'rotated'],
      ['new-key-staged', 'resumed'],
      ['re-encrypting', 'resumed'],
      ['re-encrypted', 'resumed'],
      ['key-promoted', 'finished'],
      ['swept', 'finished'],
      ['old-key-removed', 'rotated'],
    ];
    for (const [crashAt, nextMode] of crashes) {
      it(`leaves every row readable with the keys on disk after a crash at ${crashAt}, and a rerun finishes`, async () => {
        const oldId = keyFileId();
        await expect(
          rotateMasterKey({
            driver: driver(),
            source: { kind: 'file', path: keyFile },
            onStep: (s) => {
              if (s === crashAt) throw new Error(`simulated crash at ${s}`);
            },
          }),
        ).rejects.toThrow(`simulated crash at ${crashAt}`);
        await expectAllOpen();
        if (crashAt === 're-encrypting') expect(await rowKeyIds()).toEqual([oldId, oldId, oldId]);
        const again = await rotateMasterKey({ driver: driver(), source: { kind: 'file', path: keyFile } });
        expect(again.mode).toBe(nextMode);
        expect(keyFileId()).toBe(again.toKeyId);
        expect(await rowKeyIds()).toEqual([again.toKeyId, again.toKeyId, again.toKeyId]);
        expect(existsSync(pendingKeyPath(keyFile)) || existsSync(previousKeyPath(keyFile))).toBe(false);
        await expectAllOpen();
      });
    }

    it('refuses a key file that does not open the rows and changes nothing', async () => {
      const before = await rowKeyIds();
      writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      await expect(
        rotateMasterKey({ driver: driver(), source: { kind: 'file', path: keyFile } }),
      ).rejects.toThrow(
        /refusing to rotate: broker_connections.credentials row \d+ does not open with the master keys on disk \(the master key does not match.*nothing was changed/,
      );
      expect(existsSync(pendingKeyPath(keyFile)) || existsSync(previousKeyPath(keyFile))).toBe(false);
      expect(await rowKeyIds()).toEqual(before);
    });

    it('refuses a tampered ciphertext before changing anything', async () => {
      await driver().query(
        `UPDATE broker_connections SET credentials_ciphertext = set_byte(credentials_ciphertext, 0,
           get_byte(credentials_ciphertext, 0) # 1) WHERE account_id = $1`,
        [ACCOUNTS[1]],
      );
      const keyBefore = readFileSync(keyFile, 'utf8');
      await expect(
        rotateMasterKey({ driver: driver(), source: { kind: 'file', path: keyFile } }),
      ).rejects.toThrow(/refusing to rotate: .*do not authenticate/);
      expect(readFileSync(keyFile, 'utf8')).toBe(keyBefore);
      expect(existsSync(previousKeyPath(keyFile))).toBe(false);
    });

    it('re-encrypts a row another process sealed with the old key while the rotation ran', async () => {
      const oldKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
      const result = await rotateMasterKey({
        driver: driver(),
        source: { kind: 'file', path: keyFile },
        // A server that loaded the old key before the promotion saves a login right after it.
        onStep: (s) =>
          s === 'key-promoted'
            ? new KiteSessionStore(driver(), new CredentialCipher(oldKey)).save(ACCOUNTS[0], session('AB000'))
            : undefined,
      });
      expect(await rowKeyIds()).toEqual([result.toKeyId, result.toKeyId, result.toKeyId]);
      expect(existsSync(previousKeyPath(keyFile))).toBe(false);
      await expectAllOpen();
    });

    it('refuses a different new key while an interrupted rotation is pending', async () => {
      await expect(
        rotateMasterKey({
          driver: driver(),
          source: { kind: 'file', path: keyFile },
          onStep: (s) => {
            if (s === 'new-key-staged') throw new Error('crash');
          },
        }),
      ).rejects.toThrow('crash');
      await expect(
        rotateMasterKey({
          driver: driver(),
          source: { kind: 'file', path: keyFile },
          newKey: randomBytes(32),
        }),
      ).rejects.toThrow(/an interrupted rotation to key id [0-9a-f]{16} is pending/);
    });

    it('with the key in KITEPILOT_MASTER_KEY needs the new key and re-encrypts the rows without writing files', async () => {
      const envKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
      rmSync(keyFile);
      await expect(
        rotateMasterKey({ driver: driver(), source: { kind: 'env', key: envKey } }),
      ).rejects.toThrow(/the master key comes from KITEPILOT_MASTER_KEY: pass --new-key-file/);
      const newKey = randomBytes(32);
      const result = await rotateMasterKey({
        driver: driver(),
        source: { kind: 'env', key: envKey },
        newKey,
      });
      expect(result.toKeyId).toBe(masterKeyId(newKey));
      expect(await rowKeyIds()).toEqual([result.toKeyId, result.toKeyId, result.toKeyId]);
      expect(existsSync(keyFile)).toBe(false);
      const store = new KiteSessionStore(driver(), new CredentialCipher(newKey));
      expect(await store.load(ACCOUNTS[1])).toEqual(session('AB001'));
    });
  });
}
