// Kite postbacks (kite-connect.md §6) as metrics: the lag of each verified postback (receipt − its
// `order_timestamp`), and missed postbacks — orders whose terminal state (COMPLETE, CANCELLED, REJECTED) reached the
// order manager through the WebSocket or the orderbook poll while no postback of that state arrived within
// `missedAfterMs`. Counted only while the running trading takes postbacks (live Kite trading).
import { Counter, Histogram, type Registry } from 'prom-client';
import { isTerminalStatus, type Clock, type Order } from '@kitepilot/core';
import { IstTimestampError, parseIstTimestamp } from '@kitepilot/kite';

/** The metric names PostbackMetrics registers. */
export const POSTBACK_METRIC_NAMES = [
  'kitepilot_postbacks_total',
  'kitepilot_postback_lag_seconds',
  'kitepilot_missed_postbacks_total',
] as const;

/** Kite's terminal order statuses (kite-connect.md §7). */
const TERMINAL_POSTBACK_STATUSES = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);

/** What PostbackMetrics takes. */
export interface PostbackMetricsOptions {
  readonly registry: Registry;
  /** The server's wall clock (receipt times and deadlines). */
  readonly clock: Clock;
  /** How long after an order's terminal state its postback may still come (default 60 s). */
  readonly missedAfterMs?: number;
  /** Orders remembered at most on either side (oldest forgotten first). */
  readonly maxTracked?: number;
}

const byRegistry = new WeakMap<Registry, PostbackMetrics>();

/** Returns the PostbackMetrics registered on `registry`, or null (the postback route reaches it this way). */
export function postbackMetricsOf(registry: Registry): PostbackMetrics | null {
  return byRegistry.get(registry) ?? null;
}

/** Postback lag and missed-postback metrics of one process. */
export class PostbackMetrics {
  readonly #clock: Clock;
  readonly #missedAfterMs: number;
  readonly #maxTracked: number;
  readonly #received: Counter<'status'>;
  readonly #lag: Histogram;
  readonly #missed: Counter;
  #expecting = false;
  /** Venue order ids whose terminal postback arrived. */
  readonly #terminalPostbacks = new Set<string>();
  /** Venue order ids in a terminal state without a terminal postback yet: the deadline (ms). */
  readonly #awaiting = new Map<string, number>();

  /** Registers the metrics on `options.registry` (one instance per registry). */
  constructor(options: PostbackMetricsOptions) {
    if (byRegistry.has(options.registry)) {
      throw new Error('postback metrics are already registered on this registry');
    }
    this.#clock = options.clock;
    this.#missedAfterMs = options.missedAfterMs ?? 60_000;
    this.#maxTracked = options.maxTracked ?? 10_000;
    const registers = [options.registry];
    this.#received = new Counter({
      name: 'kitepilot_postbacks_total',
      help: 'Verified Kite postbacks received, by order status',
      labelNames: ['status'],
      registers,
    });
    this.#lag = new Histogram({
      name: 'kitepilot_postback_lag_seconds',
      help: "Receipt time of a verified postback minus its order_timestamp (Kite's timestamps have 1 s resolution)",
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    });
    const sweep = (): void => this.sweep();
    this.#missed = new Counter({
      name: 'kitepilot_missed_postbacks_total',
      help:
        'Orders whose terminal state arrived by WebSocket or orderbook poll with no postback of it within the ' +
        'allowed delay (live Kite trading only)',
      registers,
      collect: sweep,
    });
    this.#missed.inc(0);
    byRegistry.set(options.registry, this);
  }

  /** Says whether the running trading takes postbacks (missed ones are counted only then). */
  expectPostbacks(on: boolean): void {
    this.#expecting = on;
    if (!on) {
      this.#awaiting.clear();
      this.#terminalPostbacks.clear();
    }
  }

  /** Records a verified postback body received at `receivedAtMs`; a body without a usable timestamp is only counted. */
  observePostback(body: Readonly<Record<string, unknown>>, receivedAtMs: number): void {
    const status = typeof body['status'] === 'string' ? body['status'] : 'unknown';
    this.#received.inc({
      status: TERMINAL_POSTBACK_STATUSES.has(status) || status === 'OPEN' ? status : 'other',
    });
    const stamp = body['order_timestamp'];
    if (typeof stamp === 'string') {
      try {
        this.#lag.observe(Math.max(0, receivedAtMs - parseIstTimestamp(stamp)) / 1000);
      } catch (error) {
        // A malformed timestamp is the broker's problem, recorded elsewhere (the raw body is stored): no lag sample.
        if (!(error instanceof IstTimestampError)) throw error;
      }
    }
    const orderId = body['order_id'];
    if (typeof orderId === 'string' && TERMINAL_POSTBACK_STATUSES.has(status)) {
      if (!this.#awaiting.delete(orderId)) remember(this.#terminalPostbacks, orderId, this.#maxTracked);
    }
  }

  /** Tells of an order after an update: a terminal one with a venue id waits for its postback. */
  onOrder(order: Order): void {
    if (!this.#expecting || order.venueOrderId === null || !isTerminalStatus(order.status)) return;
    const id = order.venueOrderId;
    if (this.#terminalPostbacks.delete(id) || this.#awaiting.has(id)) return;
    if (this.#awaiting.size >= this.#maxTracked) {
      const oldest = this.#awaiting.keys().next();
      if (oldest.done !== true) this.#awaiting.delete(oldest.value);
    }
    this.#awaiting.set(id, this.#clock.now() + this.#missedAfterMs);
  }

  /** Counts the orders whose postback deadline passed (run at each scrape). */
  sweep(): void {
    const now = this.#clock.now();
    for (const [id, deadline] of this.#awaiting) {
      if (deadline > now) continue;
      this.#awaiting.delete(id);
      this.#missed.inc();
    }
  }
}

function remember(set: Set<string>, id: string, max: number): void {
  if (set.size >= max) {
    const oldest = set.values().next();
    if (oldest.done !== true) set.delete(oldest.value);
  }
  set.add(id);
}
