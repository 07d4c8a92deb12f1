import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { announceSetupToken, createServerAuth } from './server-auth.ts';
import { createTestUser } from './testing.ts';

describe('createServerAuth and announceSetupToken', () => {
  let store: Store;
  const dir = mkdtempSync(join(tmpdir(), 'kp-server-auth-'));

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a setup token once while no user exists, and none after', async () => {
    const { config } = loadConfig({ env: { KITEPILOT_STORAGE_DATA_DIR: dir }, cwd: dir });
    const auth = createServerAuth({ store, clock: new TestClock(0), config, env: {} });
    expect(auth.defaultAccountId).toBe(config.trading.account);
    const out = new PassThrough();
    const token = await announceSetupToken(auth.service, 'http://127.0.0.1:8080', out);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = String(out.read());
    expect(text).toContain(`\n  ${token}\n`);
    expect(text).toContain('POST http://127.0.0.1:8080/api/auth/setup');
    // Reading no master key until TOTP needs one: nothing was created in the data directory.
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
    await createTestUser(auth.service, 'owner', []);
    expect(await announceSetupToken(auth.service, 'http://x', new PassThrough())).toBeNull();
  });

  it('seals TOTP secrets with the master key of the environment', () => {
    const { config } = loadConfig({ env: { KITEPILOT_STORAGE_DATA_DIR: dir }, cwd: dir });
    const key = randomBytes(32).toString('base64');
    const auth = createServerAuth({
      store,
      clock: new TestClock(0),
      config,
      env: { KITEPILOT_MASTER_KEY: key },
    });
    const sealed = auth.service.cipher().encrypt('JBSWY3DPEHPK3PXP', { accountId: 'usr_1', purpose: 'totp' });
    expect(auth.service.cipher().decryptText(sealed, { accountId: 'usr_1', purpose: 'totp' })).toBe(
      'JBSWY3DPEHPK3PXP',
    );
    expect(() => auth.service.cipher().decryptText(sealed, { accountId: 'usr_2', purpose: 'totp' })).toThrow(
      /do not authenticate/,
    );
  });
});
