import type { Clock, TickMode } from '@kitepilot/core';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { decodeTickerMessage, decodeTickerMessageDetailed } from '../parse/decode-ticker-message.ts';
import type { TickerDecodeStats } from '../parse/ticker-decode-stats.ts';
import { reconnectDelayMs, type ReconnectBackoff } from './reconnect-backoff.ts';
import { SubscriptionBook } from './subscription-book.ts';
import type { KiteTickerEvents, TickerGap } from './ticker-events.ts';
import type { TickerScheduler, TickerTimer } from './ticker-scheduler.ts';
import { parseTickerTextMessage } from './ticker-text-message.ts';

/** Where a connection delivers what it receives (the pool's emitter). */
export type TickerEventSink = <E extends keyof KiteTickerEvents>(
  event: E,
  ...args: KiteTickerEvents[E]
) => void;

/** The settings of one ticker connection. */
export interface KiteTickerConnectionOptions {
  readonly index: number;
  /** Ticker root, e.g. `wss://ws.kite.trade` or the simulator's `ws://127.0.0.1:P`. */
  readonly wsUrl: string;
  readonly apiKey: string;
  readonly accessToken: string;
  readonly clock: Clock;
  readonly scheduler: TickerScheduler;
  readonly random: () => number;
  readonly backoff: ReconnectBackoff;
  readonly watchdogTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly userAgent: string;
  readonly stats: TickerDecodeStats;
  readonly emit: TickerEventSink;
}

/** The lifecycle state of a connection. */
export type TickerConnectionState = 'idle' | 'connecting' | 'open' | 'waiting' | 'session-expired' | 'closed';

/**
 * One ticker WebSocket: connects with the §5.1 URL and headers, keeps its desired subscriptions and
 * modes and re-sends them after every (re)connect, treats `watchdogTimeoutMs` without any message as a
 * dead socket, and reconnects with capped exponential backoff and jitter for as long as it is not
 * closed. A 403 at the handshake stops it until setAccessToken(). It never exits the process.
 */
export class KiteTickerConnection {
  readonly book = new SubscriptionBook();
  readonly #o: KiteTickerConnectionOptions;
  #accessToken: string;
  #state: TickerConnectionState = 'idle';
  #socket: WebSocket | null = null;
  #attempt = 0;
  #retryTimer: TickerTimer | null = null;
  #watchdogTimer: TickerTimer | null = null;
  #lastMessageMono = 0;
  #lastMessageAt: number | null = null;
  /** The outage in progress, reported with the next `connected`. */
  #gap: TickerGap | null = null;
  #closed: Promise<void> | null = null;

  constructor(options: KiteTickerConnectionOptions) {
    this.#o = options;
    this.#accessToken = options.accessToken;
  }

  /** Returns the current state. */
  get state(): TickerConnectionState {
    return this.#state;
  }

  /** Opens the socket if it is idle. */
  start(): void {
    if (this.#state === 'idle') this.#open();
  }

  /** Replaces the access token; a connection stopped by a session expiry reconnects with it at once. */
  setAccessToken(token: string): void {
    this.#accessToken = token;
    if (this.#state === 'session-expired') {
      this.#attempt = 0;
      this.#open();
    }
  }

  /** Subscribes `tokens` in `mode` (Kite subscribes on a mode message too, kite-connect.md §5.2). */
  subscribe(tokens: readonly number[], mode: TickMode): void {
    if (tokens.length === 0) return;
    this.book.set(tokens, mode);
    this.#send({ a: 'subscribe', v: tokens });
    this.#send({ a: 'mode', v: [mode, tokens] });
  }

  /** Unsubscribes `tokens`. */
  unsubscribe(tokens: readonly number[]): void {
    if (tokens.length === 0) return;
    this.book.remove(tokens);
    this.#send({ a: 'unsubscribe', v: tokens });
  }

  /** Closes the socket for good and cancels every timer; resolves once the socket is closed. */
  close(): Promise<void> {
    if (this.#closed !== null) return this.#closed;
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (wasOpen) this.#reportDisconnect('closed by the client', false);
    this.#closed =
      socket === null || socket.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.terminate();
          });
    return this.#closed;
  }

  #url(): string {
    const url = new URL(this.#o.wsUrl);
    url.searchParams.set('api_key', this.#o.apiKey);
    url.searchParams.set('access_token', this.#accessToken);
    return url.toString();
  }

  #open(): void {
    this.#state = 'connecting';
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url(), {
        headers: { 'X-Kite-Version': '3', 'User-Agent': this.#o.userAgent },
        handshakeTimeout: this.#o.connectTimeoutMs,
        perMessageDeflate: false,
      });
    } catch (error) {
      // An unusable URL would fail the same way on every retry; report it and keep retrying anyway,
      // since the ticker must never stop on its own (only close() and a 403 stop it).
      this.#o.emit('problem', {
        connection: this.#o.index,
        message: `cannot open the ticker socket`,
        cause: error,
      });
      this.#scheduleReconnect('the socket could not be created');
      return;
    }
    this.#socket = socket;
    let refusedStatus: number | null = null;
    socket.on('unexpected-response', (_req, res: IncomingMessage) => {
      refusedStatus = res.statusCode ?? 0;
      res.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      if (this.#socket === socket) this.#onOpen();
    });
    socket.on('message', (data, isBinary) => {
      if (this.#socket === socket) this.#onMessage(data, isBinary);
    });
    socket.on('error', (error) => {
      if (this.#socket !== socket) return;
      if (refusedStatus === null) {
        this.#onGone(`socket error: ${error.message}`);
      }
    });
    socket.on('close', (code) => {
      if (this.#socket !== socket) return;
      if (refusedStatus === 403) this.#onSessionExpired(refusedStatus);
      else if (refusedStatus !== null) this.#onGone(`handshake refused with HTTP ${refusedStatus}`);
      else this.#onGone(`socket closed with code ${code}`);
    });
  }

  #onOpen(): void {
    this.#state = 'open';
    this.#attempt = 0;
    const now = this.#o.clock.now();
    this.#lastMessageMono = this.#o.scheduler.now();
    this.#lastMessageAt = now;
    this.#armWatchdog(this.#o.watchdogTimeoutMs);
    const tokens = this.book.tokens();
    if (tokens.length > 0) {
      this.#send({ a: 'subscribe', v: tokens });
      for (const [mode, group] of this.book.byMode()) this.#send({ a: 'mode', v: [mode, group] });
    }
    const gap = this.#gap === null ? null : { ...this.#gap, reconnectedAt: now };
    this.#gap = null;
    this.#o.emit('connected', { connection: this.#o.index, connectedAt: now, gap, tokens });
  }

  #onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    this.#lastMessageMono = this.#o.scheduler.now();
    const now = this.#o.clock.now();
    this.#lastMessageAt = now;
    const index = this.#o.index;
    try {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (isBinary) {
        const stats = this.#o.stats;
        const malformedBefore = stats.malformedFrames + stats.malformedPackets;
        const ticks = decodeTickerMessage(bytes, now, stats);
        if (ticks.length > 0) this.#o.emit('ticks', ticks, index);
        if (stats.malformedFrames + stats.malformedPackets !== malformedBefore) {
          this.#o.emit('decodeErrors', decodeTickerMessageDetailed(bytes, now).errors, index);
        }
        return;
      }
      const message = parseTickerTextMessage(bytes.toString('utf8'));
      switch (message.kind) {
        case 'order':
          this.#o.emit('orderUpdate', message.update);
          return;
        case 'error':
          this.#o.emit('brokerError', message.message, index);
          return;
        case 'message':
          this.#o.emit('brokerMessage', message.data, index);
          return;
        case 'invalid':
          this.#o.emit('problem', { connection: index, message: message.reason, cause: message.cause });
          return;
      }
    } catch (error) {
      this.#o.emit('problem', {
        connection: index,
        message: 'a ticker message could not be handled',
        cause: error,
      });
    }
  }

  #armWatchdog(delayMs: number): void {
    if (this.#watchdogTimer !== null) this.#o.scheduler.clearTimeout(this.#watchdogTimer);
    this.#watchdogTimer = this.#o.scheduler.setTimeout(() => this.#checkLiveness(), delayMs);
  }

  #checkLiveness(): void {
    this.#watchdogTimer = null;
    if (this.#state !== 'open') return;
    const silentMs = this.#o.scheduler.now() - this.#lastMessageMono;
    if (silentMs < this.#o.watchdogTimeoutMs) {
      this.#armWatchdog(this.#o.watchdogTimeoutMs - silentMs);
      return;
    }
    // A silent socket may never close by itself (kite-connect.md §8.4): drop it and reconnect.
    const socket = this.#socket;
    this.#onGone(`no message for ${Math.round(silentMs)} ms (watchdog ${this.#o.watchdogTimeoutMs} ms)`);
    socket?.terminate();
  }

  #onGone(reason: string): void {
    const wasOpen = this.#state === 'open';
    this.#socket = null;
    this.#clearTimers();
    if (this.#state === 'closed' || this.#state === 'session-expired') return;
    if (wasOpen) this.#reportDisconnect(reason, true);
    this.#scheduleReconnect(reason);
  }

  #onSessionExpired(status: number): void {
    const wasOpen = this.#state === 'open';
    this.#socket = null;
    this.#clearTimers();
    this.#state = 'session-expired';
    if (wasOpen) this.#reportDisconnect(`handshake refused with HTTP ${status}`, false);
    this.#o.emit('sessionExpired', { connection: this.#o.index, at: this.#o.clock.now(), status });
  }

  #reportDisconnect(reason: string, willReconnect: boolean): void {
    const gap: TickerGap = {
      disconnectedAt: this.#o.clock.now(),
      reconnectedAt: null,
      lastMessageAt: this.#lastMessageAt,
    };
    this.#gap = gap;
    this.#o.emit('disconnected', {
      connection: this.#o.index,
      reason,
      gap,
      tokens: this.book.tokens(),
      willReconnect,
    });
  }

  #scheduleReconnect(reason: string): void {
    this.#state = 'waiting';
    this.#attempt++;
    const delayMs = reconnectDelayMs(this.#attempt, this.#o.backoff, this.#o.random);
    this.#o.emit('reconnecting', { connection: this.#o.index, attempt: this.#attempt, delayMs, reason });
    this.#retryTimer = this.#o.scheduler.setTimeout(() => {
      this.#retryTimer = null;
      if (this.#state === 'waiting') this.#open();
    }, delayMs);
  }

  #clearTimers(): void {
    if (this.#retryTimer !== null) this.#o.scheduler.clearTimeout(this.#retryTimer);
    if (this.#watchdogTimer !== null) this.#o.scheduler.clearTimeout(this.#watchdogTimer);
    this.#retryTimer = null;
    this.#watchdogTimer = null;
  }

  #send(message: { a: string; v: unknown }): void {
    const socket = this.#socket;
    if (this.#state !== 'open' || socket === null) return; // re-sent from the book on the next open
    socket.send(JSON.stringify(message), (error) => {
      if (error === undefined || error === null) return;
      this.#o.emit('problem', {
        connection: this.#o.index,
        message: `sending ${message.a} failed; the connection will be replaced`,
        cause: error,
      });
      if (this.#socket === socket) {
        this.#onGone(`send failed: ${error.message}`);
        socket.terminate();
      }
    });
  }
}
