import { PGlite } from '@electric-sql/pglite';
import {
  anInstrument,
  anIntent,
  anOrder,
  istToEpochMs,
  NseCalendar,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  TestClock,
  type AuditEvent,
} from '@kitepilot/core';
import { InProcessBus } from '@kitepilot/engine';
import { createStore, migrate, PgliteDriver, SqlAuditRepository, type Store } from '@kitepilot/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../logger.ts';
import { startTradingEnvironment, type TradingEnvironment } from '../trading/trading-environment.ts';
import { orderAuditKind, subscribeTradingAudit } from './trading-audit.ts';

// Monday 23 Nov 2026, 10:00 IST: a trading day inside the entry window.
const now = istToEpochMs('2026-11-23', '10:00');
const runId = parseRunId('run_audit');

describe('orderAuditKind', () => {
  it('names each order event in kebab case under order.', () => {
    expect(orderAuditKind('OrderSubmitted')).toBe('order.submitted');
    expect(orderAuditKind('OrderPendingCancel')).toBe('order.pending-cancel');
    expect(orderAuditKind('OrderUpdateReceived')).toBe('order.update-received');
    expect(orderAuditKind('OrderDenied')).toBe('order.denied');
  });
});

describe('subscribeTradingAudit', () => {
  it('queues order events and risk decisions in publication order with their actor, and unsubscribes', () => {
    const bus = new InProcessBus();
    const queued: { kind: string; actor: string; accountId: string | null; ts: number }[] = [];
    const account = parseAccountId('acc_x');
    const off = subscribeTradingAudit(bus, { enqueue: (e) => queued.push(e) }, { accountId: account, runId });
    const strategyId = parseStrategyId('str_a');
    const intentId = parseIntentId('int_1');
    bus.publish('risk-decision', {
      accountId: account,
      intentId,
      strategyId,
      decision: 'deny',
      code: 'stop-loss-required',
      reason: 'no stop',
      slices: null,
      inputs: {},
      decidedAt: now,
    });
    bus.publish('order', {
      event: {
        type: 'OrderDenied',
        accountId: account,
        intentId,
        strategyId,
        reason: 'no stop',
        tsEvent: now,
        tsInit: now + 1,
      },
      order: null,
    });
    const order = anOrder({ accountId: account, strategyId, clientOrderId: parseClientOrderId('ord_1') });
    bus.publish('order', {
      event: {
        type: 'OrderCancelled',
        accountId: account,
        clientOrderId: order.clientOrderId,
        cancelledQty: 1,
        reason: null,
        tsEvent: now,
        tsInit: now + 2,
      },
      order,
    });
    off();
    bus.publish('order', {
      event: {
        type: 'OrderDenied',
        accountId: account,
        intentId,
        strategyId,
        reason: 'x',
        tsEvent: now,
        tsInit: now,
      },
      order: null,
    });
    expect(queued).toEqual([
      {
        accountId: account,
        ts: now,
        kind: 'risk.denied',
        actor: strategyId,
        payload: expect.objectContaining({ runId, code: 'stop-loss-required' }),
      },
      {
        accountId: account,
        ts: now + 1,
        kind: 'order.denied',
        actor: strategyId,
        payload: expect.objectContaining({ order: null }),
      },
      {
        accountId: account,
        ts: now + 2,
        kind: 'order.cancelled',
        actor: strategyId,
        payload: expect.objectContaining({
          order: expect.objectContaining({ clientOrderId: 'ord_1', status: 'INITIALIZED' }),
        }),
      },
    ]);
  });
});

describe('trading environment audit trail', () => {
  let store: Store;
  let env: TradingEnvironment | null;

  beforeEach(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    env = null;
  });
  afterEach(async () => {
    await env?.close();
    await store.close();
  });

  it('records every risk decision and order event of the kernel, in kernel order, on an intact chain', async () => {
    const clock = new TestClock(now);
    env = await startTradingEnvironment({
      mode: 'paper',
      simulated: false,
      store,
      config: loadConfig({ env: {} }).config,
      calendar: new NseCalendar(),
      clock,
      logger: createLogger({ level: 'silent' }),
      instruments: [anInstrument()],
      strategies: [],
      dataDir: null,
      seed: 7,
    });
    const running = env;
    const published: string[] = [];
    running.bus.subscribe('risk-decision', (d) =>
      published.push(d.decision === 'allow' ? 'risk.allowed' : 'risk.denied'),
    );
    running.bus.subscribe('order', (u) => published.push(orderAuditKind(u.event.type)));
    const base = { accountId: running.accountId, runId: running.runId, tsEvent: now, tsInit: now };
    // Without a stop-loss the risk engine denies; with one the order is created and goes to the paper venue.
    await running.orders.submit(anIntent({ ...base, id: parseIntentId('int_nostop') }), 'strategy');
    await running.orders.submit(
      anIntent({ ...base, id: parseIntentId('int_stop'), stopLossPaise: paise(155000) }),
      'strategy',
    );
    await running.audit.flush();
    const records = await new SqlAuditRepository(store.driver).list({ limit: 1000 });
    const kinds = (r: AuditEvent) => r.kind;
    const trail = records.map(kinds).filter((k) => k.startsWith('risk.') || k.startsWith('order.'));
    expect(published.length).toBeGreaterThanOrEqual(3);
    expect(trail).toEqual(published);
    expect(trail.slice(0, 2)).toEqual(['risk.denied', 'order.denied']);
    const decisions = await store.riskDecisions.listBetween(running.accountId, now - 1, now + 1);
    const denied = records.find((r) => r.kind === 'risk.denied');
    expect(denied?.payload).toMatchObject({
      runId: running.runId,
      intentId: 'int_nostop',
      code: decisions[0]?.code,
    });
    expect(denied?.actor).toBe('str_test');
    await running.close();
    const after = await new SqlAuditRepository(store.driver).list({ limit: 1000 });
    expect(after.at(-1)?.kind).toBe('trading.stopped');
    expect(running.audit.stats()).toMatchObject({ failures: 0, rejected: 0, dropped: 0, pending: 0 });
    expect(await new SqlAuditRepository(store.driver).verifyChain()).toMatchObject({
      ok: true,
      count: after.length,
    });
  });
});
