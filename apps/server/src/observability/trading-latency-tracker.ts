// Tick → signal, tick → order and tick → order-acknowledgement latency of a running trading environment, measured
// from its bus (the engine never reads wall time; the server does). The kernel handles one input at a time and
// publishes `tick` when it starts handling a tick, so a signal or a new order belongs to that tick exactly when no
// other input was handled since: `inputSeq` (the kernel's count of handled inputs) has not moved.
import { isTerminalStatus } from '@kitepilot/core';
import type { OrderUpdate } from '@kitepilot/engine';

/** Where the measured durations go (seconds). */
export interface TradingLatencySink {
  tickToSignal(seconds: number): void;
  tickToOrder(seconds: number): void;
  tickToAck(seconds: number): void;
}

/** What TradingLatencyTracker takes. */
export interface TradingLatencyTrackerOptions {
  /** Monotonic time in ms (performance.now in the server). */
  readonly now: () => number;
  /** The number of inputs the kernel has handled so far (counts the input being handled). */
  readonly inputSeq: () => number;
  readonly sink: TradingLatencySink;
  /** Orders waiting for their acknowledgement that are remembered at most (oldest forgotten first). */
  readonly maxPending?: number;
}

/** Attributes signals and orders to the tick whose handling caused them and reports the delays. */
export class TradingLatencyTracker {
  readonly #o: TradingLatencyTrackerOptions;
  readonly #maxPending: number;
  /** Start time (ms) of the tick input being handled, and the kernel's input count at that moment. */
  #tickStartMs = 0;
  #tickSeq = -1;
  /** Orders created while handling a tick, by client order id: the tick's start time. */
  readonly #pending = new Map<string, number>();

  /** Creates a tracker that reports to `options.sink`. */
  constructor(options: TradingLatencyTrackerOptions) {
    this.#o = options;
    this.#maxPending = options.maxPending ?? 10_000;
  }

  /** Returns how many orders wait for their acknowledgement. */
  get pending(): number {
    return this.#pending.size;
  }

  /** The kernel started handling a tick. */
  onTick(): void {
    this.#tickStartMs = this.#o.now();
    this.#tickSeq = this.#o.inputSeq();
  }

  /** A signal was published: measured when the tick being handled caused it. */
  onSignal(): void {
    if (this.#duringTick()) this.#o.sink.tickToSignal((this.#o.now() - this.#tickStartMs) / 1000);
  }

  /**
   * An order update was published: a new order during a tick is measured (tick → order) and remembered; its first
   * acknowledgement (OrderSubmitted: the broker's OMS took it, or OrderAccepted) is measured (tick → ack); a terminal
   * update without one forgets it.
   */
  onOrder(update: OrderUpdate): void {
    const { event } = update;
    if (event.type === 'OrderInitialized') {
      if (!this.#duringTick()) return;
      this.#o.sink.tickToOrder((this.#o.now() - this.#tickStartMs) / 1000);
      if (this.#pending.size >= this.#maxPending) {
        const oldest = this.#pending.keys().next();
        if (oldest.done !== true) this.#pending.delete(oldest.value);
      }
      this.#pending.set(event.order.clientOrderId, this.#tickStartMs);
      return;
    }
    if (update.order === null) return;
    const id = update.order.clientOrderId;
    const startedMs = this.#pending.get(id);
    if (startedMs === undefined) return;
    if (event.type === 'OrderSubmitted' || event.type === 'OrderAccepted') {
      this.#pending.delete(id);
      this.#o.sink.tickToAck((this.#o.now() - startedMs) / 1000);
    } else if (isTerminalStatus(update.order.status)) {
      this.#pending.delete(id);
    }
  }

  #duringTick(): boolean {
    return this.#tickSeq >= 0 && this.#o.inputSeq() === this.#tickSeq;
  }
}
