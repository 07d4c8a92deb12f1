// A small trading day for the daily pack tests: acc_pack on Monday 23 Nov 2026 (IST) with one run, signal, intent,
// risk decision, order, fill, raw order event and audit records, plus records of the days before and after that the
// pack must leave out.
import {
  aFill,
  anIntent,
  anOrder,
  istToEpochMs,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parseRunId,
  parseSignalId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  type AccountId,
} from '@kitepilot/core';
import { SqlAuditRepository, type Store } from '@kitepilot/store';

/** The account of the fixture. */
export const PACK_ACCOUNT: AccountId = parseAccountId('acc_pack');
/** The IST date of the fixture's trading day. */
export const PACK_DATE = '2026-11-23';

/** Stores the fixture; returns the times used. */
export async function seedDailyPackFixture(store: Store): Promise<{ readonly at: number }> {
  const at = istToEpochMs(PACK_DATE, '10:15');
  const runId = parseRunId('run_pack');
  const strategyId = parseStrategyId('str_pack');
  const intentId = parseIntentId('int_pack1');
  const clientOrderId = parseClientOrderId('ord_pack1');
  const audit = new SqlAuditRepository(store.driver);
  await audit.append({
    accountId: null,
    ts: istToEpochMs('2026-11-22', '20:00'),
    kind: 'system.started',
    actor: 'system',
    payload: { configHash: 'a'.repeat(64), config: { server: { port: 8080 }, kite: { apiSecret: '***' } } },
  });
  await store.accounts.create({ id: PACK_ACCOUNT, name: 'pack', createdAt: at - 86_400_000 });
  await store.runs.create(PACK_ACCOUNT, {
    id: runId,
    environment: 'paper',
    strategyId,
    config: { mode: 'paper', risk: { dailyLossCap: 5000 }, kite: { apiSecret: 'run-secret' } },
    startedAt: istToEpochMs(PACK_DATE, '09:00'),
  });
  await store.signals.insert(PACK_ACCOUNT, {
    id: parseSignalId('sig_pack1'),
    accountId: PACK_ACCOUNT,
    runId,
    strategyId,
    instrumentId: anIntent().instrumentId,
    direction: 'LONG',
    strength: null,
    reason: 'breakout above "the high", with a comma',
    tsEvent: at - 1000,
    tsInit: at - 1000,
  });
  const intent = anIntent({
    id: intentId,
    accountId: PACK_ACCOUNT,
    runId,
    strategyId,
    tsEvent: at,
    tsInit: at,
    qty: 2,
  });
  await store.intents.insert(PACK_ACCOUNT, intent);
  await store.riskDecisions.insert(PACK_ACCOUNT, {
    accountId: PACK_ACCOUNT,
    intentId,
    strategyId,
    decision: 'allow',
    code: 'ok',
    reason: 'all checks passed',
    slices: null,
    inputs: { dailyLossCapPaise: 500000 },
    decidedAt: at,
  });
  const order = anOrder({ ...intent, clientOrderId, createdAt: at });
  await store.orders.save(PACK_ACCOUNT, {
    ...order,
    status: 'FILLED',
    venueOrderId: parseVenueOrderId('2611230001'),
    filledQty: 2,
    filledValuePaise: paise(314740),
    updatedAt: at + 900,
  });
  await store.orderEvents.append(PACK_ACCOUNT, {
    clientOrderId,
    venueOrderId: parseVenueOrderId('2611230001'),
    source: 'postback',
    venueStatus: 'COMPLETE',
    payload: { status: 'COMPLETE', average_price: 1573.7 },
    receivedAt: at + 950,
  });
  await store.fills.insert(PACK_ACCOUNT, {
    ...aFill({ accountId: PACK_ACCOUNT, clientOrderId, qty: 2, pricePaise: paise(157370) }),
    venueTradeId: parseVenueTradeId('T1'),
    tsEvent: at + 800,
    tsInit: at + 900,
  });
  await audit.appendMany([
    { accountId: PACK_ACCOUNT, ts: at, kind: 'risk.allowed', actor: strategyId, payload: { intentId } },
    {
      accountId: PACK_ACCOUNT,
      ts: at + 900,
      kind: 'order.filled',
      actor: strategyId,
      payload: { clientOrderId },
    },
    {
      accountId: null,
      ts: at + 1000,
      kind: 'trading.controls',
      actor: 'api',
      payload: { killSwitch: false },
    },
    // The next day: not in the pack of PACK_DATE.
    { accountId: PACK_ACCOUNT, ts: at + 86_400_000, kind: 'order.submitted', actor: strategyId, payload: {} },
  ]);
  return { at };
}
