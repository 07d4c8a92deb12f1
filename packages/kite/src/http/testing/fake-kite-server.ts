// A tiny local HTTP server for unit tests of request building and response parsing: it records every request and
// answers through a handler the test sets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** Answers a request; may write the response later (or never, to simulate a lost answer). */
export type FakeHandler = (req: RecordedRequest, res: ServerResponse) => void;

/** A running fake Kite server. */
export interface FakeKiteServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Writes the Kite success envelope. */
export function sendData(res: ServerResponse, data: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
}

/** Writes the Kite error envelope. */
export function sendError(res: ServerResponse, status: number, errorType: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ status: 'error', message, error_type: errorType, data: null }));
}

/** Starts a fake on 127.0.0.1 and a free port. */
export async function startFakeKiteServer(): Promise<FakeKiteServer> {
  let handler: FakeHandler = (_req, res) => sendError(res, 404, 'GeneralException', 'no handler');
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => (handler = h),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
