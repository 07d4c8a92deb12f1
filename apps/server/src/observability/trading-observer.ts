// Prometheus metrics of the trading path, observed on the bus of each running trading environment: tick lag from
// exchange timestamps, tick → signal / order / acknowledgement latency, orders, broker rejects, fills, missed push
// updates and alerts (counters, so that rates survive restarts of a run), and P&L against the daily loss cap per
// account (gauges read at each scrape). The engine stays free of prom-client: only this server module touches it.
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  isTerminalStatus,
  type IntentId,
  type Order,
  type OrderIntent,
  type StrategyId,
} from '@kitepilot/core';
import { buildRiskSnapshot, worstCaseDailyPnl, type Alert } from '@kitepilot/engine';
import type { TradingEnvironment } from '../trading/trading-environment.ts';
import type { RunningTrading } from '../trading/trading-slot.ts';
import type { PostbackMetrics } from './postback-metrics.ts';
import { TradingLatencyTracker } from './trading-latency-tracker.ts';

/** The metric names the trading observer registers. */
export const TRADING_OBSERVER_METRIC_NAMES = [
  'kitepilot_tick_lag_seconds',
  'kitepilot_tick_to_signal_seconds',
  'kitepilot_tick_to_order_seconds',
  'kitepilot_tick_to_order_ack_seconds',
  'kitepilot_orders_total',
  'kitepilot_broker_rejects_total',
  'kitepilot_fills_total',
  'kitepilot_missed_push_updates_total',
  'kitepilot_alerts_total',
  'kitepilot_pnl_realised_paise',
  'kitepilot_pnl_unrealised_paise',
  'kitepilot_pnl_worst_case_paise',
  'kitepilot_pnl_worst_case_unbounded',
  'kitepilot_loss_cap_paise',
] as const;

/** Seconds: from 100 µs (an in-process tick → signal) to 5 s (a slow broker acknowledgement). */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
/** Seconds: Kite ticks usually arrive within a second of their exchange timestamp. */
const TICK_LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/** What TradingObserver takes. */
export interface TradingObserverOptions {
  readonly registry: Registry;
  /** Monotonic ms for latencies (default performance.now). */
  readonly now?: () => number;
  /** Receives every alert of every trading environment (the AlertNotifier). */
  readonly onAlert?: (alert: Alert, env: TradingEnvironment) => void;
  /** Told of order updates (missed postbacks) and of whether the trading takes postbacks. */
  readonly postbacks?: PostbackMetrics;
}

/** Registers the trading metrics and attaches to each trading environment put into the slot. */
export class TradingObserver {
  readonly #o: TradingObserverOptions;
  readonly #now: () => number;
  readonly #tickLag: Histogram<'namespace'>;
  readonly #toSignal: Histogram<'mode'>;
  readonly #toOrder: Histogram<'mode'>;
  readonly #toAck: Histogram<'mode'>;
  readonly #orders: Counter<'account' | 'mode'>;
  readonly #rejects: Counter<'account' | 'mode'>;
  readonly #fills: Counter<'account' | 'mode'>;
  readonly #missed: Counter<'account'>;
  readonly #alerts: Counter<'level' | 'code'>;
  /** The environment whose P&L the gauges show (the last one attached), with what it needs for the worst case. */
  #current: {
    readonly env: TradingEnvironment;
    readonly intents: Map<IntentId, OrderIntent>;
    readonly strategies: Set<StrategyId>;
  } | null = null;

  /** Registers the metrics on `options.registry`. */
  constructor(options: TradingObserverOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    const registers = [options.registry];
    this.#tickLag = new Histogram({
      name: 'kitepilot_tick_lag_seconds',
      help: 'Time the kernel took up a tick minus its exchange timestamp (simulated seconds in demo mode)',
      labelNames: ['namespace'],
      buckets: TICK_LAG_BUCKETS,
      registers,
    });
    const latency = (name: string, help: string): Histogram<'mode'> =>
      new Histogram({ name, help, labelNames: ['mode'], buckets: LATENCY_BUCKETS, registers });
    this.#toSignal = latency(
      'kitepilot_tick_to_signal_seconds',
      'From the kernel taking up a tick to a signal that tick caused',
    );
    this.#toOrder = latency(
      'kitepilot_tick_to_order_seconds',
      'From the kernel taking up a tick to an order that tick caused being created and handed to execution',
    );
    this.#toAck = latency(
      'kitepilot_tick_to_order_ack_seconds',
      "From the kernel taking up a tick to the broker's acknowledgement (submitted or accepted) of the order it caused",
    );
    this.#orders = new Counter({
      name: 'kitepilot_orders_total',
      help: 'Orders created (each goes to the execution client unless held for acknowledgement)',
      labelNames: ['account', 'mode'],
      registers,
    });
    this.#rejects = new Counter({
      name: 'kitepilot_broker_rejects_total',
      help: 'Orders the broker or exchange rejected (risk denials are not counted here)',
      labelNames: ['account', 'mode'],
      registers,
    });
    this.#fills = new Counter({
      name: 'kitepilot_fills_total',
      help: 'Fills applied to positions',
      labelNames: ['account', 'mode'],
      registers,
    });
    this.#missed = new Counter({
      name: 'kitepilot_missed_push_updates_total',
      help: 'Order changes the orderbook poll found that no postback or WebSocket order update reported',
      labelNames: ['account'],
      registers,
    });
    this.#alerts = new Counter({
      name: 'kitepilot_alerts_total',
      help: 'Alerts raised by trading, by level and code',
      labelNames: ['level', 'code'],
      registers,
    });
    this.#registerPnlGauges(options.registry);
  }

  /** Subscribes to the environment's bus; returns a function that unsubscribes (called when trading stops). */
  attach(running: RunningTrading): () => void {
    const { env } = running;
    const account = env.accountId;
    const mode = env.mode;
    const labels = { account, mode };
    const namespace = env.simulated ? 'simulated' : 'real';
    const intents = new Map<IntentId, OrderIntent>();
    const strategies = new Set<StrategyId>(env.strategies.map((s) => s.id));
    const current = { env, intents, strategies };
    this.#current = current;
    this.#o.postbacks?.expectPostbacks(running.onPostback !== undefined);
    const tracker = new TradingLatencyTracker({
      now: this.#now,
      inputSeq: () => inputCount(env),
      sink: {
        tickToSignal: (s) => this.#toSignal.observe({ mode }, s),
        tickToOrder: (s) => this.#toOrder.observe({ mode }, s),
        tickToAck: (s) => this.#toAck.observe({ mode }, s),
      },
    });
    const { bus } = env;
    const unsubscribe = [
      bus.subscribe('tick', (t) => {
        tracker.onTick();
        const exchangeTs = t.tick.exchangeTs;
        if (exchangeTs !== null) {
          this.#tickLag.observe({ namespace }, Math.max(0, env.kernel.clock.now() - exchangeTs) / 1000);
        }
      }),
      bus.subscribe('signal', () => tracker.onSignal()),
      bus.subscribe('intent', (intent) => {
        intents.set(intent.id, intent);
      }),
      bus.subscribe('order', (update) => {
        tracker.onOrder(update);
        const { event, order } = update;
        if (order !== null) {
          strategies.add(order.strategyId);
          if (isTerminalStatus(order.status)) intents.delete(order.intentId);
        }
        if (event.type === 'OrderInitialized') this.#orders.inc(labels);
        else if (event.type === 'OrderRejected') this.#rejects.inc(labels);
        if (order !== null) this.#o.postbacks?.onOrder(order);
      }),
      bus.subscribe('fill', () => this.#fills.inc(labels)),
      bus.subscribe('alert', (alert) => {
        this.#alerts.inc({ level: alert.level, code: alert.code });
        if (alert.code === 'missed-order-update') this.#missed.inc({ account });
        this.#o.onAlert?.(alert, env);
      }),
    ];
    // Zero series exist from the start, so that rate() and the dashboards see the account before its first order.
    this.#orders.inc(labels, 0);
    this.#rejects.inc(labels, 0);
    this.#fills.inc(labels, 0);
    this.#missed.inc({ account }, 0);
    return () => {
      for (const off of unsubscribe) off();
      if (this.#current === current) this.#current = null;
    };
  }

  #registerPnlGauges(registry: Registry): void {
    const registers = [registry];
    const gauge = (name: string, help: string, collect?: () => void): Gauge<'account'> =>
      new Gauge({ name, help, labelNames: ['account'], registers, ...(collect ? { collect } : {}) });
    // Registered first: prom-client collects in registration order, so this one refresh serves every P&L gauge.
    const realised = gauge(
      'kitepilot_pnl_realised_paise',
      "Today's realised P&L net of charges (paise)",
      () => refresh(),
    );
    const unrealised = gauge(
      'kitepilot_pnl_unrealised_paise',
      'Unrealised P&L of open positions at their marks (paise)',
    );
    const worst = gauge(
      'kitepilot_pnl_worst_case_paise',
      'Realised P&L + every open position at its stop + the entry part of every working order at its stop ' +
        '(paise; new entries are refused once this would go below minus the cap)',
    );
    const unbounded = gauge(
      'kitepilot_pnl_worst_case_unbounded',
      'Some open risk has no bound (e.g. a short without a stop), so the worst case has no value (1)',
    );
    const cap = gauge('kitepilot_loss_cap_paise', 'The daily loss cap (paise, positive)');
    const refresh = (): void => {
      for (const g of [realised, unrealised, worst, unbounded, cap]) g.reset();
      const current = this.#current;
      if (current === null) return;
      const { env } = current;
      const labels = { account: env.accountId };
      realised.set(labels, env.portfolio.realisedNetTodayPaise());
      unrealised.set(labels, env.portfolio.totalUnrealisedPnlPaise());
      cap.set(labels, env.limits.dailyLossCapPaise);
      const total = worstCaseOf(current).totalPaise;
      unbounded.set(labels, total === null ? 1 : 0);
      if (total !== null) worst.set(labels, Number(total));
    };
  }
}

/** Returns the number of inputs the kernel has handled (the input being handled included). */
function inputCount(env: TradingEnvironment): number {
  const inputs = env.kernel.stats().inputs;
  let n = 0;
  for (const count of Object.values(inputs)) n += count;
  return n;
}

/** Returns the worst case of the day (DESIGN.md invariant 4) from the environment's portfolio and working orders. */
function worstCaseOf(current: {
  readonly env: TradingEnvironment;
  readonly intents: ReadonlyMap<IntentId, OrderIntent>;
  readonly strategies: ReadonlySet<StrategyId>;
}): ReturnType<typeof worstCaseDailyPnl> {
  const { env, intents } = current;
  const working: Order[] = [];
  for (const strategyId of current.strategies)
    working.push(...env.orders.openOrders(env.accountId, strategyId));
  const snapshot = buildRiskSnapshot({
    nowMs: env.kernel.clock.now(),
    origin: 'system',
    killSwitch: false,
    haltedReason: null,
    tradingDay: true,
    positionClosing: false,
    instrumentId: null,
    instrument: () => null,
    band: () => null,
    portfolio: env.portfolio,
    workingOrders: working,
    // An order recovered from before this process has no intent seen here: no stop, the conservative reading.
    intent: (o) => intents.get(o.intentId) ?? null,
    recentOrderTimesMs: [],
    ordersToday: 0,
  });
  return worstCaseDailyPnl(snapshot);
}
