import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { loadConfig } from '../config/load-config.ts';
import { CredentialCipher } from './credential-cipher.ts';
import { KiteSessionStore } from './kite-session-store.ts';
import { KiteSessionUnavailableError, loadStoredKiteSession } from './stored-kite-session.ts';

describe('loadStoredKiteSession', () => {
  const clock = new TestClock(Date.UTC(2026, 10, 23, 4, 0));
  const key = randomBytes(32);
  const env = { KITEPILOT_MASTER_KEY: key.toString('base64') };
  const config = loadConfig({ env: {}, cwd: '/' }).config;
  let store: Store;
  let sessions: KiteSessionStore;

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    sessions = new KiteSessionStore(driver, new CredentialCipher(key));
  });
  afterAll(() => store.close());

  async function save(accountId: string, userId: string, expiresAtMs: number) {
    await sessions.ensureAccount(accountId, `Kite ${userId}`);
    await sessions.save(accountId, {
      apiKey: 'key',
      userId,
      userName: 'Trader',
      accessToken: 'token-value',
      publicToken: 'public',
      loginTimeMs: clock.now(),
      expiresAtMs,
    });
  }

  it('returns a valid session of a real Kite user', async () => {
    await save('acc_real', 'AB1234', clock.now() + 3_600_000);
    const session = await loadStoredKiteSession({
      config,
      sql: store.driver,
      clock,
      accountId: 'acc_real',
      env,
    });
    expect(session).toMatchObject({ userId: 'AB1234', accessToken: 'token-value' });
  });

  it('refuses the simulator session for real market data', async () => {
    await save('acc_sim', 'SIM001', clock.now() + 3_600_000);
    const load = loadStoredKiteSession({ config, sql: store.driver, clock, accountId: 'acc_sim', env });
    await expect(load).rejects.toBeInstanceOf(KiteSessionUnavailableError);
    await expect(load).rejects.toThrow('belongs to the Kite simulator (user SIM001)');
  });

  it('returns the simulator session flagged simulated only when asked to, and real sessions unflagged', async () => {
    await save('acc_sim2', 'SIM001', clock.now() + 3_600_000);
    const base = { config, sql: store.driver, clock, env, allowSimulator: true };
    const sim = await loadStoredKiteSession({ ...base, accountId: 'acc_sim2' });
    expect(sim).toMatchObject({ userId: 'SIM001', simulated: true });
    await save('acc_real2', 'AB1234', clock.now() + 3_600_000);
    expect(await loadStoredKiteSession({ ...base, accountId: 'acc_real2' })).toMatchObject({
      userId: 'AB1234',
      simulated: false,
    });
    const refused = loadStoredKiteSession({ ...base, allowSimulator: false, accountId: 'acc_sim2' });
    await expect(refused).rejects.toThrow('belongs to the Kite simulator');
  });

  it('refuses an expired simulator session even when simulator sessions are allowed', async () => {
    await save('acc_sim3', 'SIM001', clock.now() - 1);
    const load = loadStoredKiteSession({
      config,
      sql: store.driver,
      clock,
      accountId: 'acc_sim3',
      env,
      allowSimulator: true,
    });
    await expect(load).rejects.toThrow(/expired at/);
  });

  it('refuses an expired session and a missing one', async () => {
    await save('acc_old', 'CD5678', clock.now() - 1);
    await expect(
      loadStoredKiteSession({ config, sql: store.driver, clock, accountId: 'acc_old', env }),
    ).rejects.toThrow('run `kitepilot kite login` again');
    await expect(
      loadStoredKiteSession({ config, sql: store.driver, clock, accountId: 'acc_none', env }),
    ).rejects.toThrow('no Kite session is stored for acc_none');
  });
});
