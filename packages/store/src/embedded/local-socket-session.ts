import type { Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { AsyncMutex } from '../driver/async-mutex.ts';

/** PostgreSQL protocol request codes sent in place of a startup packet (protocol §55.2, "Message Formats"). */
const requestCode = {
  ssl: 80877103,
  gssEncryption: 80877104,
  cancel: 80877102,
  protocol3: 196608,
} as const;

const terminate = 0x58; // 'X'
const readyForQuery = 0x5a; // 'Z'
const idle = 0x49; // 'I'

const simpleQuery = (sql: string): Uint8Array => {
  const text = Buffer.from(sql + '\0', 'utf8');
  const frame = Buffer.alloc(5 + text.length);
  frame[0] = 0x51; // 'Q'
  frame.writeInt32BE(4 + text.length, 1);
  text.copy(frame, 5);
  return frame;
};
const sync = Uint8Array.from([0x53, 0, 0, 0, 4]); // 'S'

/** Callbacks of a `LocalSocketSession`. */
export interface LocalSocketSessionHooks {
  readonly onIdle: () => Promise<void>;
  readonly onError: (error: Error) => void;
}

/**
 * One client connection of the local socket server. Messages are framed here and fed to PGlite one by one with
 * `execProtocolRawStream`, like `@electric-sql/pglite-socket` does, but the session holds the shared `AsyncMutex`
 * from its first message until PGlite is idle outside a transaction again, so neither the owning process nor
 * another client can run a statement inside this client's transaction.
 */
export class LocalSocketSession {
  readonly #socket: Socket;
  readonly #db: PGlite;
  readonly #mutex: AsyncMutex;
  #buffer: Buffer = Buffer.alloc(0);
  #startupDone = false;
  #release: (() => void) | null = null;
  #closed = false;
  #chain: Promise<void> = Promise.resolve();
  /** The last bytes PGlite sent, to see whether its reply ended with ReadyForQuery. */
  #tail: Buffer = Buffer.alloc(0);
  readonly #onError: (error: Error) => void;
  readonly #onIdle: () => Promise<void>;
  readonly #finished: Promise<void>;
  #resolveFinished: () => void = () => undefined;

  /**
   * Serves `socket` against `db`, serialised with `mutex`. `hooks.onIdle` runs with the mutex held each time the
   * client is back to idle, before its reply is sent; `hooks.onError` receives failures of PGlite itself.
   */
  constructor(socket: Socket, db: PGlite, mutex: AsyncMutex, hooks: LocalSocketSessionHooks) {
    this.#socket = socket;
    this.#db = db;
    this.#mutex = mutex;
    this.#onError = hooks.onError;
    this.#onIdle = hooks.onIdle;
    this.#finished = new Promise((resolve) => {
      this.#resolveFinished = resolve;
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#enqueue(() => this.#drain());
    });
    socket.on('error', () => this.#onClose());
    socket.on('close', () => this.#onClose());
  }

  /** Resolves when the session has ended and given the database back (rolled back, mutex released). */
  get finished(): Promise<void> {
    return this.#finished;
  }

  /** Whether this session holds the shared mutex now. */
  get holdsMutex(): boolean {
    return this.#release !== null;
  }

  /** Closes the connection; `finished` resolves once its transaction is rolled back. */
  destroy(): void {
    this.#socket.destroy();
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(step).catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#socket.destroy();
      this.#onError(failure);
    });
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#enqueue(() => this.#abandon());
    void this.#chain.then(() => this.#resolveFinished());
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#closed) return;
      const frame = this.#startupDone ? this.#nextMessage() : this.#nextStartup();
      if (frame === 'wait') return;
      if (frame === 'handled') continue;
      if (frame[0] === terminate && this.#startupDone) {
        this.#socket.end();
        return;
      }
      if (this.#release === null) this.#release = await this.#mutex.acquire();
      if (this.#closed) return;
      this.#tail = Buffer.alloc(0);
      const reply = await this.#execute(frame);
      const idleNow = this.#endedIdle() && !this.#db.isInTransaction();
      // In durable mode the reply (the client's commit acknowledgement) goes out only after the host fsync.
      if (idleNow) await this.#onIdle();
      if (reply.length > 0 && this.#socket.writable) this.#socket.write(reply);
      if (idleNow) this.#releaseMutex();
    }
  }

  /** Returns the startup packet, answers SSL/GSS requests with 'N' (no encryption on a local socket). */
  #nextStartup(): Uint8Array | 'wait' | 'handled' {
    if (this.#buffer.length < 8) return 'wait';
    const length = this.#buffer.readInt32BE(0);
    const code = this.#buffer.readInt32BE(4);
    if (length < 8) return this.#protocolViolation();
    if (this.#buffer.length < length) return 'wait';
    const frame = this.#take(length);
    if (code === requestCode.ssl || code === requestCode.gssEncryption) {
      this.#socket.write('N');
      return 'handled';
    }
    if (code === requestCode.protocol3) {
      this.#startupDone = true;
      return frame;
    }
    // CancelRequest (unsupported: PGlite runs one statement at a time) or an unknown protocol version.
    this.#socket.end();
    return 'wait';
  }

  #nextMessage(): Uint8Array | 'wait' {
    if (this.#buffer.length < 5) return 'wait';
    const length = this.#buffer.readInt32BE(1);
    if (length < 4) return this.#protocolViolation();
    const total = 1 + length;
    if (this.#buffer.length < total) return 'wait';
    return this.#take(total);
  }

  /** Drops a client whose framing is impossible (a length below the header's own size). */
  #protocolViolation(): 'wait' {
    this.#buffer = Buffer.alloc(0);
    this.#socket.destroy();
    return 'wait';
  }

  #take(length: number): Uint8Array {
    const frame = new Uint8Array(this.#buffer.subarray(0, length));
    this.#buffer = this.#buffer.subarray(length);
    return frame;
  }

  /** Feeds one message to PGlite and returns its reply (PGlite runs a message synchronously to completion). */
  async #execute(frame: Uint8Array): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.#db.execProtocolRawStream(frame, {
      onRawData: (data: Uint8Array) => {
        // PGlite reuses its WASM buffer: copy before keeping the bytes.
        if (data.length > 0) chunks.push(Buffer.from(data));
      },
    });
    const reply = Buffer.concat(chunks);
    if (reply.length > 0) this.#tail = Buffer.concat([this.#tail, reply]).subarray(-6);
    return reply;
  }

  /** Whether PGlite's last reply ended with ReadyForQuery in state idle ('Z', length 5, 'I'). */
  #endedIdle(): boolean {
    const t = this.#tail;
    return t.length === 6 && t[0] === readyForQuery && t.readInt32BE(1) === 5 && t[5] === idle;
  }

  /**
   * Gives the database back after the client went away. ROLLBACK first: it aborts an explicit transaction and an
   * implicit one left open by unsynced Parse/Bind/Execute (where a Sync would have committed it); then Sync ends
   * any half-finished extended-protocol exchange; a second ROLLBACK covers a block the first one could not reach.
   */
  async #abandon(): Promise<void> {
    if (this.#release === null) return;
    try {
      await this.#execute(simpleQuery('ROLLBACK'));
      await this.#execute(sync);
      if (this.#db.isInTransaction()) await this.#execute(simpleQuery('ROLLBACK'));
      if (this.#db.isInTransaction()) {
        throw new Error('embedded database is still in a transaction after a socket client disconnected');
      }
    } finally {
      this.#releaseMutex();
    }
  }

  #releaseMutex(): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
}
