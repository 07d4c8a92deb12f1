import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../http/build-app.ts';
import { createMetricsRegistry } from '../http/metrics.ts';
import { createLogger } from '../logger.ts';
import { testAuthService, TEST_PASSWORD, createTestUser, bearer } from './testing.ts';
import type { AuthService } from './auth-service.ts';

const t0 = Date.UTC(2026, 10, 23, 4, 30);

/** A cookie jar of one: the session cookie and the CSRF token of the last sign-in. */
interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly setCookie: string;
}

describe('registerAuth guard', () => {
  const clock = new TestClock(t0);
  const logLines: string[] = [];
  let store: Store;
  let service: AuthService;
  let app: FastifyInstance;
  let proxied: FastifyInstance;

  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });

  function anApp(trustProxy?: boolean): FastifyInstance {
    const built = buildApp({
      auth: { service, defaultAccountId: 'acc_default' as never },
      logger,
      metrics: createMetricsRegistry(),
      statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    built.get('/probe/read', { config: { access: 'readonly', account: 'query' } }, (request) => ({
      account: (request.query as { account: string }).account,
      via: request.principal?.via,
    }));
    built.post('/probe/operate', { config: { access: 'operator', account: 'body' } }, (request) => ({
      account: (request.body as { account: string }).account,
    }));
    built.get('/probe/undeclared', () => ({ leaked: true }));
    built.get('/probe/public', { config: { access: 'public' } }, (request) => ({
      principal: request.principal?.userId ?? null,
    }));
    return built;
  }

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    service = testAuthService(store, clock, { ipMaxAttempts: 1000 });
    app = anApp();
    proxied = anApp(true);
    await app.ready();
    await proxied.ready();
  });
  afterAll(async () => {
    await app.close();
    await proxied.close();
    await store.close();
  });

  async function login(
    email: string,
    password = TEST_PASSWORD,
    extra: object = {},
  ): Promise<LightMyRequestResponse> {
    return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password, ...extra } });
  }

  function sessionOf(response: LightMyRequestResponse): Session {
    const setCookie = String(response.headers['set-cookie']);
    const cookie = setCookie.split(';')[0] ?? '';
    return { cookie, csrf: response.json<{ csrfToken: string }>().csrfToken, setCookie };
  }

  const asSession = (s: Session, options: InjectOptions, csrf = true): InjectOptions => ({
    ...options,
    headers: { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) },
  });

  it('refuses a route that declares no access with 403, even to an owner', async () => {
    const owner = await createTestUser(service, 'owner', ['acc_default'], { email: 'first@example.in' });
    for (const headers of [{}, bearer(owner.token)]) {
      const response = await app.inject({ url: '/probe/undeclared', headers });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({
        error: {
          code: 'FORBIDDEN',
          message: 'route GET /probe/undeclared declares no access; it is refused',
        },
      });
    }
  });

  it('answers 401 without credentials and with bad ones, and lets a public route through with principal null', async () => {
    expect((await app.inject({ url: '/probe/read' })).json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });
    const unknown = await app.inject({ url: '/probe/read', headers: bearer(`kp_${'A'.repeat(43)}`) });
    expect(unknown.statusCode).toBe(401);
    const malformed = await app.inject({
      url: '/probe/read',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(malformed.json()).toMatchObject({
      error: { message: 'the Authorization header is not "Bearer kp_…"' },
    });
    const forged = await app.inject({
      url: '/probe/read',
      headers: { cookie: `kp_session=${'x'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);
    const open = await app.inject({ url: '/probe/public', headers: bearer(`kp_${'A'.repeat(43)}`) });
    expect(open.json()).toEqual({ principal: null });
    expect((await app.inject({ url: '/nothing/here' })).statusCode).toBe(404);
  });

  it('signs in with a cookie that is HttpOnly, SameSite=Strict, Path=/ and Secure only over TLS', async () => {
    await createTestUser(service, 'readonly', ['acc_default'], { email: 'reader@example.in' });
    const plain = sessionOf(await login('READER@example.in'));
    expect(plain.setCookie).toMatch(
      /^kp_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const tls = await proxied.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'reader@example.in', password: TEST_PASSWORD },
    });
    expect(String(tls.headers['set-cookie'])).toMatch(/; Secure/);
    const who = await app.inject(asSession(plain, { url: '/api/auth/session' }));
    expect(who.json()).toMatchObject({ via: 'session', role: 'readonly', csrfToken: plain.csrf });
    expect(who.json<{ user: { email: string } }>().user.email).toBe('reader@example.in');
  });

  it('requires the CSRF header on unsafe requests signed by the cookie, not on Bearer ones', async () => {
    const operator = await createTestUser(service, 'operator', ['acc_default'], { email: 'op@example.in' });
    const s = sessionOf(await login('op@example.in'));
    const probe = { method: 'POST', url: '/probe/operate', payload: {} } as const;
    const without = await app.inject(asSession(s, probe, false));
    expect(without.statusCode).toBe(403);
    expect(without.json<{ error: { message: string } }>().error.message).toContain('x-csrf-token');
    const wrong = await app.inject({ ...probe, headers: { cookie: s.cookie, 'x-csrf-token': 'nope' } });
    expect(wrong.statusCode).toBe(403);
    expect((await app.inject(asSession(s, probe))).json()).toEqual({ account: 'acc_default' });
    // A GET needs no CSRF token; a token-authenticated POST needs none either.
    expect((await app.inject(asSession(s, { url: '/probe/read' }, false))).statusCode).toBe(200);
    expect((await app.inject({ ...probe, headers: bearer(operator.token) })).statusCode).toBe(200);
  });

  it('refuses a role below the route and an account the caller may not use, and fills the default', async () => {
    const reader = await createTestUser(service, 'readonly', ['acc_r1', 'acc_r2'], {
      email: 'r2@example.in',
    });
    const headers = bearer(reader.token);
    expect(
      (await app.inject({ method: 'POST', url: '/probe/operate', headers, payload: {} })).statusCode,
    ).toBe(403);
    expect((await app.inject({ url: '/probe/read', headers })).json()).toEqual({
      account: 'acc_r1',
      via: 'token',
    });
    expect((await app.inject({ url: '/probe/read?account=acc_r2', headers })).json()).toMatchObject({
      account: 'acc_r2',
    });
    const other = await app.inject({ url: '/probe/read?account=acc_default', headers });
    expect(other.statusCode).toBe(403);
    const malformed = await app.inject({ url: '/probe/read?account=default', headers });
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('logs out: the cookie stops working', async () => {
    const s = sessionOf(await login('reader@example.in'));
    expect((await app.inject(asSession(s, { method: 'POST', url: '/api/auth/logout' }))).statusCode).toBe(
      204,
    );
    expect((await app.inject(asSession(s, { url: '/api/auth/session' }))).statusCode).toBe(401);
  });

  it('ends a session after 12 h idle and 7 days in all', async () => {
    const s = sessionOf(await login('reader@example.in'));
    clock.advanceTo(clock.now() + 11 * 3_600_000);
    expect((await app.inject(asSession(s, { url: '/probe/read' }))).statusCode).toBe(200);
    clock.advanceTo(clock.now() + 12 * 3_600_000);
    expect((await app.inject(asSession(s, { url: '/probe/read' }))).json()).toMatchObject({
      error: { message: 'the session has expired; sign in again' },
    });
    // Used every 10 h, a session lives until 7 days after sign-in, then ends however active it is.
    const busy = sessionOf(await login('reader@example.in'));
    let aliveHours = 0;
    while (
      (await app.inject(asSession(busy, { url: '/probe/read' }))).statusCode === 200 &&
      aliveHours < 1000
    ) {
      clock.advanceTo(clock.now() + 10 * 3_600_000);
      aliveHours += 10;
    }
    expect(aliveHours).toBe(170);
  });

  it('locks a user after 5 failed sign-ins with 429 and Retry-After, audited, until the lock ends', async () => {
    await createTestUser(service, 'readonly', ['acc_default'], { email: 'guess@example.in' });
    for (let i = 1; i <= 4; i += 1)
      expect((await login('guess@example.in', 'wrong password!')).statusCode).toBe(401);
    const fifth = await login('guess@example.in', 'wrong password!');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.headers['retry-after']).toBe('900');
    const right = await login('guess@example.in');
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const kinds = (await store.audit.read(0, 1000)).map((e) => e.kind);
    expect(kinds).toContain('auth.lockout');
    expect(kinds.filter((k) => k === 'auth.login_failed').length).toBeGreaterThanOrEqual(5);
    clock.advanceTo(clock.now() + 15 * 60_000);
    expect((await login('guess@example.in')).statusCode).toBe(200);
  });

  it('limits sign-in attempts per client address with 429', async () => {
    const limited = testAuthService(store, clock, { ipMaxAttempts: 3, ipWindowMs: 60_000 });
    const client = { ip: '203.0.113.9', userAgent: null };
    const attempt = () =>
      limited.login({ email: 'nobody@example.in', password: 'whatever-long-enough' }, client);
    for (let i = 0; i < 3; i += 1) await expect(attempt()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(attempt()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    await expect(
      limited.login(
        { email: 'nobody@example.in', password: 'x'.repeat(12) },
        { ...client, ip: '203.0.113.10' },
      ),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never writes passwords, tokens, cookies or CSRF tokens to the log', async () => {
    const secret = 'a-very-secret-password-1';
    const user = await createTestUser(service, 'operator', ['acc_default'], { email: 'logs@example.in' });
    await login('logs@example.in', secret);
    const s = sessionOf(await login('logs@example.in'));
    await app.inject(asSession(s, { method: 'POST', url: '/probe/operate', payload: {} }));
    await app.inject({ url: '/probe/read', headers: bearer(user.token) });
    const log = logLines.join('');
    expect(log).toContain('incoming request');
    for (const value of [secret, TEST_PASSWORD, user.token, s.cookie.split('=')[1] ?? '', s.csrf]) {
      expect(value.length).toBeGreaterThan(10);
      expect(log).not.toContain(value);
    }
  });
});
