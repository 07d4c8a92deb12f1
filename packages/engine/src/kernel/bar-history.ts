// The closed bars a strategy can read back (ctx.bars), kept per instrument × interval in a fixed-size ring so a
// long day never grows memory. Only closed bars arrive here (the kernel refuses a bar that ends after the time it
// is handled), so no strategy can look ahead.
import { InvariantError, type Bar, type BarInterval, type InstrumentId } from '@kitepilot/core';

/** The number of bars kept per instrument × interval unless configured otherwise. */
export const DEFAULT_BAR_HISTORY_CAPACITY = 1_000;

class BarRing {
  readonly #slots: (Bar | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#slots = new Array<Bar | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  last(): Bar | undefined {
    if (this.#size === 0) return undefined;
    return this.#slots[(this.#next - 1 + this.#slots.length) % this.#slots.length];
  }

  replaceLast(bar: Bar): void {
    this.#slots[(this.#next - 1 + this.#slots.length) % this.#slots.length] = bar;
  }

  push(bar: Bar): void {
    this.#slots[this.#next] = bar;
    this.#next = (this.#next + 1) % this.#slots.length;
    if (this.#size < this.#slots.length) this.#size++;
  }

  /** The newest `count` bars, oldest first. */
  tail(count: number): Bar[] {
    const n = Math.min(count, this.#size);
    const out = new Array<Bar>(n);
    const cap = this.#slots.length;
    const first = (this.#next - n + cap) % cap;
    for (let i = 0; i < n; i++) out[i] = this.#slots[(first + i) % cap] as Bar;
    return out;
  }
}

/** What BarHistory.append did with a bar. */
export type BarAppendOutcome = 'appended' | 'replaced' | 'stale';

/** Closed bars per instrument × interval, newest `capacity` kept. */
export class BarHistory {
  readonly #capacity: number;
  readonly #rings = new Map<InstrumentId, Map<BarInterval, BarRing>>();

  /** Keeps up to `capacity` (≥ 500) bars per instrument × interval. */
  constructor(capacity: number = DEFAULT_BAR_HISTORY_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 500) {
      throw new InvariantError(`bar history capacity ${capacity} must be an integer ≥ 500`);
    }
    this.#capacity = capacity;
  }

  /**
   * Stores a closed bar: a newer start is appended, the same start as the newest replaces it (a repaired bar),
   * an older start is refused as `stale` (history stays in time order).
   */
  append(bar: Bar): BarAppendOutcome {
    let byInterval = this.#rings.get(bar.instrumentId);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#rings.set(bar.instrumentId, byInterval);
    }
    let ring = byInterval.get(bar.interval);
    if (ring === undefined) {
      ring = new BarRing(this.#capacity);
      byInterval.set(bar.interval, ring);
    }
    const last = ring.last();
    if (last !== undefined && bar.start <= last.start) {
      if (bar.start < last.start) return 'stale';
      ring.replaceLast(bar);
      return 'replaced';
    }
    ring.push(bar);
    return 'appended';
  }

  /** Returns up to `count` (default all kept) of the newest bars, oldest first. */
  bars(instrumentId: InstrumentId, interval: BarInterval, count?: number): Bar[] {
    const ring = this.#rings.get(instrumentId)?.get(interval);
    if (ring === undefined) return [];
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 0)) {
      throw new InvariantError(`bar count ${count} must be a non-negative integer`);
    }
    return ring.tail(count ?? ring.size);
  }
}
