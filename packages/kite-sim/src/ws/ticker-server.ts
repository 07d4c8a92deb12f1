// The binary ticker on the REST port (HTTP upgrade): 403 at the upgrade for a bad or expired token (§5.1),
// subscribe / unsubscribe / mode messages (§5.2, default mode quote), frames of packets by mode during market
// hours, a one-byte heartbeat, order updates and errors as text messages (§5.6).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '@kitepilot/core';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SessionStore } from '../http/session-store.ts';
import { sessionPoint } from '../market/session-time.ts';
import type { MarketSnapshot, SyntheticMarket } from '../market/synthetic-market.ts';
import { encodeTickerFrame, packetFromSnapshot, type TickerMode } from './ticker-encoder.ts';

/** Instruments one connection may subscribe (§4). */
export const MAX_TOKENS_PER_CONNECTION = 3000;
/** Connections one api key may open (§4). */
export const MAX_CONNECTIONS = 3;

/** What the ticker server needs. */
export interface TickerServerDeps {
  readonly clock: Clock;
  readonly market: SyntheticMarket;
  readonly apiKey: string;
  readonly sessions: SessionStore;
  readonly tickIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  /** Monotonic real time in ms (stalls are real-time). */
  readonly realNow: () => number;
}

interface Connection {
  readonly socket: WebSocket;
  readonly modes: Map<number, TickerMode>;
}

const HEARTBEAT = new Uint8Array([0]);

function reject(socket: Duplex, status: number, reason: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The simulated Kite ticker. */
export class TickerServer {
  readonly #deps: TickerServerDeps;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #timers: NodeJS.Timeout[] = [];
  #stalledUntil = 0;

  /** Creates the server and starts its stream and heartbeat timers. */
  constructor(deps: TickerServerDeps) {
    this.#deps = deps;
    const stream = setInterval(() => this.#streamStep(), deps.tickIntervalMs);
    const heartbeat = setInterval(() => this.#heartbeat(), deps.heartbeatIntervalMs);
    stream.unref();
    heartbeat.unref();
    this.#timers.push(stream, heartbeat);
  }

  /** Returns the number of open ticker connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Accepts or rejects an HTTP upgrade request. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiKey = url.searchParams.get('api_key');
    const accessToken = url.searchParams.get('access_token') ?? '';
    if (
      apiKey !== this.#deps.apiKey ||
      this.#deps.sessions.validate(accessToken, this.#deps.clock.now()) === null
    ) {
      reject(socket, 403, 'Forbidden', 'Invalid api_key or access_token');
      return;
    }
    if (this.#connections.size >= MAX_CONNECTIONS) {
      reject(socket, 429, 'Too Many Requests', `At most ${MAX_CONNECTIONS} ticker connections per api_key`);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(socket: WebSocket): void {
    const connection: Connection = { socket, modes: new Map() };
    this.#connections.add(connection);
    socket.on('close', () => this.#connections.delete(connection));
    socket.on('error', () => this.#connections.delete(connection));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        this.#sendError(connection, 'binary messages are not understood: send JSON text');
        return;
      }
      this.#onText(connection, Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    });
  }

  #sendError(connection: Connection, message: string): void {
    connection.socket.send(JSON.stringify({ type: 'error', data: message }));
  }

  #onText(connection: Connection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.#sendError(
        connection,
        `invalid JSON message: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const { a, v } = (message ?? {}) as { a?: unknown; v?: unknown };
    if (a === 'subscribe' && Array.isArray(v)) {
      this.#subscribe(connection, v, null);
    } else if (a === 'unsubscribe' && Array.isArray(v)) {
      for (const token of v) connection.modes.delete(Number(token));
    } else if (
      a === 'mode' &&
      Array.isArray(v) &&
      Array.isArray(v[1]) &&
      ['ltp', 'quote', 'full'].includes(String(v[0]))
    ) {
      // Setting a mode also subscribes (kite-connect.md §5.2).
      this.#subscribe(connection, v[1] as unknown[], v[0] as TickerMode);
    } else {
      this.#sendError(connection, `unknown message ${text.slice(0, 200)}`);
    }
  }

  #subscribe(connection: Connection, tokens: readonly unknown[], mode: TickerMode | null): void {
    const added: number[] = [];
    for (const raw of tokens) {
      const token = Number(raw);
      if (!Number.isSafeInteger(token)) continue;
      if (!connection.modes.has(token) && connection.modes.size >= MAX_TOKENS_PER_CONNECTION) {
        this.#sendError(
          connection,
          `Maximum of ${MAX_TOKENS_PER_CONNECTION} instruments per connection exceeded`,
        );
        break;
      }
      connection.modes.set(token, mode ?? connection.modes.get(token) ?? 'quote');
      added.push(token);
    }
    // Like Kite, answer a (re)subscription at once with the current state of those instruments.
    this.#sendFrame(connection, added, new Map());
  }

  #sendFrame(connection: Connection, tokens: readonly number[], cache: Map<number, MarketSnapshot>): void {
    const now = this.#deps.clock.now();
    const packets = [];
    for (const token of tokens) {
      const mode = connection.modes.get(token);
      const model = this.#deps.market.modelByToken(token);
      if (mode === undefined || model === undefined) continue;
      let snapshot = cache.get(token);
      if (snapshot === undefined) {
        snapshot = this.#deps.market.snapshot(model, now);
        cache.set(token, snapshot);
      }
      packets.push(packetFromSnapshot(snapshot, mode));
    }
    if (packets.length > 0 && connection.socket.readyState === connection.socket.OPEN) {
      connection.socket.send(encodeTickerFrame(packets));
    }
  }

  #stalled(): boolean {
    return this.#deps.realNow() < this.#stalledUntil;
  }

  #streamStep(): void {
    if (this.#stalled() || !sessionPoint(this.#deps.clock.now()).trading) return;
    const cache = new Map<number, MarketSnapshot>();
    for (const c of this.#connections) this.#sendFrame(c, [...c.modes.keys()], cache);
  }

  #heartbeat(): void {
    if (this.#stalled()) return;
    for (const c of this.#connections) if (c.socket.readyState === c.socket.OPEN) c.socket.send(HEARTBEAT);
  }

  /** Sends an order update text message to every connection. */
  broadcastOrder(order: Record<string, unknown>): void {
    const text = JSON.stringify({ type: 'order', data: order });
    for (const c of this.#connections) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
  }

  /** Closes every socket abruptly, without a close frame. */
  dropAll(): void {
    for (const c of this.#connections) c.socket.terminate();
    this.#connections.clear();
  }

  /** Stops ticks and heartbeats for `ms` of real time. */
  stall(ms: number): void {
    this.#stalledUntil = this.#deps.realNow() + ms;
  }

  /** Stops the timers and closes every socket. */
  close(): void {
    for (const t of this.#timers) clearInterval(t);
    this.dropAll();
    this.#wss.close();
  }
}
