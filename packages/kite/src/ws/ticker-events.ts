import type { Logger, Tick } from '@kitepilot/core';
import type { TickerDecodeError } from '../parse/decode-ticker-message.ts';
import type { KiteOrderUpdate } from '../parse/order-update.ts';

/** A window in which a connection delivered no data (epoch ms from the injected Clock). */
export interface TickerGap {
  /** When the connection was found dead (close, error, or watchdog). */
  readonly disconnectedAt: number;
  /** When it was open again; null while it is still down. */
  readonly reconnectedAt: number | null;
  /** When the last message (tick or heartbeat) arrived before the drop: the safe start for gap repair. */
  readonly lastMessageAt: number | null;
}

/** A connection opened (and was resubscribed). */
export interface TickerConnectedEvent {
  readonly connection: number;
  readonly connectedAt: number;
  /** The outage this connection ends, or null on the first connection. */
  readonly gap: TickerGap | null;
  /** The instruments (re)subscribed on this connection. */
  readonly tokens: readonly number[];
}

/** A connection went down; data for its instruments is missing until it reconnects. */
export interface TickerDisconnectedEvent {
  readonly connection: number;
  readonly reason: string;
  readonly gap: TickerGap;
  readonly tokens: readonly number[];
  /** False after close() or a session expiry. */
  readonly willReconnect: boolean;
}

/** The next reconnect attempt is scheduled. */
export interface TickerReconnectingEvent {
  readonly connection: number;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

/** The handshake was refused with 403: the access token expired (kite-connect.md §5.1). */
export interface TickerSessionExpiredEvent {
  readonly connection: number;
  readonly at: number;
  readonly status: number;
}

/** A problem that did not stop the ticker: a malformed text message, a throwing listener, a send failure. */
export interface TickerProblemEvent {
  readonly connection: number | null;
  readonly message: string;
  readonly cause?: unknown;
}

/** Every event of KiteTickerClient and the arguments its listeners receive. */
export interface KiteTickerEvents {
  /** The ticks of one binary frame. */
  ticks: [ticks: Tick[], connection: number];
  orderUpdate: [update: KiteOrderUpdate];
  /** A `{"type":"error"}` text message (the official client ignores these). */
  brokerError: [message: string, connection: number];
  /** A `{"type":"message"}` text message. */
  brokerMessage: [data: unknown, connection: number];
  connected: [event: TickerConnectedEvent];
  disconnected: [event: TickerDisconnectedEvent];
  reconnecting: [event: TickerReconnectingEvent];
  sessionExpired: [event: TickerSessionExpiredEvent];
  /** Malformed parts of a binary frame (the rest of the frame was still delivered). */
  decodeErrors: [errors: TickerDecodeError[], connection: number];
  problem: [event: TickerProblemEvent];
}

/** A listener of event `E`. */
export type KiteTickerListener<E extends keyof KiteTickerEvents> = (...args: KiteTickerEvents[E]) => void;

type AnyListener = (...args: unknown[]) => void;

/**
 * A typed event emitter that isolates listeners: a listener that throws is reported as a `problem`
 * (or logged, if a `problem` listener throws) and never reaches the socket handler that emitted.
 */
export class TickerEmitter {
  readonly #listeners = new Map<keyof KiteTickerEvents, AnyListener[]>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Adds a listener. */
  on<E extends keyof KiteTickerEvents>(event: E, listener: KiteTickerListener<E>): void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as unknown as AnyListener);
    this.#listeners.set(event, list);
  }

  /** Removes a listener added with on(). */
  off<E extends keyof KiteTickerEvents>(event: E, listener: KiteTickerListener<E>): void {
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    const i = list.indexOf(listener as unknown as AnyListener);
    if (i >= 0) list.splice(i, 1);
  }

  /** Returns true when `event` has a listener. */
  has(event: keyof KiteTickerEvents): boolean {
    return (this.#listeners.get(event)?.length ?? 0) > 0;
  }

  /** Calls every listener of `event`; never throws. */
  emit<E extends keyof KiteTickerEvents>(event: E, ...args: KiteTickerEvents[E]): void {
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    for (const listener of [...list]) {
      try {
        listener(...(args as unknown[]));
      } catch (error) {
        this.#listenerFailed(event, error);
      }
    }
  }

  #listenerFailed(event: keyof KiteTickerEvents, error: unknown): void {
    const message = `a ${event} listener threw: ${error instanceof Error ? error.message : String(error)}`;
    if (event === 'problem') {
      this.#logger.error({ err: error, event }, message);
      return;
    }
    this.emit('problem', { connection: null, message, cause: error });
  }
}
