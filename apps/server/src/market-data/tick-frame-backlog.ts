import type { Tick } from '@kitepilot/core';

/** A time window of dropped ticks (epoch ms, tick times). */
export interface OverflowWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Ticker frames held whole, in arrival order, while the tick writer is full — at most `maxTicks` ticks. A frame that
 * does not fit is dropped and counted, and the time window of the dropped ticks is kept until `takeOverflow()` hands
 * it to gap repair: ticks are never dropped without a count and a repair.
 */
export class TickFrameBacklog {
  readonly #maxTicks: number;
  readonly #frames: Tick[][] = [];
  #ticks = 0;
  #overflowed = 0;
  #overflowFromMs: number | null = null;
  #overflowToMs = 0;

  /** Creates a backlog of at most `maxTicks` ticks. */
  constructor(maxTicks: number) {
    if (!Number.isSafeInteger(maxTicks) || maxTicks < 1) {
      throw new RangeError(`backlog bound ${maxTicks} must be a positive integer`);
    }
    this.#maxTicks = maxTicks;
  }

  /** Returns how many ticks are held. */
  get ticks(): number {
    return this.#ticks;
  }

  /** Returns how many frames are held. */
  get frames(): number {
    return this.#frames.length;
  }

  /** Returns how many ticks were dropped since the start. */
  get overflowed(): number {
    return this.#overflowed;
  }

  /** Holds `frame`; returns false when it did not fit and was dropped (counted, its window kept). */
  hold(frame: Tick[]): boolean {
    if (this.#ticks + frame.length > this.#maxTicks) {
      this.#overflowed += frame.length;
      for (const tick of frame) {
        const t = tick.exchangeTs ?? tick.tsInit;
        this.#overflowFromMs = Math.min(this.#overflowFromMs ?? t, t);
        this.#overflowToMs = Math.max(this.#overflowToMs, t);
      }
      return false;
    }
    this.#frames.push(frame);
    this.#ticks += frame.length;
    return true;
  }

  /** Returns whether ticks were dropped since the last `takeOverflow()`. */
  get overflowing(): boolean {
    return this.#overflowFromMs !== null;
  }

  /** Removes and returns the oldest frame, or undefined. */
  shift(): Tick[] | undefined {
    const frame = this.#frames.shift();
    if (frame !== undefined) this.#ticks -= frame.length;
    return frame;
  }

  /** Returns the window of the ticks dropped since the last call, or null, and forgets it. */
  takeOverflow(): OverflowWindow | null {
    if (this.#overflowFromMs === null) return null;
    const window = { fromMs: this.#overflowFromMs, toMs: this.#overflowToMs };
    this.#overflowFromMs = null;
    this.#overflowToMs = 0;
    return window;
  }
}
