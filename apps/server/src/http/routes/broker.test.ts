import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerStatusResponse, KiteLoginResponse } from '@kitepilot/api-contract';
import { istToEpochMs, TestClock } from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { loadConfig } from '../../config/load-config.ts';
import { KiteSessionStore } from '../../secrets/kite-session-store.ts';
import { existingMasterKeyRing } from '../../secrets/master-key-ring.ts';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import { BROKER_STATUS_PATH, KITE_CALLBACK_PATH, KITE_LOGIN_PATH, registerBrokerRoutes } from './broker.ts';

const NOW = istToEpochMs('2026-11-23', '08:45');

describe('broker routes', () => {
  let sim: KiteSim;
  let dir: string;
  let t: ApiTestApp;

  beforeAll(async () => {
    sim = await startKiteSim({
      clock: new TestClock(NOW),
      redirectUrl: `http://127.0.0.1:9${KITE_CALLBACK_PATH}`,
      enforceRateLimits: false,
    });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-broker-'));
    const config = loadConfig({
      env: {
        KITEPILOT_KITE_API_KEY: sim.apiKey,
        KITEPILOT_KITE_API_SECRET: sim.apiSecret,
        KITEPILOT_KITE_LOGIN_URL: `${sim.restUrl}/connect/login`,
        KITEPILOT_KITE_REST_URL: sim.restUrl,
        KITEPILOT_STORAGE_DATA_DIR: dir,
      },
      cwd: dir,
    }).config;
    t = await apiTestApp((app, ctx) => registerBrokerRoutes(app, ctx, { env: {} }), { config, now: NOW });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });
  const sessions = () => {
    const loaded = existingMasterKeyRing({ dataDir: dir, env: {} });
    if (loaded === null) throw new Error('no master key was created');
    return new KiteSessionStore(t.store.driver, loaded.ring);
  };
  const connectionRows = async () =>
    (await t.store.driver.query('SELECT account_id FROM broker_connections')).rows.length;
  const loginAuditEvents = async () =>
    (await t.store.audit.read(0, 100)).filter((e) => e.kind === 'broker.login');

  /** Starts a login as the operator and follows it through the simulated Kite page; returns the callback URL. */
  const kiteRedirect = async (account = 'acc_other'): Promise<string> => {
    const started = await get(`${KITE_LOGIN_PATH}?account=${account}`, t.as('operator'));
    expect(started.statusCode).toBe(200);
    const { loginUrl } = started.json<KiteLoginResponse>();
    const kite = await fetch(loginUrl, { redirect: 'manual' });
    expect(kite.status).toBe(302);
    const location = new URL(kite.headers.get('location') ?? '');
    return `${location.pathname}${location.search}`;
  };

  it('gives an operator the Kite login URL with a one-time state, or a 302 to it; refuses a readonly caller', async () => {
    expect((await get(`${KITE_LOGIN_PATH}?account=acc_other`, t.as('readonly'))).statusCode).toBe(403);
    expect((await get(`${KITE_LOGIN_PATH}?account=acc_other`)).statusCode).toBe(401);
    const reply = await get(`${KITE_LOGIN_PATH}?account=acc_other`, t.as('operator'));
    const body = reply.json<KiteLoginResponse>();
    expect(body).toMatchObject({
      accountId: 'acc_other',
      broker: 'zerodha',
      stateExpiresAt: new Date(NOW + 600_000).toISOString(),
    });
    const url = new URL(body.loginUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${sim.restUrl}/connect/login`);
    expect(url.searchParams.get('api_key')).toBe(sim.apiKey);
    const state = new URLSearchParams(url.searchParams.get('redirect_params') ?? '').get('state') ?? '';
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body.loginUrl).not.toContain(sim.apiSecret);
    const redirect = await get(`${KITE_LOGIN_PATH}?account=acc_other&redirect=1`, t.as('operator'));
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toMatch(/redirect_params=state%3D[A-Za-z0-9_-]{32}$/);
  });

  it('completes a login: stores the session encrypted for the account, audits it without secrets, redirects to /', async () => {
    const callback = await kiteRedirect();
    expect(callback).toMatch(/request_token=\w+.*status=success.*state=/);
    // The browser arrives from Kite without credentials: the state is the credential.
    const done = await get(callback);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/?broker=kite&login=ok&account=acc_other');
    const session = await sessions().load('acc_other');
    expect(session).toMatchObject({
      userId: 'SIM001',
      loginTimeMs: NOW,
      expiresAtMs: istToEpochMs('2026-11-24', '06:00'),
    });
    const raw = await t.store.driver.query<{ c: Uint8Array }>(
      'SELECT credentials_ciphertext AS c FROM broker_connections',
    );
    expect(Buffer.from(raw.rows[0]?.c ?? []).includes(Buffer.from(session?.accessToken ?? 'x'))).toBe(false);
    const [event, ...more] = await loginAuditEvents();
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      accountId: 'acc_other',
      payload: { broker: 'zerodha', brokerUserId: 'SIM001', expiresAtIst: '2026-11-24T06:00:00.000+05:30' },
    });
    expect(event?.actor).toMatch(/^usr_/);
    const text = JSON.stringify(event);
    for (const secret of [session?.accessToken, sim.apiSecret, session?.publicToken]) {
      expect(text).not.toContain(secret);
    }

    const status = await get(`${BROKER_STATUS_PATH}?account=acc_other`, t.as('readonly'));
    expect(status.statusCode).toBe(200);
    expect(status.json<BrokerStatusResponse>().connections).toEqual([
      expect.objectContaining({
        state: 'connected',
        current: true,
        userId: 'SIM001',
        loginAtIst: '2026-11-23T08:45:00.000+05:30',
        expiresAt: new Date(istToEpochMs('2026-11-24', '06:00')).toISOString(),
        expiresInSeconds: (istToEpochMs('2026-11-24', '06:00') - NOW) / 1000,
        simulated: true,
        problem: null,
        loginPath: `${KITE_LOGIN_PATH}?account=acc_other`,
      }),
    ]);
  });

  it('refuses a replayed, unknown or missing state and stores nothing', async () => {
    const callback = await kiteRedirect();
    expect((await get(callback)).statusCode).toBe(302);
    const again = await get(callback);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/unknown or was already used/) as string,
      },
    });
    const page = await get(callback.replace(/state=[^&]+/, 'state=forged'), { accept: 'text/html' });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Kite login failed');
    expect(page.body).toContain('start the login again');
    const none = await get(callback.replace(/&?state=[^&]+/, ''));
    expect(none.json()).toMatchObject({
      error: { message: expect.stringMatching(/carries no state/) as string },
    });
    expect(await connectionRows()).toBe(1);
    expect(await loginAuditEvents()).toHaveLength(1);
  });

  it('refuses a state older than 10 minutes and stores nothing', async () => {
    const callback = await kiteRedirect();
    t.clock.advanceBy(600_000);
    const reply = await get(callback);
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({
      error: { message: expect.stringMatching(/state expired/) as string },
    });
    expect(await connectionRows()).toBe(0);
    expect(await loginAuditEvents()).toEqual([]);
  });

  it('answers a login Kite did not confirm, or a failed token exchange, with an error and stores nothing', async () => {
    const cancelled = await get((await kiteRedirect()).replace('status=success', 'status=cancelled'));
    expect(cancelled.statusCode).toBe(400);
    expect(cancelled.json()).toMatchObject({
      error: { message: expect.stringMatching(/as cancelled, not success/) as string },
    });
    const forged = await get(
      (await kiteRedirect()).replace(/request_token=\w+/, 'request_token=notatoken123'),
    );
    expect(forged.statusCode).toBe(503);
    expect(forged.json()).toMatchObject({
      error: {
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^the Kite token exchange failed: .*nothing was stored$/) as string,
      },
    });
    expect(await connectionRows()).toBe(0);
    expect(await loginAuditEvents()).toEqual([]);
  });

  it('reports missing, expiring and expired sessions, and one the master key does not open', async () => {
    const missing = (await get(BROKER_STATUS_PATH, t.as('readonly'))).json<BrokerStatusResponse>();
    expect(missing).toMatchObject({ accountId: 'acc_default', expiringWithinSeconds: 3600 });
    expect(missing.connections).toEqual([
      expect.objectContaining({ state: 'missing', userId: null, expiresAt: null, problem: null }),
    ]);
    expect((await get(await kiteRedirect('acc_default'))).statusCode).toBe(302);
    const stateAt = async (at: string) => {
      t.clock.advanceTo(istToEpochMs('2026-11-24', at));
      const body = (await get(BROKER_STATUS_PATH, t.as('readonly'))).json<BrokerStatusResponse>();
      return body.connections[0];
    };
    expect(await stateAt('04:59')).toMatchObject({ state: 'connected', expiresInSeconds: 3660 });
    expect(await stateAt('05:30')).toMatchObject({ state: 'expiring', expiresInSeconds: 1800 });
    expect(await stateAt('06:00')).toMatchObject({ state: 'expired', expiresInSeconds: 0 });
    writeFileSync(join(dir, 'master.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expect(await stateAt('06:30')).toMatchObject({
      state: 'missing',
      userId: 'SIM001',
      problem: expect.stringMatching(/the master key does not match/) as string,
    });
  });

  it('refuses a login with 503 when the Kite app is not configured', async () => {
    const bare = await apiTestApp((app, ctx) => registerBrokerRoutes(app, ctx, { env: {} }), {
      config: loadConfig({ env: { KITEPILOT_STORAGE_DATA_DIR: dir }, cwd: dir }).config,
    });
    try {
      const reply = await bare.app.inject({
        method: 'GET',
        url: KITE_LOGIN_PATH,
        headers: bare.as('operator'),
      });
      expect(reply.statusCode).toBe(503);
      expect(reply.json()).toMatchObject({
        error: { code: 'UNAVAILABLE', message: expect.stringMatching(/KITEPILOT_KITE_API_KEY/) as string },
      });
    } finally {
      await bare.close();
    }
  }, 90_000);
});
