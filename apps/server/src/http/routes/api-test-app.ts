// A test harness for route modules: a migrated in-memory PGlite store, the real auth guard with an owner, an
// operator and a readonly user (API tokens, accounts acc_default and acc_other), and the module registered over a
// RouteContext with a TestClock and an empty trading slot.
import { PGlite } from '@electric-sql/pglite';
import { istToEpochMs, NseCalendar, TestClock, type UserRole } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { bearer, createTestUser, testAuthDeps, testAuthService } from '../../auth/testing.ts';
import type { Config } from '../../config/config-schema.ts';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import type { TradingSlot } from '../../trading/trading-slot.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import type { RouteContext } from '../route-context.ts';

/** Monday 23 Nov 2026, 10:00 IST: a trading day inside the entry window. */
export const TEST_NOW = istToEpochMs('2026-11-23', '10:00');

/** A running test app and what it is made of. */
export interface ApiTestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly clock: TestClock;
  readonly slot: TradingSlot;
  readonly ctx: RouteContext;
  /** The Authorization header of a user with `role` (accounts acc_default and acc_other). */
  as(role: UserRole): { authorization: string };
  close(): Promise<void>;
}

/** Builds the app with `register` over a fresh store; `config` defaults to the defaults of an empty file. */
export async function apiTestApp(
  register: (app: FastifyInstance, ctx: RouteContext) => void,
  options: { readonly config?: Config; readonly now?: number } = {},
): Promise<ApiTestApp> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store = createStore(driver);
  const clock = new TestClock(options.now ?? TEST_NOW);
  const service = testAuthService(store, clock);
  const tokens = new Map<UserRole, string>();
  for (const role of ['owner', 'operator', 'readonly'] as const) {
    tokens.set(role, (await createTestUser(service, role, ['acc_default', 'acc_other'])).token);
  }
  const logger = createLogger({ level: 'silent' });
  const metrics = createMetricsRegistry();
  const slot: TradingSlot = { current: null };
  const ctx: RouteContext = {
    store,
    config: options.config ?? loadConfig({ env: {} }).config,
    clock,
    calendar: new NseCalendar(),
    logger,
    metrics,
    trading: slot,
  };
  const app = buildApp({
    auth: testAuthDeps(store, clock),
    logger,
    metrics,
    statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
    routes: [(instance) => register(instance, ctx)],
  });
  await app.ready();
  return {
    app,
    store,
    clock,
    slot,
    ctx,
    as: (role) => bearer(tokens.get(role) ?? ''),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
