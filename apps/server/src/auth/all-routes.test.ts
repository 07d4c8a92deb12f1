// Every route of the fully wired server (startKitePilot), taken from the app itself through the guard's onRoute
// record, so that a route added without `config.access` fails here: anonymous callers get 401, callers below the
// route's role 403, and a caller of account A cannot reach account B through any route that takes an account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roleAtLeast, type Role } from '../http/access.ts';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { startKitePilot, type RunningKitePilot } from '../kitepilot-server.ts';
import { createLogger } from '../logger.ts';
import { declaredRoutes, type DeclaredRoute } from './register-auth.ts';
import { bearer, createTestUser, ensureAccounts, testAuthService, type TestUser } from './testing.ts';

const ROLES: readonly Role[] = ['readonly', 'operator', 'owner'];

/** Returns a concrete URL of a route pattern (parameters and wildcards filled with `x`). */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, 'x').replace(/\*/g, 'x');
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

describe('access of every route of the wired server', () => {
  let dir: string;
  let server: RunningKitePilot;
  let routes: readonly DeclaredRoute[];
  const users = new Map<Role, TestUser>();
  let readerOfB: TestUser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-auth-routes-'));
    const loaded = loadConfig({
      env: { KITEPILOT_STORAGE_DATA_DIR: dir, KITEPILOT_TRADING_ACCOUNT: 'acc_a' },
      cwd: dir,
      overrides: { server: { port: await freePort() } },
    });
    server = await startKitePilot({ loaded, logger: createLogger({ level: 'silent' }) });
    routes = declaredRoutes(server.app);
    const service = testAuthService(server.store);
    await ensureAccounts(server.store, ['acc_a', 'acc_b']);
    for (const role of [...ROLES].reverse()) users.set(role, await createTestUser(service, role, ['acc_a']));
    readerOfB = await createTestUser(service, 'readonly', ['acc_b']);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const call = (route: DeclaredRoute, headers: Record<string, string> = {}, query = '') =>
    server.app.inject({
      method: route.method as HTTPMethods,
      url: `${concrete(route.url)}${query}`,
      headers,
      ...(['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) ? { payload: {} } : {}),
    });

  it('registers the auth, trading and research routes, every one declaring its access', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'GET /api/orders',
        'POST /api/trading/flatten',
        'GET /api/users',
      ]),
    );
    expect(routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('answers 401 to anonymous callers on every route that is not public', async () => {
    const refused: string[] = [];
    for (const route of routes) {
      const response = await call(route);
      const expected =
        route.access === 'public'
          ? response.statusCode !== 401 && response.statusCode !== 403
          : response.statusCode === 401;
      if (!expected)
        refused.push(`${route.method} ${route.url} (${route.access ?? 'none'}): ${response.statusCode}`);
    }
    expect(refused).toEqual([]);
  });

  it('answers 403 to every role below the route, and lets every role at or above it past the guard', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.access !== undefined && r.access !== 'public')) {
      for (const role of ROLES) {
        const response = await call(route, bearer(users.get(role)?.token ?? ''));
        const allowed = roleAtLeast(role, route.access as Role);
        // The guard's refusal names the role; a handler may refuse for its own reasons (TOTP needs a session).
        const byGuard =
          response.statusCode === 403 &&
          // A HEAD answer has no body to read the reason from.
          (route.method === 'HEAD' || response.body.includes(`needs the ${route.access} role`));
        const ok = allowed ? response.statusCode !== 401 && !byGuard : byGuard;
        if (!ok) wrong.push(`${role} ${route.method} ${route.url} (${route.access}): ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses account B on every route that takes an account to a caller of account A only', async () => {
    const scoped = routes.filter((r) => r.account !== undefined);
    expect(scoped.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/api/orders', '/api/fills', '/api/positions']),
    );
    const owner = bearer(users.get('owner')?.token ?? '');
    const leaks: string[] = [];
    for (const route of scoped) {
      const token = bearer(
        users.get(roleAtLeast('operator', route.access as Role) ? 'operator' : 'owner')?.token ?? '',
      );
      const viaQuery = route.account === 'query';
      const response = await server.app.inject({
        method: route.method as HTTPMethods,
        url: `${concrete(route.url)}${viaQuery ? '?account=acc_b' : ''}`,
        headers: route.access === 'owner' ? owner : token,
        ...(viaQuery ? {} : { payload: { account: 'acc_b' } }),
      });
      // An owner may act on every account; anyone else only on their own.
      const expected = route.access === 'owner' ? response.statusCode !== 403 : response.statusCode === 403;
      if (!expected) leaks.push(`${route.method} ${route.url}: ${response.statusCode}`);
    }
    expect(leaks).toEqual([]);
  });

  it('acts on the caller’s own default account when the request names none', async () => {
    const a = bearer(users.get('readonly')?.token ?? '');
    const b = bearer(readerOfB.token);
    for (const url of ['/api/orders', '/api/fills', '/api/positions']) {
      expect((await server.app.inject({ url, headers: a })).statusCode).toBe(200);
      expect((await server.app.inject({ url: `${url}?account=acc_a`, headers: b })).statusCode).toBe(403);
    }
    const calibration = await server.app.inject({
      url: '/api/slippage/calibration?from=2026-11-20&to=2026-11-21',
      headers: b,
    });
    expect(calibration.statusCode).toBe(422);
    expect(calibration.json<{ error: { message: string } }>().error.message).toContain('for acc_b on');
  });
});
