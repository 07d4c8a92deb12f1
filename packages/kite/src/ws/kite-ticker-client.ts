import { noopLogger, type Clock, type Logger, type TickMode } from '@kitepilot/core';
import { kiteOrderUpdateId } from '../parse/order-update-event.ts';
import { TickerDecodeStats } from '../parse/ticker-decode-stats.ts';
import { KiteTickerConnection, type TickerEventSink } from './kite-ticker-connection.ts';
import { DEFAULT_RECONNECT_BACKOFF, type ReconnectBackoff } from './reconnect-backoff.ts';
import {
  InvalidInstrumentTokenError,
  TickerClosedError,
  TickerSubscriptionLimitError,
} from './ticker-errors.ts';
import { TickerEmitter, type KiteTickerEvents, type KiteTickerListener } from './ticker-events.ts';
import { realTickerScheduler, type TickerScheduler } from './ticker-scheduler.ts';

/** The settings of a KiteTickerClient. */
export interface KiteTickerClientOptions {
  /** Ticker root: `wss://ws.kite.trade` (the default) or a simulator's `ws://127.0.0.1:P`. */
  readonly wsUrl?: string;
  readonly apiKey: string;
  readonly accessToken: string;
  /** The source of every event timestamp and tick `tsInit`. */
  readonly clock: Clock;
  /** Timers and monotonic time for the watchdog and backoff (default: Node's real timers). */
  readonly scheduler?: TickerScheduler;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  readonly backoff?: Partial<ReconnectBackoff>;
  /** A connection with no message for this long is dead (default 5000, like the official client). */
  readonly watchdogTimeoutMs?: number;
  /** Handshake timeout (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** Default 3 (kite-connect.md §4). */
  readonly maxConnections?: number;
  /** Default 3000 (kite-connect.md §4). */
  readonly maxTokensPerConnection?: number;
  readonly userAgent?: string;
  /** Last resort for a `problem` listener that throws. */
  readonly logger?: Logger;
}

/** How many recent order-update ids are remembered to drop the copies other connections deliver. */
const ORDER_UPDATE_DEDUPE_WINDOW = 1024;

/**
 * The Kite ticker client: a pool of up to 3 WebSocket connections × 3000 instruments that fills one
 * connection before opening the next, keeps the desired subscriptions and modes itself and restores
 * them after every reconnect, and reports ticks, order updates, broker errors, connection gaps and
 * session expiry as events. It never exits the process and never throws out of a socket handler.
 */
export class KiteTickerClient {
  /** Counters of decoded, skipped and malformed packets over every connection. */
  readonly stats = new TickerDecodeStats();
  readonly #emitter: TickerEmitter;
  readonly #connections: KiteTickerConnection[] = [];
  readonly #tokenConnection = new Map<number, number>();
  /** How many instruments are assigned to each connection index. */
  readonly #assigned: number[] = [];
  readonly #recentOrderUpdates = new Set<string>();
  readonly #options: KiteTickerClientOptions;
  readonly #maxConnections: number;
  readonly #maxTokens: number;
  #accessToken: string;
  #started = false;
  #closed = false;

  constructor(options: KiteTickerClientOptions) {
    this.#options = options;
    this.#accessToken = options.accessToken;
    this.#maxConnections = options.maxConnections ?? 3;
    this.#maxTokens = options.maxTokensPerConnection ?? 3000;
    this.#emitter = new TickerEmitter(options.logger ?? noopLogger);
  }

  /** Adds a listener for `event`. */
  on<E extends keyof KiteTickerEvents>(event: E, listener: KiteTickerListener<E>): this {
    this.#emitter.on(event, listener);
    return this;
  }

  /** Removes a listener. */
  off<E extends keyof KiteTickerEvents>(event: E, listener: KiteTickerListener<E>): this {
    this.#emitter.off(event, listener);
    return this;
  }

  /** Opens the first connection (order updates flow even with no subscriptions) and every one holding instruments. */
  connect(): void {
    this.#assertOpen('connect');
    this.#started = true;
    this.#connection(0).start();
    for (const c of this.#connections) if (c.book.size > 0) c.start();
  }

  /**
   * Subscribes `tokens` in `mode` (default `quote`, Kite's default); already subscribed tokens change
   * mode. Throws TickerSubscriptionLimitError, subscribing nothing, when the new instruments would pass
   * maxConnections × maxTokensPerConnection.
   */
  subscribe(tokens: readonly number[], mode: TickMode = 'quote'): void {
    this.#assertOpen('subscribe');
    const unique = [...new Set(tokens)];
    for (const t of unique) checkToken(t);
    const fresh = unique.filter((t) => !this.#tokenConnection.has(t));
    const capacity = this.#maxConnections * this.#maxTokens;
    if (this.#tokenConnection.size + fresh.length > capacity) {
      throw new TickerSubscriptionLimitError(
        `subscribing ${fresh.length} new instruments would make ${this.#tokenConnection.size + fresh.length}; ` +
          `the ticker allows ${this.#maxConnections} connections × ${this.#maxTokens} = ${capacity} instruments`,
      );
    }
    const perConnection = new Map<number, number[]>();
    for (const t of unique) {
      const index = this.#tokenConnection.get(t) ?? this.#assign(t);
      const list = perConnection.get(index);
      if (list === undefined) perConnection.set(index, [t]);
      else list.push(t);
    }
    for (const [index, list] of perConnection) {
      const c = this.#connection(index);
      c.subscribe(list, mode);
      if (this.#started) c.start();
    }
  }

  /** Sets the mode of `tokens`, subscribing those not yet subscribed (as Kite does, kite-connect.md §5.2). */
  setMode(mode: TickMode, tokens: readonly number[]): void {
    this.subscribe(tokens, mode);
  }

  /** Unsubscribes `tokens`; unknown tokens are ignored. */
  unsubscribe(tokens: readonly number[]): void {
    this.#assertOpen('unsubscribe');
    const perConnection = new Map<number, number[]>();
    for (const t of new Set(tokens)) {
      const index = this.#tokenConnection.get(t);
      if (index === undefined) continue;
      this.#tokenConnection.delete(t);
      this.#assigned[index] = (this.#assigned[index] ?? 0) - 1;
      const list = perConnection.get(index);
      if (list === undefined) perConnection.set(index, [t]);
      else list.push(t);
    }
    for (const [index, list] of perConnection) this.#connection(index).unsubscribe(list);
  }

  /** Returns every subscribed token with its mode. */
  subscriptions(): ReadonlyMap<number, TickMode> {
    const all = new Map<number, TickMode>();
    for (const c of this.#connections) for (const [t, m] of c.book.snapshot()) all.set(t, m);
    return all;
  }

  /** Returns the number of connections created so far and their states. */
  connectionStates(): readonly string[] {
    return this.#connections.map((c) => c.state);
  }

  /** Replaces the access token; connections stopped by a session expiry reconnect with it. */
  setAccessToken(token: string): void {
    this.#assertOpen('setAccessToken');
    this.#accessToken = token;
    for (const c of this.#connections) c.setAccessToken(token);
  }

  /** Closes every connection and cancels every timer; the client cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#connections.map((c) => c.close()));
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new TickerClosedError(`${what}() called on a closed ticker client`);
  }

  #assign(token: number): number {
    for (let i = 0; i < this.#maxConnections; i++) {
      const used = this.#assigned[i] ?? 0;
      if (used < this.#maxTokens) {
        this.#tokenConnection.set(token, i);
        this.#assigned[i] = used + 1;
        return i;
      }
    }
    // subscribe() checked the total capacity first, so a slot always exists.
    throw new TickerSubscriptionLimitError(`no connection has room for instrument ${token}`);
  }

  #connection(index: number): KiteTickerConnection {
    let c = this.#connections[index];
    while (c === undefined) {
      const o = this.#options;
      const created = new KiteTickerConnection({
        index: this.#connections.length,
        wsUrl: o.wsUrl ?? 'wss://ws.kite.trade',
        apiKey: o.apiKey,
        accessToken: this.#accessToken,
        clock: o.clock,
        scheduler: o.scheduler ?? realTickerScheduler,
        random: o.random ?? Math.random,
        backoff: { ...DEFAULT_RECONNECT_BACKOFF, ...o.backoff },
        watchdogTimeoutMs: o.watchdogTimeoutMs ?? 5000,
        connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        userAgent: o.userAgent ?? 'kitepilot',
        stats: this.stats,
        emit: this.#sink,
      });
      this.#connections.push(created);
      c = this.#connections[index];
    }
    return c;
  }

  readonly #sink: TickerEventSink = (event, ...args) => {
    if (event === 'orderUpdate') {
      // Every connection of the user receives the same order updates; deliver each once.
      const [update] = args as KiteTickerEvents['orderUpdate'];
      const id = kiteOrderUpdateId(update);
      if (this.#recentOrderUpdates.has(id)) return;
      this.#recentOrderUpdates.add(id);
      if (this.#recentOrderUpdates.size > ORDER_UPDATE_DEDUPE_WINDOW) {
        const oldest = this.#recentOrderUpdates.values().next().value;
        if (oldest !== undefined) this.#recentOrderUpdates.delete(oldest);
      }
    }
    this.#emitter.emit(event, ...args);
  };
}

function checkToken(token: number): void {
  if (!Number.isSafeInteger(token) || token <= 0 || token > 0xffff_ffff) {
    throw new InvalidInstrumentTokenError(
      `instrument token ${String(token)} is not a positive 32-bit integer`,
    );
  }
}
