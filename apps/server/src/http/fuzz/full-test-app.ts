// For tests: the API with every route module kitepilot-server registers, on an in-memory PGlite store, and the list
// of the routes it registered (taken from the app itself through onRoute, so a new route is seen without a list).
import { tmpdir } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { NseCalendar, parseAccountId, TestClock, type Clock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type SqlDriver, type Store } from '@kitepilot/store';
import { bearer, createTestUser, testAuthDeps } from '../../auth/testing.ts';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerOpenApi } from '../openapi.ts';
import type { RouteContext } from '../route-context.ts';
import { ROUTE_MODULES } from '../route-modules.ts';
import { registerBrokerRoutes } from '../routes/broker.ts';

export { ROUTE_MODULES };

/** One registered route: its method, URL pattern, options (schema, config). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly options: RouteOptions;
}

/** A built, ready app over its own store. */
export interface FullTestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly driver: SqlDriver;
  readonly clock: Clock;
  /** Every route registered after the OpenAPI setup, HEAD routes excluded. */
  readonly routes: readonly RegisteredRoute[];
  /** Headers that authenticate a request as the installation owner. */
  readonly ownerHeaders: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Builds an app through buildApp (with its auth guard over `store`) for a test, `routes` after the built-in ones. */
export function buildTestApp(
  store: Store,
  routes: readonly ((app: FastifyInstance) => void)[],
  clock?: Clock,
): FastifyInstance {
  return buildApp({
    logger: createLogger({ level: 'silent' }),
    metrics: createMetricsRegistry(),
    statusSource: { status: () => Promise.reject(new Error('status is not part of these tests')) },
    auth: testAuthDeps(store, clock),
    routes,
  });
}

/** Builds the app like startKitePilot does, with the OpenAPI setup, on a fresh migrated in-memory PGlite store. */
export async function buildFullTestApp(now = Date.UTC(2026, 10, 23, 5, 30)): Promise<FullTestApp> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store = createStore(driver);
  const { config } = loadConfig({ env: {}, cwd: tmpdir() });
  await store.accounts.create({
    id: parseAccountId(config.trading.account),
    name: 'default',
    createdAt: now,
  });
  const logger = createLogger({ level: 'silent' });
  const metrics = createMetricsRegistry();
  const clock = new TestClock(now);
  const ctx: RouteContext = {
    store,
    config,
    clock,
    calendar: new NseCalendar(),
    logger,
    metrics,
    trading: { current: null },
  };
  const routes: RegisteredRoute[] = [];
  const collect = (app: FastifyInstance) => {
    // Before every route module: the document and this list see them all.
    registerOpenApi(app);
    app.addHook('onRoute', (options) => {
      for (const method of [options.method].flat()) {
        if (method !== 'HEAD') routes.push({ method, url: options.url, options });
      }
    });
  };
  const app = buildTestApp(
    store,
    [
      collect,
      ...ROUTE_MODULES.map((register) => (a: FastifyInstance) => register(a, ctx)),
      (a: FastifyInstance) => registerBrokerRoutes(a, ctx, { env: {} }),
    ],
    clock,
  );
  await app.ready();
  const owner = await createTestUser(testAuthDeps(store, clock).service, 'owner', [config.trading.account]);
  return {
    app,
    store,
    driver,
    clock,
    routes,
    ownerHeaders: bearer(owner.token),
    close: async () => {
      await app.close();
      await driver.close();
    },
  };
}
