// One live connection: its account, what it watches, its `seq`, and its outbox. A frame goes straight to the socket
// while the socket keeps up (nothing waits and its buffered bytes are under the high-water mark); otherwise it waits
// in the outbox, where ticks, bars, P&L, exposure and positions are coalesced (latest wins). Orders, fills and
// alerts are never coalesced: when more than `maxOutbox` frames wait, the connection is closed with 1013 and the
// client reconnects for a fresh snapshot. Nothing here awaits the socket, so a slow browser never slows a publisher.
import type { AccountId, BarInterval, InstrumentId } from '@kitepilot/core';
import { LiveOutbox, type LiveFrame } from './live-outbox.ts';

/** The part of a WebSocket (ws) the live stream uses. */
export interface LiveSocket {
  readonly readyState: number;
  /** Bytes queued by the socket and not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
}

/** ws's readyState of an open socket. */
const OPEN = 1;

/** WebSocket close codes the live stream uses (RFC 6455 §7.4.1, IANA registry). */
export const LIVE_CLOSE = {
  goingAway: 1001,
  policyViolation: 1008,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** Why a live connection ended (the label of `kitepilot_live_disconnects_total`). */
export type LiveDisconnectReason = 'client' | 'backlog' | 'heartbeat' | 'bad-messages' | 'server';

/** What a LiveClient reports to its hub. */
export interface LiveClientHooks {
  /** A frame was coalesced away (replaced by a newer one of the same key). */
  onCoalesced(type: string): void;
  /** Frames are waiting: the hub flushes the client until its outbox is empty. */
  onBacklog(client: LiveClient): void;
  /** The server closed the connection (the hub forgets the client at once). */
  onClosed(client: LiveClient, reason: LiveDisconnectReason): void;
}

/** A LiveClient's limits. */
export interface LiveClientLimits {
  /** Above this many buffered bytes frames wait in the outbox (and keyed ones are coalesced). */
  readonly highWaterBytes: number;
  /** More waiting frames than this closes the connection with 1013. */
  readonly maxOutbox: number;
  /** More invalid client messages than this within `badMessageWindowMs` closes the connection with 1008. */
  readonly maxBadMessages: number;
  readonly badMessageWindowMs: number;
}

/** One connected client of the live stream. */
export class LiveClient {
  readonly accountId: AccountId;
  /** The instruments watched, each with the bar intervals wanted. */
  readonly watching = new Map<InstrumentId, Set<BarInterval>>();
  /** False after a ping until the pong arrives. */
  alive = true;
  readonly #socket: LiveSocket;
  readonly #limits: LiveClientLimits;
  readonly #hooks: LiveClientHooks;
  readonly #outbox = new LiveOutbox();
  /** While the snapshot is read, live frames wait here (sent after it). */
  #held: LiveFrame[] | null = [];
  #seq = 0;
  /** The state (LiveFrame.state) of the last state message of each type queued or sent, in send order. */
  readonly #lastState = new Map<string, string>();
  #coalescedSince = new Map<string, number>();
  #coalescedSinceCount = 0;
  #coalescedTotal = 0;
  #badMessages: number[] = [];
  #closed = false;

  /** Wraps an open socket; the client holds live frames until `release()` (after the snapshot). */
  constructor(socket: LiveSocket, accountId: AccountId, limits: LiveClientLimits, hooks: LiveClientHooks) {
    this.#socket = socket;
    this.accountId = accountId;
    this.#limits = limits;
    this.#hooks = hooks;
  }

  /** Returns true once the server closed the connection or the socket closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Returns the seq of the last message sent (0 before any). */
  get seq(): number {
    return this.#seq;
  }

  /** Returns how many frames wait in the outbox. */
  get pending(): number {
    return this.#outbox.size + (this.#held?.length ?? 0);
  }

  /** Returns how many frames were coalesced away since the connection opened. */
  get coalescedTotal(): number {
    return this.#coalescedTotal;
  }

  /** Queues or sends a live frame (O(1), never blocks); held frames wait for the snapshot. */
  deliver(frame: LiveFrame): void {
    if (this.#closed) return;
    if (this.#held !== null) {
      this.#held.push(frame);
      if (this.#held.length > this.#limits.maxOutbox) this.#closeForBacklog();
      return;
    }
    this.#enqueue(frame);
  }

  /** Sends a snapshot frame ahead of the held live frames. */
  deliverSnapshot(frame: LiveFrame): void {
    if (this.#closed) return;
    this.#enqueue(frame);
  }

  /** Ends the snapshot: the live frames held meanwhile follow it. */
  release(): void {
    const held = this.#held;
    this.#held = null;
    if (held !== null) for (const frame of held) this.#enqueue(frame);
  }

  /** Sends waiting frames while the socket is under the high-water mark; returns true when none waits. */
  flush(): boolean {
    if (this.#closed) return true;
    while (this.#outbox.size > 0 && this.#socket.bufferedAmount <= this.#limits.highWaterBytes) {
      const frame = this.#outbox.shift() as LiveFrame;
      this.#send(frame);
    }
    return this.#outbox.size === 0;
  }

  /**
   * Records an invalid client message at `nowMs`; returns false (and closes with 1008) when there were more than
   * `maxBadMessages` within the window.
   */
  recordBadMessage(nowMs: number): boolean {
    const since = nowMs - this.#limits.badMessageWindowMs;
    this.#badMessages = this.#badMessages.filter((at) => at > since);
    this.#badMessages.push(nowMs);
    if (this.#badMessages.length <= this.#limits.maxBadMessages) return true;
    this.close(
      LIVE_CLOSE.policyViolation,
      `more than ${this.#limits.maxBadMessages} invalid messages in ${this.#limits.badMessageWindowMs / 1000} s`,
      'bad-messages',
    );
    return false;
  }

  /** Pings the socket for the heartbeat; returns false (after terminating it) when the last ping got no pong. */
  heartbeat(): boolean {
    if (this.#closed) return false;
    if (!this.alive) {
      this.#finish('heartbeat');
      this.#socket.terminate();
      return false;
    }
    this.alive = false;
    // Clients join the hub only once open, so ping() does not throw (ws throws only while connecting).
    this.#socket.ping();
    return true;
  }

  /** Closes the connection with `code` and `reason` (at most 123 bytes, RFC 6455 §5.5). */
  close(code: number, reason: string, why: LiveDisconnectReason): void {
    if (this.#closed) return;
    this.#finish(why);
    this.#socket.close(code, reason.slice(0, 120));
  }

  /** Marks the client closed after the socket closed on its own. */
  socketClosed(): void {
    if (!this.#closed) this.#finish('client');
  }

  #finish(why: LiveDisconnectReason): void {
    this.#closed = true;
    this.#outbox.clear();
    this.#held = null;
    this.#hooks.onClosed(this, why);
  }

  #enqueue(frame: LiveFrame): void {
    // Checked here, in send order (the snapshot, then the frames held meanwhile, then live ones): a state computed
    // while the snapshot was read can equal the snapshot's own and would otherwise follow it as a repeat.
    if (frame.state !== undefined) {
      if (this.#lastState.get(frame.type) === frame.state) return;
      this.#lastState.set(frame.type, frame.state);
    }
    if (this.#outbox.size === 0 && this.#socket.bufferedAmount <= this.#limits.highWaterBytes) {
      this.#send(frame);
      return;
    }
    const replaced = this.#outbox.push(frame);
    if (replaced !== null) {
      this.#coalescedSince.set(replaced.type, (this.#coalescedSince.get(replaced.type) ?? 0) + 1);
      this.#coalescedSinceCount++;
      this.#coalescedTotal++;
      this.#hooks.onCoalesced(replaced.type);
    }
    if (this.#outbox.size > this.#limits.maxOutbox) {
      this.#closeForBacklog();
      return;
    }
    this.#hooks.onBacklog(this);
  }

  #closeForBacklog(): void {
    this.close(
      LIVE_CLOSE.tryAgainLater,
      `more than ${this.#limits.maxOutbox} messages waiting: reconnect for a fresh snapshot`,
      'backlog',
    );
  }

  #send(frame: LiveFrame): void {
    if (this.#socket.readyState !== OPEN) return;
    if (this.#coalescedSinceCount > 0) {
      const dropped = JSON.stringify({
        type: 'dropped',
        count: this.#coalescedSinceCount,
        byType: Object.fromEntries(this.#coalescedSince),
        total: this.#coalescedTotal,
      });
      this.#coalescedSince = new Map();
      this.#coalescedSinceCount = 0;
      this.#socket.send(withSeq(++this.#seq, dropped));
    }
    this.#socket.send(withSeq(++this.#seq, frame.body));
  }
}

/** Returns the frame text: the body with `"seq":n` as its first member (the body is serialised once for all). */
function withSeq(seq: number, body: string): string {
  return `{"seq":${seq},${body.slice(1)}`;
}
