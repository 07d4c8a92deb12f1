import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KiteSessionStore,
  loadConfig,
  loadMasterKeyRing,
  masterKeyId,
  openConfiguredStore,
  type StoredKiteSession,
} from '@kitepilot/server';
import { createStore, migrate } from '@kitepilot/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKeysRotate } from './keys.ts';

const session: StoredKiteSession = {
  apiKey: 'key',
  userId: 'AB1234',
  userName: 'A B',
  accessToken: 'secret-access-token',
  publicToken: 'pub',
  loginTimeMs: Date.UTC(2026, 10, 23, 3, 30),
  expiresAtMs: Date.UTC(2026, 10, 24, 0, 30),
};

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-keys-'));
  env = { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runKeysRotate', () => {
  it('rotates to the given key, keeps the session readable, prints key ids only and audits the rotation', async () => {
    const { config } = loadConfig({ env });
    const keyOptions = { dataDir: config.storage.dataDir, env };
    const opened = await openConfiguredStore(config, 'client');
    try {
      await migrate(opened.driver);
      const sessions = new KiteSessionStore(opened.driver, loadMasterKeyRing(keyOptions).ring);
      await sessions.ensureAccount('acc_default', 'default');
      await sessions.save('acc_default', session);
    } finally {
      await opened.close();
    }
    const oldKey = readFileSync(join(dir, 'data', 'master.key'), 'utf8').trim();
    const newKey = randomBytes(32);
    const newKeyFile = join(dir, 'new.key');
    writeFileSync(newKeyFile, newKey.toString('base64'), { mode: 0o600 });
    let out = '';
    const result = await runKeysRotate({ newKeyFile }, { env, write: (text) => (out += text) });
    expect(result).toMatchObject({ mode: 'rotated', toKeyId: masterKeyId(newKey), rows: 1 });
    expect(out).toContain(`→ ${masterKeyId(newKey)}`);
    expect(out).toContain('Re-encrypted broker_connections.credentials 1, users.totp 0 (of 1 sealed rows)');
    expect(out).not.toContain(newKey.toString('base64'));
    expect(out).not.toContain(oldKey);
    expect(readFileSync(join(dir, 'data', 'master.key'), 'utf8').trim()).toBe(newKey.toString('base64'));
    expect(existsSync(join(dir, 'data', 'master.key.old'))).toBe(false);

    const reopened = await openConfiguredStore(config, 'client');
    try {
      const ring = loadMasterKeyRing(keyOptions).ring;
      expect(await new KiteSessionStore(reopened.driver, ring).load('acc_default')).toEqual(session);
      const audit = await createStore(reopened.driver).audit.read(0, 100);
      expect(audit.find((e) => e.kind === 'secrets.master-key-rotated')).toMatchObject({
        actor: 'cli',
        payload: { toKeyId: masterKeyId(newKey), fromKeyIds: [masterKeyId(Buffer.from(oldKey, 'base64'))] },
      });
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('refuses a missing --new-key-file, and a key from KITEPILOT_MASTER_KEY without one', async () => {
    const io = { env, write: () => undefined };
    await expect(runKeysRotate({ newKeyFile: join(dir, 'absent.key') }, io)).rejects.toThrow(
      /--new-key-file .*absent\.key does not exist/,
    );
    await expect(
      runKeysRotate({}, { ...io, env: { ...env, KITEPILOT_MASTER_KEY: randomBytes(32).toString('base64') } }),
    ).rejects.toThrow(/the master key comes from KITEPILOT_MASTER_KEY: pass --new-key-file/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
