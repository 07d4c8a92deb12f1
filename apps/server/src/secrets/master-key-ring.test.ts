import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCipher, masterKeyId } from './credential-cipher.ts';
import {
  existingMasterKeyRing,
  loadMasterKeyRing,
  MasterKeyRing,
  pendingKeyPath,
  previousKeyPath,
} from './master-key-ring.ts';
import { readMasterKeyFile } from './master-key.ts';

const ctx = { accountId: 'acc_1', purpose: 'kite-session' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-ring-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeKey = (path: string, key: Buffer) =>
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600 });

describe('MasterKeyRing', () => {
  it('seals with the primary key and opens what any of its keys sealed', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const ring = new MasterKeyRing(a, [b, a]);
    expect(ring.keyId).toBe(masterKeyId(a));
    expect(ring.keyIds).toEqual([masterKeyId(a), masterKeyId(b)]);
    expect(ring.encrypt('x', ctx).keyId).toBe(masterKeyId(a));
    expect(ring.decryptText(new CredentialCipher(b).encrypt('from b', ctx), ctx)).toBe('from b');
    expect(ring.decryptText(ring.encrypt('from a', ctx), ctx)).toBe('from a');
  });

  it('names the key id it lacks and the ones it has', () => {
    const ring = new MasterKeyRing(randomBytes(32));
    const foreign = new CredentialCipher(randomBytes(32)).encrypt('s', ctx);
    expect(() => ring.decrypt(foreign, ctx)).toThrow(
      `the master key does not match the one the kite-session credentials of account acc_1 were encrypted with (key id ${foreign.keyId}; available ${ring.keyId})`,
    );
  });
});

describe('loadMasterKeyRing', () => {
  it('adds the .new and .old keys an interrupted rotation left beside the key file', () => {
    const path = join(dir, 'master.key');
    const [current, pending, previous] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    writeKey(path, current);
    writeKey(pendingKeyPath(path), pending);
    writeKey(previousKeyPath(path), previous);
    const { ring, source, created } = loadMasterKeyRing({ dataDir: dir, env: {} });
    expect({ source, created }).toEqual({ source: path, created: false });
    expect(ring.keyIds).toEqual([current, pending, previous].map(masterKeyId));
  });

  it('uses KITEPILOT_MASTER_KEY alone when it is set', () => {
    const path = join(dir, 'master.key');
    writeKey(path, randomBytes(32));
    const key = randomBytes(32);
    const { ring, source } = loadMasterKeyRing({
      dataDir: dir,
      env: { KITEPILOT_MASTER_KEY: key.toString('base64') },
    });
    expect(source).toBe('env');
    expect(ring.keyIds).toEqual([masterKeyId(key)]);
  });
});

describe('existingMasterKeyRing', () => {
  it('returns null without creating a key file when none exists', () => {
    expect(existingMasterKeyRing({ dataDir: dir, env: {} })).toBeNull();
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
    const key = randomBytes(32);
    writeKey(join(dir, 'master.key'), key);
    expect(existingMasterKeyRing({ dataDir: dir, env: {} })?.ring.keyId).toBe(masterKeyId(key));
  });
});

describe('readMasterKeyFile', () => {
  it('returns null for a missing file and refuses one that others can read', () => {
    const path = join(dir, 'k');
    expect(readMasterKeyFile(path)).toBeNull();
    writeKey(path, randomBytes(32));
    chmodSync(path, 0o640);
    expect(() => readMasterKeyFile(path)).toThrow(/has mode 640; group and others must have no access/);
  });
});
