// The live stream's hub (issue 7 §5): it listens to what the process already publishes — the trading kernel's bus
// (ticks, bars, orders, fills, positions, alerts, controls) and the market feed's last ticks and ticker state — and
// fans it out to the connected clients. Publishing is synchronous and O(watchers): a frame is serialised once and
// handed to each client, which sends it or queues it (live-client.ts); nothing awaits a socket. P&L and exposure are
// recomputed at most every `pnlIntervalMs` after something moved them; the connection state is checked every
// `statusIntervalMs` (also picking up a trading environment started or stopped since). The database is read only
// for the snapshot of a new connection.
import type { WebSocket } from '@fastify/websocket';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { LIVE_MAX_INSTRUMENTS } from '@kitepilot/api-contract';
import type { AccountId, BarInterval, Clock } from '@kitepilot/core';
import type { TradingControls } from '@kitepilot/engine';
import type { Store } from '@kitepilot/store';
import { LIVE_CLOSE, LiveClient, type LiveClientLimits, type LiveDisconnectReason } from './live-client.ts';
import { readLiveRequest, type LiveRequest } from './live-client-message.ts';
import {
  alertFrame,
  barFrame,
  connectionFrame,
  errorFrame,
  exposureFrame,
  fillFrame,
  orderFrame,
  pnlFrame,
  pongFrame,
  positionFrame,
  tickFrame,
  type LiveBody,
} from './live-messages.ts';
import { registerLiveMetrics, type LiveMetrics } from './live-metrics.ts';
import type { LiveFrame } from './live-outbox.ts';
import { connectionBody, snapshotFrames } from './live-snapshot.ts';
import type { LiveSources, LiveTradingSource } from './live-sources.ts';
import { LiveWatchers } from './live-watchers.ts';

/** The hub's limits and intervals. */
export interface LiveHubTuning extends LiveClientLimits {
  /** Server ping interval; a socket that did not answer the previous ping is terminated. */
  readonly heartbeatMs: number;
  /** How often clients with waiting frames are flushed. */
  readonly flushIntervalMs: number;
  /** How often P&L and exposure are recomputed when something moved them. */
  readonly pnlIntervalMs: number;
  /** How often the connection state (and the trading slot) is checked. */
  readonly statusIntervalMs: number;
  /** The most orders and fills of today the snapshot sends (the newest). */
  readonly snapshotLimit: number;
}

/** The defaults: ping every 15 s, 1 MiB high-water mark, 5 000 waiting frames at most. */
export const DEFAULT_LIVE_TUNING: LiveHubTuning = {
  highWaterBytes: 1_048_576,
  maxOutbox: 5000,
  maxBadMessages: 20,
  badMessageWindowMs: 10_000,
  heartbeatMs: 15_000,
  flushIntervalMs: 25,
  pnlIntervalMs: 250,
  statusIntervalMs: 1000,
  snapshotLimit: 500,
};

/** What a LiveHub takes. */
export interface LiveHubOptions {
  readonly clock: Clock;
  readonly logger: PinoLogger;
  /** The live metrics are registered here. */
  readonly metrics: Registry;
  /** Read for the snapshot of a new connection. */
  readonly store: Pick<Store, 'orders' | 'fills' | 'positions'>;
  /** The bar intervals the process builds (what a subscription may ask for). */
  readonly barIntervals: readonly BarInterval[];
  /** Returns the current inputs; the same object while they do not change. */
  readonly sources: () => LiveSources;
  readonly tuning?: Partial<LiveHubTuning>;
}

/** Counts of a running hub, for tests and status pages. */
export interface LiveHubStats {
  readonly clients: number;
  readonly backlogged: number;
  /** Frames waiting in the clients' outboxes. */
  readonly pending: number;
  readonly coalesced: number;
  readonly disconnects: Readonly<Partial<Record<LiveDisconnectReason, number>>>;
}

const NO_SOURCES: LiveSources = { trading: null, market: null };

/** The broker link as the engine's alerts report it (order-manager.ts: BrokerConnected, BrokerDisconnected, …). */
const BROKER_LINK_BY_ALERT: Readonly<Record<string, string>> = {
  'broker-connected': 'connected',
  'broker-disconnected': 'disconnected',
  'session-expired': 'session-expired',
};

/** Alerts after which the connection state is sent again (the degraded flag changed). */
const STATUS_ALERTS = new Set(['degraded-to-paper', 'restored-from-paper']);

/** Fans the process's live events out to WebSocket clients (see the file header). */
export class LiveHub {
  readonly #o: LiveHubOptions;
  readonly #tuning: LiveHubTuning;
  readonly #log: PinoLogger;
  readonly #metrics: LiveMetrics;
  readonly #clients = new Set<LiveClient>();
  readonly #byAccount = new Map<AccountId, Set<LiveClient>>();
  readonly #watchers = new LiveWatchers();
  readonly #backlogged = new Set<LiveClient>();
  readonly #lastConnection = new Map<AccountId, string>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #disconnects: Partial<Record<LiveDisconnectReason, number>> = {};
  #attached: LiveSources = NO_SOURCES;
  #detach: (() => void)[] = [];
  #controls: TradingControls | null = null;
  /** The broker link of live trading: connected at start (reconciliation reached the broker), then per alerts. */
  #brokerLink = 'connected';
  #pnlDirty = false;
  #coalesced = 0;
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  #closed = false;

  /** Creates a hub and registers its metrics; `start()` starts its timers. */
  constructor(options: LiveHubOptions) {
    this.#o = options;
    this.#tuning = { ...DEFAULT_LIVE_TUNING, ...options.tuning };
    this.#log = options.logger.child({ component: 'live' });
    this.#metrics = registerLiveMetrics(options.metrics, () => this.#clients.size);
  }

  /** Starts the heartbeat, flush, P&L and status timers and attaches to the current sources. */
  start(): void {
    const every = (ms: number, run: () => void): void => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#tuning.heartbeatMs, () => this.#heartbeat());
    every(this.#tuning.flushIntervalMs, () => this.#flushBacklogged());
    every(this.#tuning.pnlIntervalMs, () => this.#publishPnl());
    every(this.#tuning.statusIntervalMs, () => void this.refreshStatus());
    this.#sync();
  }

  /** Returns the counts now. */
  stats(): LiveHubStats {
    return {
      clients: this.#clients.size,
      backlogged: this.#backlogged.size,
      pending: [...this.#clients].reduce((sum, c) => sum + c.pending, 0),
      coalesced: this.#coalesced,
      disconnects: { ...this.#disconnects },
    };
  }

  /**
   * Takes a new connection of `accountId`: sends `hello`, `connection` and the account's snapshot, then live
   * messages (those published while the snapshot was read follow it). Resolves when the snapshot is queued.
   */
  async connect(socket: WebSocket, accountId: AccountId): Promise<void> {
    if (this.#closed) {
      socket.close(LIVE_CLOSE.goingAway, 'server shutting down');
      return;
    }
    const client = new LiveClient(socket, accountId, this.#tuning, {
      onCoalesced: (type) => {
        this.#coalesced++;
        this.#metrics.coalesced(type);
      },
      onBacklog: (c) => this.#backlogged.add(c),
      onClosed: (c, reason) => this.#forget(c, reason),
    });
    this.#clients.add(client);
    let account = this.#byAccount.get(accountId);
    if (account === undefined) this.#byAccount.set(accountId, (account = new Set()));
    account.add(client);
    socket.on('message', (data, isBinary) => this.#onMessage(client, isBinary ? null : String(data)));
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => client.socketClosed());
    this.#sync();
    try {
      await this.#sendSnapshot(client);
    } catch (error) {
      this.#log.error({ err: error, accountId }, 'live snapshot failed');
      client.close(LIVE_CLOSE.internalError, 'the snapshot could not be read; reconnect', 'server');
      return;
    }
    client.release();
  }

  /**
   * Checks the sources (re-attaching when trading started or stopped) and sends a `connection` message to each
   * account whose connection state changed.
   */
  async refreshStatus(): Promise<void> {
    if (this.#refreshing !== null) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          this.#sync();
          const accounts = [...this.#byAccount.keys()];
          const bodies = await Promise.all(accounts.map((id) => this.#connectionBody(id)));
          accounts.forEach((id, i) => {
            const frame = connectionFrame(bodies[i] as LiveBody<'connection'>);
            if (this.#lastConnection.get(id) === frame.state) return;
            this.#lastConnection.set(id, frame.state);
            this.#toAccount(id, frame);
          });
        } while (this.#refreshAgain && !this.#closed);
      } catch (error) {
        this.#log.error({ err: error }, 'live connection state failed');
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  /** Stops the timers, detaches from the sources, closes every client with 1001 and removes the metrics. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.length = 0;
    this.#attach(NO_SOURCES);
    for (const client of [...this.#clients]) {
      client.close(LIVE_CLOSE.goingAway, 'server shutting down', 'server');
    }
    this.#metrics.remove();
  }

  #sync(): void {
    if (this.#closed) return;
    const sources = this.#o.sources();
    if (sources === this.#attached) return;
    this.#attach(sources);
    // Clients learn at once that trading started or stopped, and get the account's P&L when it did.
    this.#pnlDirty = sources.trading !== null;
    void this.refreshStatus();
  }

  #attach(sources: LiveSources): void {
    for (const detach of this.#detach) detach();
    this.#detach = [];
    this.#attached = sources;
    const trading = sources.trading;
    this.#controls = trading?.controls() ?? null;
    this.#brokerLink = 'connected';
    if (trading === null) return;
    const bus = trading.bus;
    this.#detach = [
      bus.subscribe('tick', (t) => {
        const watchers = this.#watchers.ofTicks(t.instrumentId);
        if (watchers.size > 0) {
          const frame = tickFrame(t);
          for (const client of watchers) client.deliver(frame);
        }
        if (trading.portfolio.hasOpenPosition(t.instrumentId)) this.#pnlDirty = true;
      }),
      bus.subscribe('bar', (bar) => {
        const watchers = this.#watchers.ofBars(bar.instrumentId, bar.interval);
        if (watchers.size === 0) return;
        const frame = barFrame(bar);
        for (const client of watchers) client.deliver(frame);
      }),
      bus.subscribe('order', (update) => {
        if (update.order !== null) {
          this.#toAccount(update.order.accountId, orderFrame(update.order, update.event.type, false));
        } else if (update.event.type === 'OrderDenied') {
          const e = update.event;
          this.#toAccount(
            e.accountId,
            alertFrame({
              level: 'warning',
              code: 'order-denied',
              message: `intent ${e.intentId} of ${e.strategyId} denied: ${e.reason}`,
              strategyId: e.strategyId,
              ts: e.tsEvent,
            }),
          );
        }
      }),
      bus.subscribe('fill', (fill) => {
        this.#toAccount(fill.accountId, fillFrame(fill, false));
        this.#pnlDirty = true;
      }),
      bus.subscribe('position', (position) => {
        this.#toAccount(position.accountId, positionFrame(position, false));
        this.#pnlDirty = true;
      }),
      bus.subscribe('alert', (alert) => {
        this.#toAccount(trading.accountId, alertFrame(alert));
        const link = BROKER_LINK_BY_ALERT[alert.code];
        if (link !== undefined) this.#brokerLink = link;
        if (link !== undefined || STATUS_ALERTS.has(alert.code)) void this.refreshStatus();
      }),
      // The engine alerts on the kill switch, halts and resumes itself; the connection state carries the result.
      bus.subscribe('controls', (controls) => {
        this.#controls = controls;
        void this.refreshStatus();
      }),
    ];
  }

  #toAccount(accountId: AccountId, frame: LiveFrame): void {
    const clients = this.#byAccount.get(accountId);
    if (clients === undefined) return;
    for (const client of clients) client.deliver(frame);
  }

  #publishPnl(): void {
    const trading = this.#attached.trading;
    if (!this.#pnlDirty || trading === null) return;
    this.#pnlDirty = false;
    if (!this.#byAccount.has(trading.accountId)) return;
    const now = this.#o.clock.now();
    this.#toAccount(trading.accountId, this.#pnl(trading, now, false));
    this.#toAccount(trading.accountId, exposureFrame(trading.accountId, trading.portfolio, now, false));
  }

  #pnl(trading: LiveTradingSource, now: number, snapshot: boolean): LiveFrame {
    return pnlFrame(trading.accountId, trading.portfolio, trading.dailyLossCapPaise, now, snapshot);
  }

  #heartbeat(): void {
    for (const client of [...this.#clients]) client.heartbeat();
  }

  #flushBacklogged(): void {
    for (const client of [...this.#backlogged]) {
      if (client.flush()) this.#backlogged.delete(client);
    }
  }

  #forget(client: LiveClient, reason: LiveDisconnectReason): void {
    this.#clients.delete(client);
    this.#backlogged.delete(client);
    const account = this.#byAccount.get(client.accountId);
    account?.delete(client);
    if (account !== undefined && account.size === 0) {
      this.#byAccount.delete(client.accountId);
      this.#lastConnection.delete(client.accountId);
    }
    this.#watchers.forget(client);
    this.#disconnects[reason] = (this.#disconnects[reason] ?? 0) + 1;
    this.#metrics.disconnected(reason);
  }

  #onMessage(client: LiveClient, data: string | null): void {
    if (client.closed) return;
    const result = readLiveRequest(data, this.#o.barIntervals);
    if (!result.ok) {
      if (client.recordBadMessage(this.#o.clock.now())) {
        client.deliver(errorFrame('BAD_MESSAGE', result.message, result.details));
      }
      return;
    }
    this.#handle(client, result.request);
  }

  #handle(client: LiveClient, request: LiveRequest): void {
    switch (request.type) {
      case 'ping':
        client.deliver(pongFrame(request.id, this.#o.clock.now()));
        return;
      case 'unsubscribe':
        for (const id of request.instruments) this.#watchers.unwatch(client, id);
        return;
      case 'subscribe': {
        const added = request.instruments.filter((id) => !client.watching.has(id));
        const total = client.watching.size + new Set(added).size;
        if (total > LIVE_MAX_INSTRUMENTS) {
          client.deliver(
            errorFrame(
              'BAD_MESSAGE',
              `subscribe: ${total} instruments would be watched; the most is ${LIVE_MAX_INSTRUMENTS}`,
              { watching: client.watching.size, asked: request.instruments.length },
            ),
          );
          return;
        }
        const market = this.#attached.market;
        for (const id of request.instruments) {
          const fresh = this.#watchers.watch(client, id, request.bars);
          // A new watcher gets the last tick at once instead of waiting for the next one.
          const last = fresh ? market?.lastTick(id) : undefined;
          if (last !== undefined) client.deliver(tickFrame({ instrumentId: id, tick: last }));
        }
        return;
      }
    }
  }

  #connectionBody(accountId: AccountId): Promise<LiveBody<'connection'>> {
    return connectionBody(this.#attached, accountId, {
      controls: this.#controls,
      brokerLink: this.#brokerLink,
      nowMs: this.#o.clock.now(),
    });
  }

  async #sendSnapshot(client: LiveClient): Promise<void> {
    const { accountId } = client;
    const connection = await this.#connectionBody(accountId);
    const frames = await snapshotFrames(accountId, connection, {
      store: this.#o.store,
      sources: this.#attached,
      barIntervals: this.#o.barIntervals,
      heartbeatMs: this.#tuning.heartbeatMs,
      limit: this.#tuning.snapshotLimit,
      nowMs: this.#o.clock.now(),
    });
    if (client.closed) return;
    // Other clients of the account may not have this state yet: only a first client's state counts as sent.
    if (!this.#lastConnection.has(accountId)) {
      this.#lastConnection.set(accountId, connectionFrame(connection).state);
    }
    for (const frame of frames) client.deliverSnapshot(frame);
  }
}
