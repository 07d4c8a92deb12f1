// Test support for the live stream: a paper trading environment on PGlite with a TestClock, the live route on a
// listening Fastify, real `ws` clients that collect messages, and a raw TCP WebSocket client that can stop reading
// (a slow browser) and never answers pings (a dead one).
import { createHash, randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { Value } from '@sinclair/typebox/value';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { LiveServerMessageSchema, type LiveServerMessage } from '@kitepilot/api-contract';
import {
  anInstrument,
  istToEpochMs,
  makeTick,
  NseCalendar,
  paise,
  TestClock,
  type Instrument,
  type InstrumentTick,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../logger.ts';
import { createMetricsRegistry } from '../http/metrics.ts';
import { ObservedTradingSlot } from '../observability/observed-trading-slot.ts';
import type { RouteContext } from '../http/route-context.ts';
import { registerLiveRoute } from '../http/routes/live.ts';
import { startTradingEnvironment, type TradingEnvironment } from '../trading/trading-environment.ts';
import type { TradingSlot } from '../trading/trading-slot.ts';
import type { LiveHub, LiveHubTuning } from './live-hub.ts';

/** RELIANCE.NSE, the instrument the paper strategy trades. */
export const RELIANCE: Instrument = anInstrument();
/** INFY.NSE, a second instrument nobody trades. */
export const INFY: Instrument = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065 });

/** Monday 23 Nov 2026, 09:29 IST: a trading day, a minute before the strategy's entry. */
export const START_MS = istToEpochMs('2026-11-23', '09:29');

/** Returns a tick of `instrument` at `pricePaise` received at `atMs`. */
export function tickOf(instrument: Instrument, pricePaise: number, atMs: number): InstrumentTick {
  return {
    instrumentId: instrument.id,
    tick: makeTick({
      token: instrument.token,
      tradable: true,
      mode: 'quote',
      lastPricePaise: paise(pricePaise),
      volume: 1000,
      exchangeTs: atMs,
      tsInit: atMs,
    }),
  };
}

/** A live server on 127.0.0.1 with its store, clock, slot and hub. */
export interface LiveServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly hub: LiveHub;
  readonly store: Store;
  readonly clock: TestClock;
  readonly slot: TradingSlot;
  readonly ctx: RouteContext;
  /** Starts paper trading (time-window on RELIANCE, 5 shares at 09:30) and puts it in the slot. */
  startPaper(): Promise<TradingEnvironment>;
  close(): Promise<void>;
}

/**
 * Starts a bare Fastify (no auth guard) serving the live route with `tuning`, listening on 127.0.0.1:0; the trading
 * slot is a plain one, or an ObservedTradingSlot with `observedSlot`.
 */
export async function startLiveServer(
  tuning: Partial<LiveHubTuning> = {},
  options: { readonly observedSlot?: boolean } = {},
): Promise<LiveServer> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store = createStore(driver);
  const clock = new TestClock(START_MS);
  const slot: TradingSlot = options.observedSlot === true ? new ObservedTradingSlot() : { current: null };
  const logger = createLogger({ level: 'silent' });
  const config = loadConfig({ env: {} }).config;
  const ctx: RouteContext = {
    store,
    config,
    clock,
    calendar: new NseCalendar(),
    logger,
    metrics: createMetricsRegistry(),
    trading: slot,
  };
  const app = Fastify();
  const hub = registerLiveRoute(app, ctx, tuning);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the live server has no port');
  let env: TradingEnvironment | null = null;
  return {
    url: `ws://127.0.0.1:${address.port}/api/live`,
    app,
    hub,
    store,
    clock,
    slot,
    ctx,
    startPaper: async () => {
      env = await startTradingEnvironment({
        mode: 'paper',
        simulated: false,
        store,
        config,
        calendar: ctx.calendar,
        clock,
        logger,
        instruments: [RELIANCE, INFY],
        strategies: [{ name: 'time-window', params: { symbol: 'NSE:RELIANCE', qty: 5 } }],
        dataDir: null,
        seed: 11,
      });
      slot.current = { env, close: async () => undefined };
      return env;
    },
    close: async () => {
      await app.close();
      await env?.close();
      await store.close();
    },
  };
}

/** A `ws` client that keeps every message it received. */
export class LiveTestClient {
  readonly socket: WebSocket;
  readonly messages: LiveServerMessage[] = [];
  /** Messages that did not match LiveServerMessageSchema (a test expects none). */
  readonly invalid: unknown[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly closed: Promise<void>;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const value: unknown = JSON.parse(String(data));
      if (Value.Check(LiveServerMessageSchema, value)) this.messages.push(value);
      else this.invalid.push(value);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = String(reason);
        resolve();
      }),
    );
  }

  /** Opens a connection to `url` (with `?account=` when given); rejects with the HTTP status of a refusal. */
  static open(url: string, account?: string): Promise<LiveTestClient> {
    const target = account === undefined ? url : `${url}?account=${encodeURIComponent(account)}`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(target);
      const client = new LiveTestClient(socket);
      socket.on('open', () => resolve(client));
      socket.on('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      socket.on('error', reject);
    });
  }

  /** Returns the messages of one type. */
  of<T extends LiveServerMessage['type']>(type: T): Extract<LiveServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<LiveServerMessage, { type: T }> => m.type === type);
  }

  /** Sends a JSON message (or raw text). */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends a ping with a fresh id and resolves when its pong arrived (every earlier message was handled). */
  async roundTrip(): Promise<void> {
    const id = `rt-${randomBytes(4).toString('hex')}`;
    this.send({ type: 'ping', id });
    await waitUntil(() => this.of('pong').some((p) => p.id === id));
  }

  close(): void {
    this.socket.close();
  }
}

/** Waits until `check` is true (polling every 5 ms), failing after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** One frame a RawLiveSocket received. */
export interface RawFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/**
 * A WebSocket client on a bare TCP socket: it can stop reading (pause) so the server's buffers fill like a slow
 * browser's, it never answers pings, and it keeps every frame for inspection.
 */
export class RawLiveSocket {
  readonly frames: RawFrame[] = [];
  readonly ended: Promise<void>;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.ended = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  /** Connects and completes the upgrade handshake to the `ws://` url. */
  static async open(url: string): Promise<RawLiveSocket> {
    const { hostname, port, pathname, search } = new URL(url);
    const socket = tcpConnect({ host: hostname, port: Number(port) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const raw = new RawLiveSocket(socket);
    const rest = await new Promise<Buffer>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, end).toString('latin1');
        const accept = createHash('sha1')
          .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
          .digest('base64');
        if (!status.startsWith('HTTP/1.1 101') || !status.includes(accept)) {
          reject(new Error(`upgrade refused: ${status.split('\r\n')[0] ?? ''}`));
          return;
        }
        resolve(head.subarray(end + 4));
      };
      socket.on('data', onData);
    });
    raw.#take(rest);
    socket.on('data', (chunk: Buffer) => raw.#take(chunk));
    return raw;
  }

  /** Stops reading: the kernel buffers fill, then the server's. */
  pause(): void {
    this.#socket.pause();
  }

  /** Reads again. */
  resume(): void {
    this.#socket.resume();
  }

  /** Sends a masked text frame (a client's frames are masked, RFC 6455 §5.3). */
  sendText(text: string): void {
    const payload = Buffer.from(text, 'utf8');
    const mask = randomBytes(4);
    const header =
      payload.length < 126
        ? Buffer.from([0x81, 0x80 | payload.length])
        : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const masked = Buffer.alloc(payload.length);
    for (let i = 0; i < payload.length; i++) masked[i] = (payload[i] as number) ^ (mask[i % 4] as number);
    this.#socket.write(Buffer.concat([header, mask, masked]));
  }

  /** Returns the JSON text messages received so far. */
  messages(): LiveServerMessage[] {
    return this.frames
      .filter((f) => f.opcode === 0x1)
      .map((f) => JSON.parse(f.payload.toString('utf8')) as LiveServerMessage);
  }

  /** Returns the close code the server sent, or null. */
  closeCode(): number | null {
    const frame = this.frames.find((f) => f.opcode === 0x8);
    return frame === undefined || frame.payload.length < 2 ? null : frame.payload.readUInt16BE(0);
  }

  /** Closes the TCP socket. */
  destroy(): void {
    this.#socket.destroy();
  }

  #take(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      const opcode = (b[0] as number) & 0x0f;
      let length = (b[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      this.frames.push({ opcode, payload: Buffer.from(b.subarray(offset, offset + length)) });
      this.#buffer = b.subarray(offset + length);
    }
  }
}
