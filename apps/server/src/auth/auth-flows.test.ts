import { PGlite } from '@electric-sql/pglite';
import { TestClock, type UserId } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../http/build-app.ts';
import { createMetricsRegistry } from '../http/metrics.ts';
import { createLogger } from '../logger.ts';
import type { AuthService } from './auth-service.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { bearer, createTestUser, testAuthService, TEST_PASSWORD } from './testing.ts';
import { totpCode } from './totp.ts';

const t0 = Date.UTC(2026, 10, 23, 4, 30);

describe('auth flows over HTTP', () => {
  const clock = new TestClock(t0);
  let store: Store;
  let service: AuthService;
  let app: FastifyInstance;

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    service = testAuthService(store, clock);
    app = buildApp({
      auth: { service, defaultAccountId: 'acc_default' as never },
      logger: createLogger({ level: 'silent' }),
      metrics: createMetricsRegistry(),
      statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers });
  const code = (response: LightMyRequestResponse) => response.json<{ error: { code: string } }>().error.code;

  it('hashes passwords with argon2id (m ≥ 19 MiB, t ≥ 2) and refuses short ones', async () => {
    const hash = await hashPassword('twelve chars');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'twelve chars')).toBe(true);
    expect(await verifyPassword(hash, 'twelve charz')).toBe(false);
    await expect(hashPassword('eleven char')).rejects.toThrow('the password has 11 characters; at least 12');
  });

  it('creates the first owner with the setup token once, creating the first account', async () => {
    const token = await service.issueSetupToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const body = { email: 'owner@example.in', password: TEST_PASSWORD, displayName: 'Owner' };
    expect(code(await post('/api/auth/setup', { ...body, setupToken: 'wrong' }))).toBe('UNAUTHENTICATED');
    const short = await post('/api/auth/setup', { ...body, password: 'short', setupToken: token });
    expect(short.statusCode).toBe(400);
    const created = await post('/api/auth/setup', { ...body, setupToken: token, accountName: 'Main' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'owner@example.in',
      role: 'owner',
      accountIds: ['acc_default'],
    });
    expect(await store.accounts.get('acc_default' as never)).toMatchObject({ name: 'Main' });
    const again = await post('/api/auth/setup', { ...body, email: 'x@example.in', setupToken: token });
    expect(again.statusCode).toBe(401);
    expect(await service.issueSetupToken()).toBeNull();
    const kinds = (await store.audit.read(0, 100)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['auth.user_created', 'auth.setup']));
    expect(JSON.stringify(await store.audit.read(0, 100))).not.toContain(TEST_PASSWORD);
  });

  it('enrols TOTP, confirms it with a code, then requires a code at sign-in and refuses a replay', async () => {
    const login = await post('/api/auth/login', { email: 'owner@example.in', password: TEST_PASSWORD });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const headers = { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
    const enrol = await post('/api/auth/totp/enrol', {}, headers);
    const uri = new URL(enrol.json<{ uri: string }>().uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    const secret = uri.searchParams.get('secret') ?? '';
    const stored = await store.auth.findUserByEmail('owner@example.in');
    expect(Buffer.from(stored?.totpSecret?.ciphertext ?? []).toString('latin1')).not.toContain(secret);
    expect(code(await post('/api/auth/totp/confirm', { code: '000000' }, headers))).toBe('VALIDATION_FAILED');
    const first = totpCode(secret, clock.now());
    expect((await post('/api/auth/totp/confirm', { code: first }, headers)).statusCode).toBe(204);
    const creds = { email: 'owner@example.in', password: TEST_PASSWORD };
    const noCode = await post('/api/auth/login', creds);
    expect(noCode.json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED', details: { totpRequired: true } },
    });
    // The code that confirmed the enrolment is spent: replaying it within its window is refused.
    const replay = await post('/api/auth/login', { ...creds, totp: first });
    expect(replay.json()).toMatchObject({
      error: { message: 'the TOTP code was already used; wait for the next' },
    });
    clock.advanceTo(clock.now() + 30_000);
    const next = totpCode(secret, clock.now());
    expect((await post('/api/auth/login', { ...creds, totp: next })).statusCode).toBe(200);
    expect((await post('/api/auth/login', { ...creds, totp: next })).statusCode).toBe(401);
    const disable = await app.inject({
      method: 'DELETE',
      url: '/api/auth/totp',
      headers,
      payload: { password: 'x'.repeat(12) },
    });
    expect(disable.statusCode).toBe(403);
    await store.auth.clearLoginFailures(stored?.id as UserId);
  });

  it('creates tokens up to the caller role and accounts, shows them once, and refuses revoked and expired ones', async () => {
    const operator = await createTestUser(service, 'operator', ['acc_default', 'acc_two'], {
      email: 'o@example.in',
    });
    const auth = bearer(operator.token);
    expect((await post('/api/tokens', { name: 'too much', role: 'owner' }, auth)).statusCode).toBe(403);
    const foreign = await post(
      '/api/tokens',
      { name: 'x', role: 'readonly', accountIds: ['acc_three'] },
      auth,
    );
    expect(foreign.statusCode).toBe(403);
    const made = await post(
      '/api/tokens',
      { name: 'cron', role: 'readonly', accountIds: ['acc_two'], expiresInDays: 1 },
      auth,
    );
    expect(made.statusCode).toBe(201);
    const { token, info } = made.json<{ token: string; info: { id: string; prefix: string } }>();
    expect(token).toMatch(/^kp_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(info.prefix)).toBe(true);
    const listed = await app.inject({ url: '/api/tokens', headers: auth });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    expect(listed.json<{ id: string }[]>().map((t) => t.id)).toContain(info.id);
    const session = await app.inject({ url: '/api/auth/session', headers: bearer(token) });
    expect(session.json()).toMatchObject({
      via: 'token',
      role: 'readonly',
      accountIds: ['acc_two'],
      csrfToken: null,
    });
    clock.advanceTo(clock.now() + 86_400_000);
    expect((await app.inject({ url: '/api/auth/session', headers: bearer(token) })).json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: `API token ${info.id} has expired` },
    });
    const revoke = await app.inject({ method: 'DELETE', url: `/api/tokens/${info.id}`, headers: auth });
    expect(revoke.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/tokens/${info.id}`, headers: auth })).statusCode,
    ).toBe(404);
    const other = await post('/api/tokens', { name: 'short-lived', role: 'operator' }, auth);
    const second = other.json<{ token: string; info: { id: string } }>();
    await app.inject({ method: 'DELETE', url: `/api/tokens/${second.info.id}`, headers: auth });
    expect(
      (await app.inject({ url: '/api/auth/session', headers: bearer(second.token) })).json(),
    ).toMatchObject({
      error: { message: `API token ${second.info.id} was revoked` },
    });
    const kinds = (await store.audit.read(0, 1000)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['auth.token_created', 'auth.token_revoked']));
    expect(JSON.stringify(await store.audit.read(0, 1000))).not.toContain(second.token);
  });

  it('lets an owner create users, change roles, disable and grant accounts; refuses the last owner', async () => {
    const owner = await createTestUser(service, 'owner', [], { email: 'boss@example.in' });
    const auth = bearer(owner.token);
    const body = {
      email: 'new@example.in',
      password: TEST_PASSWORD,
      displayName: 'New',
      role: 'readonly',
      accountIds: ['acc_default'],
    };
    const created = await post('/api/users', body, auth);
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect(code(await post('/api/users', { ...body, email: 'NEW@example.in' }, auth))).toBe('CONFLICT');
    expect(
      code(await post('/api/users', { ...body, email: 'b@example.in', accountIds: ['acc_none'] }, auth)),
    ).toBe('VALIDATION_FAILED');
    const grant = await app.inject({
      method: 'PUT',
      url: `/api/users/${id}/accounts/acc_two`,
      headers: auth,
    });
    expect(grant.json()).toMatchObject({ accountIds: ['acc_default', 'acc_two'] });
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: auth,
      payload: { role: 'operator' },
    });
    expect(patch.json()).toMatchObject({ role: 'operator' });
    const userLogin = await post('/api/auth/login', { email: 'new@example.in', password: TEST_PASSWORD });
    expect(userLogin.statusCode).toBe(200);
    const disabled = await app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: auth,
      payload: { disabled: true },
    });
    expect(disabled.json<{ disabledAt: string | null }>().disabledAt).not.toBeNull();
    const cookie = String(userLogin.headers['set-cookie']).split(';')[0] ?? '';
    expect((await app.inject({ url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(401);
    expect(
      (await post('/api/auth/login', { email: 'new@example.in', password: TEST_PASSWORD })).statusCode,
    ).toBe(401);
    const reader = await createTestUser(service, 'operator', ['acc_default'], { email: 'op2@example.in' });
    expect((await app.inject({ url: '/api/users', headers: bearer(reader.token) })).statusCode).toBe(403);
    // Demoting every owner but one works; the last active owner cannot be demoted or disabled.
    const owners = (await store.auth.listUsers()).filter((u) => u.role === 'owner' && u.id !== owner.user.id);
    for (const o of owners) {
      await app.inject({
        method: 'PATCH',
        url: `/api/users/${o.id}`,
        headers: auth,
        payload: { disabled: true },
      });
    }
    const last = await app.inject({
      method: 'PATCH',
      url: `/api/users/${owner.user.id}`,
      headers: auth,
      payload: { role: 'readonly' },
    });
    expect(last.statusCode).toBe(409);
    expect((await store.audit.read(0, 1000)).map((e) => e.kind)).toContain('auth.user_changed');
  });
});
