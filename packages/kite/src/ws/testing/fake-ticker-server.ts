// A loopback WebSocket server that speaks the Kite ticker framing, for the client's tests: it records
// handshakes and client messages, can refuse handshakes with an HTTP status, drop sockets abruptly
// (no close frame) and send heartbeats, ticks and text messages.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One accepted client socket and what it sent. */
export interface FakeTickerSocket {
  readonly socket: WebSocket;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON text messages from the client, in order. */
  readonly messages: { a: string; v: unknown }[];
}

/** A fake ticker server on 127.0.0.1. */
export class FakeTickerServer {
  readonly sockets: FakeTickerSocket[] = [];
  /** HTTP status with which to refuse every handshake; null accepts. */
  refuseWith: number | null = null;
  /** Handshakes refused so far. */
  refused = 0;
  readonly #http: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  private constructor(http: Server) {
    this.#http = http;
  }

  /** Returns a started server. */
  static async start(): Promise<FakeTickerServer> {
    const http = createServer((_req, res) => res.writeHead(404).end());
    const server = new FakeTickerServer(http);
    http.on('upgrade', (req, socket, head) => {
      if (server.refuseWith !== null) {
        server.refused++;
        socket.end(`HTTP/1.1 ${server.refuseWith} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      server.#wss.handleUpgrade(req, socket, head, (ws) => {
        const entry: FakeTickerSocket = {
          socket: ws,
          url: new URL(req.url ?? '/', 'ws://127.0.0.1'),
          headers: req.headers,
          messages: [],
        };
        ws.on('message', (data, isBinary) => {
          if (!isBinary)
            entry.messages.push(JSON.parse(data.toString()) as FakeTickerSocket['messages'][number]);
        });
        server.sockets.push(entry);
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** Returns the ticker root URL. */
  get url(): string {
    return `ws://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
  }

  /** Returns the sockets that are still open. */
  open(): FakeTickerSocket[] {
    return this.sockets.filter((s) => s.socket.readyState === s.socket.OPEN);
  }

  /** Sends a 1-byte heartbeat to every open socket every `ms` until stopHeartbeats(). */
  startHeartbeats(ms: number): void {
    this.stopHeartbeats();
    this.#heartbeat = setInterval(() => {
      for (const s of this.open()) s.socket.send(new Uint8Array([0]));
    }, ms);
  }

  /** Stops the heartbeats. */
  stopHeartbeats(): void {
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** Closes every socket abruptly (TCP reset, no close frame). */
  dropAll(): void {
    for (const s of this.open()) s.socket.terminate();
  }

  /** Stops the server and its sockets. */
  async close(): Promise<void> {
    this.stopHeartbeats();
    for (const s of this.sockets) s.socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}
