// Trading on the broker's market (DESIGN.md §3–4): the stored Kite session of `[trading] account`, the broker's
// ticker feeding both the tick store and the trading kernel, and an execution client by `[trading] mode` — paper
// (the SimExecutionClient: orders never reach the broker) or live (KiteExecutionClient behind a
// DegradingExecutionClient that falls back to paper while the broker is unreachable).
//
// Live startup order (invariant 3): the order manager recovers the stored state → reconcile with the broker's
// orderbook, trades and positions → the plan's reports go into the kernel as `execution` inputs → alerts for flagged
// and external orders and position mismatches → orders too recent to be declared not placed are checked again at
// their recheck time → the client tracks the open orders → the orderbook poll starts (every 5 s) → strategies start.
//
// A session of the Kite simulator (user SIM001) may trade, but everything is simulated (invariant 9): ticks, bars,
// instruments and watchlist go to the 'simulated' namespace and the run is flagged `simulated`.
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { randomInt } from 'node:crypto';
import {
  formatIst,
  istDate,
  parseAccountId,
  parseVenueOrderId,
  SeededRandom,
  TimeRandomIdGenerator,
  type AccountId,
  type Clock,
  type DataNamespace,
  type Instrument,
  type InstrumentId,
  type JsonValue,
  type Logger,
  type NseCalendar,
  type Order,
  type VenueOrderId,
} from '@kitepilot/core';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import { MapInstrumentCatalog, type AlertLevel, type Kernel, type OrderManager } from '@kitepilot/engine';
import {
  DegradingExecutionClient,
  KiteExecutionClient,
  positionMismatches,
  reconcileWithBroker,
  type KiteRestClient,
  type MalformedOrderUpdate,
  type ReconcilePlan,
} from '@kitepilot/kite';
import { bundledFreezeQuantities, syncInstruments } from '@kitepilot/market-data';
import { FixedLatency, SimExecutionClient } from '@kitepilot/sim';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import type { IngestService } from '../market-data/ingest-service.ts';
import { kiteInstrumentSource } from '../market-data/kite-instrument-source.ts';
import { startLiveIngest } from '../market-data/live-ingest.ts';
import {
  kiteRestClientFor,
  loadStoredKiteSession,
  type LoadedKiteSession,
} from '../secrets/stored-kite-session.ts';
import {
  startTradingEnvironment,
  type StrategySpec,
  type TradingEnvironment,
} from './trading-environment.ts';
import { DEMO_ACCOUNT_ID } from './paper-demo.ts';
import type { RunningTrading, TradingSlot } from './trading-slot.ts';

/** The orderbook poll interval of live trading (kite-connect.md: postbacks and socket updates can be lost). */
export const LIVE_POLL_INTERVAL_MS = 5000;

const RECHECK_TIMER = 'broker-trading-reconcile-recheck';

/** What startBrokerTrading takes. */
export interface BrokerTradingOptions {
  readonly config: Config;
  readonly store: Store;
  readonly metrics: Registry;
  readonly logger: PinoLogger;
  readonly calendar: NseCalendar;
  /** The server's clock (wall clock; wall + offset only with a simulator session). */
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the journal goes; null keeps none. */
  readonly dataDir: string | null;
  /** The slot the running trading is put in (and removed from on close). */
  readonly slot: TradingSlot;
  /** The session to trade with (default: the stored session of `[trading] account`, simulator sessions allowed). */
  readonly session?: LoadedKiteSession;
  /** Orderbook poll interval in live mode (default LIVE_POLL_INTERVAL_MS). */
  readonly pollIntervalMs?: number;
}

/** Broker trading as it runs: the slot's view plus the parts tests and status pages look at. */
export interface BrokerTrading extends RunningTrading {
  readonly mode: 'paper' | 'live';
  /** True when trading the Kite simulator's market (everything in the 'simulated' namespace). */
  readonly simulated: boolean;
  readonly namespace: DataNamespace;
  readonly ingest: IngestService;
  /** The broker's execution client (live mode only). */
  readonly kite: KiteExecutionClient | null;
  /** The execution client the environment trades through in live mode (null in paper mode). */
  readonly degrading: DegradingExecutionClient | null;
  /** The reconciliation plan of the start (live mode only). */
  readonly reconciliation: ReconcilePlan | null;
}

/** Returns the strategies of `[[trading.strategies]]` as specs. */
export function configuredStrategies(config: Config): StrategySpec[] {
  return config.trading.strategies.map((s) => ({
    name: s.name,
    ...(s.id === undefined ? {} : { id: s.id }),
    params: s.params,
  }));
}

/** Returns the symbols (EXCHANGE:SYMBOL) the strategies trade, for the watchlist. */
function strategySymbols(specs: readonly StrategySpec[]): string[] {
  return specs.flatMap((s) => (typeof s.params['symbol'] === 'string' ? [s.params['symbol']] : []));
}

/**
 * Starts trading on the broker's market with the stored Kite session of `[trading] account` (see the file header)
 * and puts it in `slot`. Throws KiteSessionUnavailableError when there is no usable session, and any startup
 * failure (watchlist, instruments, strategies, reconciliation) with everything started so far stopped again.
 */
export async function startBrokerTrading(options: BrokerTradingOptions): Promise<BrokerTrading> {
  const { config, store, clock } = options;
  const sessionAccountId = parseAccountId(config.trading.account);
  const session =
    options.session ??
    (await loadStoredKiteSession({
      config,
      sql: store.driver,
      clock,
      accountId: sessionAccountId,
      env: options.env,
      allowSimulator: true,
    }));
  const simulated = session.simulated;
  const namespace: DataNamespace = simulated ? 'simulated' : 'real';
  // Invariant 9: orders and positions on the simulator's market never sit in a real account (a later real run would
  // recover them); they belong to the simulated account acc_demo, whichever account's session reached the simulator.
  const accountId = simulated ? DEMO_ACCOUNT_ID : sessionAccountId;
  const mode = config.trading.mode;
  const log = options.logger.child({ component: 'broker-trading', mode, simulated });
  if (simulated) {
    log.warn(
      { userId: session.userId, restUrl: config.kite.restUrl },
      'KITE SIMULATOR SESSION: trading the SIMULATED market of the Kite simulator; ticks, bars, instruments and ' +
        'the watchlist use the "simulated" namespace and the run is flagged simulated',
    );
  }
  const rest = kiteRestClientFor(session, config, clock);
  const instruments = await instrumentsInForce(store, rest, clock, namespace, log);
  const strategies = configuredStrategies(config);
  const catalog = new MapInstrumentCatalog(instruments);
  const instrument = (id: InstrumentId): Instrument | null => catalog.byId(id);

  let env: TradingEnvironment | null = null;
  const alert = (level: AlertLevel, code: string, message: string): void => {
    const running = env;
    if (running !== null) {
      running.bus.publish('alert', { level, code, message, strategyId: null, ts: clock.now() });
      return;
    }
    // Before the environment exists (reconciliation runs inside its start): log and audit as its alerts are.
    if (level === 'critical') log.error({ code }, message);
    else if (level === 'warning') log.warn({ code }, message);
    else log.info({ code }, message);
    store.audit
      .append({
        accountId,
        ts: clock.now(),
        kind: `trading.alert.${code}`,
        actor: 'system',
        payload: { level, code, message, strategyId: null, ts: clock.now() },
      })
      .catch((error: unknown) => log.error({ err: error, code }, 'audit append failed'));
  };

  let kite: KiteExecutionClient | null = null;
  let degrading: DegradingExecutionClient | null = null;
  let paperFallback: SimExecutionClient | null = null;
  if (mode === 'live') {
    kite = new KiteExecutionClient({ rest, accountId, clock, logger: log as unknown as Logger });
    paperFallback = new SimExecutionClient({
      clock,
      instrument,
      name: 'paper-fallback',
      // Paper venue ids stay far from Kite's so that an order is never looked up under the other venue's id.
      venueOrderIdStart: 900_000_000_000_001,
      tradeIdStart: 900_000_001,
      ...(config.trading.paperLatencyMs > 0
        ? { latency: new FixedLatency(config.trading.paperLatencyMs) }
        : {}),
    });
    degrading = new DegradingExecutionClient({
      live: kite,
      paper: paperFallback,
      logger: log as unknown as Logger,
      onDegraded: (reason) =>
        alert(
          'critical',
          'degraded-to-paper',
          `broker unreachable (${reason}): NEW ORDERS GO TO PAPER TRADING until the broker answers again`,
        ),
      onRestored: () =>
        alert('warning', 'restored-from-paper', 'broker reachable again: new orders go to the broker'),
    });
    kite.onMalformed((m) => storeMalformed(store, accountId, m, log, alert));
  }

  let detachOrderUpdates: (() => void) | null = null;
  const ingest = await startLiveIngest({
    config,
    store,
    metrics: options.metrics,
    logger: options.logger,
    clock,
    accountId: sessionAccountId,
    env: options.env,
    session,
    extraSymbols: strategySymbols(strategies),
    onTick: (instrumentId, tick) => env?.onTick(instrumentId, tick),
    onBar: (bar) => env?.onBar(bar),
    onTicker: (ticker) => {
      if (kite !== null) detachOrderUpdates = kite.attachOrderUpdates(ticker);
    },
  });

  let reconciliation: ReconcilePlan | null = null;
  const pollIntervalMs = options.pollIntervalMs ?? LIVE_POLL_INTERVAL_MS;
  try {
    const client = kite;
    env = await startTradingEnvironment({
      mode,
      simulated,
      accountId,
      store,
      config,
      calendar: options.calendar,
      clock,
      logger: options.logger,
      instruments,
      strategies,
      dataDir: options.dataDir,
      feeModel: new ZerodhaFeeModel(),
      ...(degrading === null ? {} : { execution: degrading }),
      preflight: [
        {
          name: 'session valid',
          run: async () => {
            const now = clock.now();
            return session.expiresAtMs > now
              ? {
                  ok: true,
                  detail: `Kite session of ${session.userId}${simulated ? ' (SIMULATOR)' : ''} valid until ${formatIst(session.expiresAtMs)}`,
                }
              : { ok: false, detail: `Kite session expired at ${formatIst(session.expiresAtMs)}` };
          },
        },
      ],
      ...(client === null
        ? {}
        : {
            beforeStart: async ({ kernel, orders }) => {
              reconciliation = await reconcileAtStart({
                store,
                rest,
                accountId,
                clock,
                kernel,
                orders,
                client,
                alert,
                log,
              });
              client.startPolling(pollIntervalMs);
            },
          }),
    });
  } catch (error) {
    kite?.stopPolling();
    clock.cancelTimer(RECHECK_TIMER);
    (detachOrderUpdates as (() => void) | null)?.();
    await ingest.stop();
    throw error;
  }
  const running = env;
  if (paperFallback !== null) {
    const fallback = paperFallback;
    running.bus.subscribe('tick', (t) => fallback.onTick(t.instrumentId, t.tick));
  }
  log.warn(
    {
      runId: running.runId,
      accountId,
      namespace,
      strategies: running.strategies.map((s) => `${s.name} (${s.id})`),
    },
    mode === 'live'
      ? `LIVE trading on ${simulated ? 'the Kite SIMULATOR' : 'Kite'}: orders go to the broker`
      : `paper trading on ${simulated ? 'the Kite SIMULATOR market' : "Kite's market"}: orders never reach the broker`,
  );

  let closed: Promise<void> | null = null;
  const trading: BrokerTrading = {
    env: running,
    mode,
    simulated,
    namespace,
    ingest,
    kite,
    degrading,
    reconciliation,
    ...(kite === null ? {} : { onPostback: (body: Record<string, unknown>) => kite.onPostback(body) }),
    close: () => {
      closed ??= (async () => {
        kite?.stopPolling();
        clock.cancelTimer(RECHECK_TIMER);
        (detachOrderUpdates as (() => void) | null)?.();
        // Requests in flight report their outcome before the kernel stops.
        await kite?.settled();
        try {
          await running.close('completed');
        } finally {
          await ingest.stop();
          if (options.slot.current === trading) options.slot.current = null;
        }
      })();
      return closed;
    },
  };
  options.slot.current = trading;
  return trading;
}

/** Returns the instruments master in force today in `namespace`, syncing today's version first when missing. */
async function instrumentsInForce(
  store: Store,
  rest: KiteRestClient,
  clock: Clock,
  namespace: DataNamespace,
  log: PinoLogger,
): Promise<Instrument[]> {
  const today = istDate(clock.now());
  const latest = await store.instruments.latestVersion(namespace);
  if (latest !== today) {
    log.info({ namespace, latest, today }, "today's instruments master is missing: syncing it from Kite");
    const result = await syncInstruments({
      source: kiteInstrumentSource(rest),
      repository: store.instruments,
      clock,
      freezeQuantities: bundledFreezeQuantities(),
      jobRuns: store.jobRuns,
      ids: new TimeRandomIdGenerator(clock, new SeededRandom(randomInt(2 ** 31))),
      namespace,
    });
    log.info({ namespace, version: result.version, count: result.count }, 'instruments master synced');
  }
  const instruments = await store.instruments.listVersion(namespace, today);
  if (instruments.length === 0) {
    throw new Error(`the ${namespace} instruments master in force on ${today} is empty after the sync`);
  }
  return instruments;
}

/** Stores a malformed postback or order update raw (never applied) and raises an alert. */
function storeMalformed(
  store: Store,
  accountId: AccountId,
  m: MalformedOrderUpdate,
  log: PinoLogger,
  alert: (level: AlertLevel, code: string, message: string) => void,
): void {
  let venueOrderId: VenueOrderId | null = null;
  if (m.venueOrderId !== null) {
    try {
      venueOrderId = parseVenueOrderId(m.venueOrderId);
    } catch (error) {
      log.warn({ err: error, venueOrderId: m.venueOrderId }, 'malformed update names an invalid order id');
    }
  }
  const payload: JsonValue = m.raw ?? { unavailable: 'the channel does not hand out the raw message' };
  store.orderEvents
    .append(accountId, {
      clientOrderId: null,
      venueOrderId,
      source: m.source,
      venueStatus: null,
      payload,
      receivedAt: m.receivedAt,
    })
    .catch((error: unknown) =>
      log.error({ err: error, source: m.source }, 'storing a malformed update failed'),
    );
  alert(
    'warning',
    'malformed-order-update',
    `a ${m.source} order update${m.venueOrderId === null ? '' : ` for order ${m.venueOrderId}`} could not be parsed and was not applied: ${m.reason}`,
  );
}

interface ReconcileContext {
  readonly store: Store;
  readonly rest: KiteRestClient;
  readonly accountId: AccountId;
  readonly clock: Clock;
  readonly kernel: Kernel;
  readonly orders: OrderManager;
  readonly client: KiteExecutionClient;
  readonly alert: (level: AlertLevel, code: string, message: string) => void;
  readonly log: PinoLogger;
}

/** The IST day [start, end) of an instant, in epoch ms. */
function istDayBounds(nowMs: number): { readonly startMs: number; readonly endMs: number } {
  const day = istDate(nowMs);
  const startMs = Date.parse(`${day}T00:00:00+05:30`);
  return { startMs, endMs: startMs + 86_400_000 };
}

/**
 * Reconciles the recovered orders with the broker, applies the plan through the kernel, raises its alerts, arms the
 * recheck of orders too recent to judge and makes every open order known to the client. Returns the plan.
 */
async function reconcileAtStart(c: ReconcileContext): Promise<ReconcilePlan> {
  const nowMs = c.clock.now();
  const { startMs, endMs } = istDayBounds(nowMs);
  const open = await c.store.orders.listNonTerminal(c.accountId);
  const today = await c.store.orders.listBetween(c.accountId, startMs, endMs);
  const knownIntentIds = [...today, ...open].map((o) => o.intentId);
  const orderPlan = await reconcileWithBroker(c.rest, {
    accountId: c.accountId,
    nowMs,
    orders: open,
    knownIntentIds,
  });
  await applyPlan(c, orderPlan, null);
  // Positions are compared once the broker's fills of our orders are applied, not before.
  const plan: ReconcilePlan = {
    ...orderPlan,
    positionMismatches: positionMismatches(
      await c.store.positions.list(c.accountId),
      (await c.rest.getPositions()).net,
    ),
  };
  c.log.info(
    {
      openOrders: open.length,
      reports: plan.reports.length,
      notPlaced: plan.notPlaced.length,
      pending: plan.pending.length,
      flagged: plan.flagged.length,
      external: plan.external.length,
      positionMismatches: plan.positionMismatches.length,
    },
    'reconciled with the broker',
  );
  for (const x of plan.external) {
    c.alert(
      'warning',
      'external-order',
      `broker order ${x.venueOrderId} (${x.side} ${x.qty} ${x.exchange}:${x.tradingsymbol}, ${x.status}) was placed outside KitePilot: shown read-only, never managed`,
    );
  }
  for (const m of plan.positionMismatches) {
    c.alert(
      'critical',
      'position-mismatch',
      `position ${m.exchange}:${m.tradingsymbol} ${m.product}: ours ${m.ourQty}, the broker's ${m.brokerQty}`,
    );
  }
  scheduleRecheck(c, plan);
  c.client.track(await c.store.orders.listNonTerminal(c.accountId));
  return plan;
}

/** Pushes the plan's reports (only those of `only` when given) into the kernel and alerts its flagged orders. */
async function applyPlan(
  c: ReconcileContext,
  plan: ReconcilePlan,
  only: ReadonlySet<string> | null,
): Promise<void> {
  for (const report of plan.reports) {
    if (only !== null && !only.has(report.clientOrderId ?? '')) continue;
    c.kernel.push({ kind: 'execution', report });
  }
  await c.kernel.idle();
  for (const f of plan.flagged) {
    if (only !== null && (f.order === null || !only.has(f.order.clientOrderId))) continue;
    c.alert('critical', `reconcile-${f.kind}`, f.message);
  }
}

/** Reconciles the orders of `plan.pending` again once their grace period is over (repeatedly while needed). */
function scheduleRecheck(c: ReconcileContext, plan: ReconcilePlan): void {
  if (plan.pending.length === 0) return;
  const atMs = Math.max(...plan.pending.map((p) => p.recheckAtMs));
  const ids = new Set<string>(plan.pending.map((p) => p.order.clientOrderId));
  c.log.info(
    { orders: [...ids], atMs: formatIst(atMs) },
    'orders too recent to judge: reconciling again later',
  );
  c.clock.setTimer(RECHECK_TIMER, atMs, () => {
    void recheck(c, ids).catch((error: unknown) => {
      c.log.error({ err: error, orders: [...ids] }, 'reconciling recent orders again failed');
      c.alert(
        'critical',
        'reconcile-failed',
        `reconciling orders ${[...ids].join(', ')} again failed: ${(error as Error).message}`,
      );
    });
  });
}

async function recheck(c: ReconcileContext, ids: ReadonlySet<string>): Promise<void> {
  if (c.kernel.failed) return;
  const awaiting: Order[] = c.orders.ordersAwaitingReconciliation().filter((o) => ids.has(o.clientOrderId));
  if (awaiting.length === 0) return;
  const plan = await reconcileWithBroker(c.rest, {
    accountId: c.accountId,
    nowMs: c.clock.now(),
    orders: awaiting,
  });
  await applyPlan(c, plan, ids);
  c.client.track(c.orders.ordersAwaitingReconciliation());
  scheduleRecheck(c, plan);
}
