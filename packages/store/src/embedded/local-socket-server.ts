import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { AsyncMutex } from '../driver/async-mutex.ts';
import { isErrno } from './data-dir-lock.ts';
import { LocalSocketSession } from './local-socket-session.ts';

/** The port number in the socket's file name; `pg` connects with `{ host: <socket dir>, port }`. */
export const localSocketPort = 5432;
const socketFileName = `.s.PGSQL.${localSocketPort}`;
/** sun_path holds 108 bytes on Linux including the terminating NUL (unix(7)). */
const maxSocketPathBytes = 107;

/**
 * Returns the socket path for `dataDir`: `<dataDir>/.s.PGSQL.5432` when it fits in sun_path, else
 * `<tmpdir>/kitepilot-<sha256 of the resolved dir, 16 hex>/.s.PGSQL.5432`.
 */
export function localSocketPath(dataDir: string): string {
  const absolute = resolve(dataDir);
  const inDir = join(absolute, socketFileName);
  if (Buffer.byteLength(inDir) <= maxSocketPathBytes) return inDir;
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  return join(tmpdir(), `kitepilot-${hash}`, socketFileName);
}

/** Returns the `pg` connection fields (`host` is the socket's directory) for a socket path from `localSocketPath`. */
export function localSocketConnection(socketPath: string): { host: string; port: number } {
  return { host: dirname(socketPath), port: localSocketPort };
}

/** Options of `LocalSocketServer`. */
export interface LocalSocketServerOptions {
  readonly db: PGlite;
  /** The mutex every in-process user of `db` holds (the `PgliteDriver`'s). */
  readonly mutex: AsyncMutex;
  readonly socketPath: string;
  /** Receives failures of PGlite while serving a client (the database state is then unknown). */
  readonly onError: (error: Error) => void;
  /** Runs with the mutex held whenever a client is back to idle, before its reply is sent (durable flush). */
  readonly onIdle?: () => Promise<void>;
}

/**
 * A PostgreSQL-protocol endpoint on a unix domain socket (mode 0600) serving the owner's PGlite instance. A client
 * holds the shared mutex from its first message until it is idle outside a transaction, so its transaction is
 * isolated from the owner's own queries and from other clients; a client that disconnects mid-transaction is
 * rolled back.
 */
export class LocalSocketServer {
  readonly socketPath: string;
  readonly #db: PGlite;
  readonly #mutex: AsyncMutex;
  readonly #onError: (error: Error) => void;
  readonly #onIdle: () => Promise<void>;
  readonly #sessions = new Set<LocalSocketSession>();
  #server: Server | null = null;

  /** Prepares the server; call `start`. */
  constructor(options: LocalSocketServerOptions) {
    this.socketPath = options.socketPath;
    this.#db = options.db;
    this.#mutex = options.mutex;
    this.#onError = options.onError;
    this.#onIdle = options.onIdle ?? (() => Promise.resolve());
  }

  /** Returns the number of connected clients. */
  get connectionCount(): number {
    return this.#sessions.size;
  }

  /** Listens on the socket path, replacing a socket file left by a dead owner (the caller holds the lock). */
  async start(): Promise<void> {
    if (this.#server !== null) throw new Error(`local socket server on ${this.socketPath} already started`);
    const dir = dirname(this.socketPath);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeStaleSocket(this.socketPath);
    const server = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolvePromise();
      });
    });
    this.#server = server;
    // Only the owner's user may connect: the socket gives full access to the database without a password.
    await chmod(this.socketPath, 0o600);
  }

  /** Stops listening, disconnects every client (rolling back open transactions) and removes the socket file. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (server === null) return;
    this.#server = null;
    const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    const sessions = [...this.#sessions];
    for (const session of sessions) session.destroy();
    await Promise.all(sessions.map((session) => session.finished));
    await closed;
    await removeStaleSocket(this.socketPath);
  }

  #accept(socket: Socket): void {
    if (this.#server === null) {
      socket.destroy();
      return;
    }
    const session = new LocalSocketSession(socket, this.#db, this.#mutex, {
      onError: this.#onError,
      onIdle: this.#onIdle,
    });
    this.#sessions.add(session);
    void session.finished.then(() => this.#sessions.delete(session));
  }
}

async function removeStaleSocket(path: string): Promise<void> {
  try {
    const stat = await lstat(path);
    if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
    await unlink(path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}
