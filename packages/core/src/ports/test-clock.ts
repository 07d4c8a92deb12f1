import { InvariantError } from '../model/errors.ts';
import type { Clock, TimerCallback } from './clock.ts';

interface Timer {
  readonly name: string;
  readonly atMs: number;
  readonly seq: number;
  readonly callback: TimerCallback;
}

/**
 * A deterministic Clock: time moves only through advanceTo/advanceBy, which fire due timers in order
 * of their time (ties in the order they were set), with now() equal to each timer's time while its
 * callback runs. Time never goes backwards.
 */
export class TestClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<string, Timer>();
  /** The earliest pending timer's time (null: none), valid while #exact; a cheap check for advanceTo. */
  #earliest: number | null = null;
  #exact = true;

  /** Creates a clock reading `startMs`. */
  constructor(startMs: number) {
    if (!Number.isSafeInteger(startMs))
      throw new InvariantError(`TestClock start ${startMs} must be integer ms`);
    this.#now = startMs;
  }

  /** Returns the current time in epoch ms. */
  now(): number {
    return this.#now;
  }

  /** Sets (or replaces) the timer `name`. */
  setTimer(name: string, atMs: number, callback: TimerCallback): void {
    if (!Number.isSafeInteger(atMs))
      throw new InvariantError(`timer ${name}: time ${atMs} must be integer ms`);
    if (this.#timers.has(name)) this.#exact = false;
    else if (this.#exact && (this.#earliest === null || atMs < this.#earliest)) this.#earliest = atMs;
    this.#timers.set(name, { name, atMs, seq: this.#seq++, callback });
  }

  /** Cancels the timer `name`. */
  cancelTimer(name: string): void {
    if (this.#timers.delete(name)) this.#exact = false;
  }

  /** Returns the names and times of pending timers, earliest first. */
  pendingTimers(): readonly { readonly name: string; readonly atMs: number }[] {
    return [...this.#timers.values()].sort(byTime).map(({ name, atMs }) => ({ name, atMs }));
  }

  /** Returns the time of the earliest pending timer, or null when none is pending (O(timers), no allocation). */
  nextTimerAtMs(): number | null {
    if (this.#exact) return this.#earliest;
    let at: number | null = null;
    for (const t of this.#timers.values()) if (at === null || t.atMs < at) at = t.atMs;
    this.#earliest = at;
    this.#exact = true;
    return at;
  }

  /** Moves time to `ms`, firing every timer due at or before it in time order; throws if `ms` is in the past. */
  advanceTo(ms: number): void {
    if (!Number.isSafeInteger(ms)) throw new InvariantError(`TestClock.advanceTo(${ms}): not integer ms`);
    if (ms < this.#now) throw new InvariantError(`TestClock cannot go backwards from ${this.#now} to ${ms}`);
    const earliest = this.nextTimerAtMs();
    if (earliest === null || earliest > ms) {
      this.#now = ms;
      return;
    }
    for (;;) {
      const next = this.#nextDue(ms);
      if (next === undefined) break;
      this.#timers.delete(next.name);
      this.#exact = false;
      // A timer set in the past fires "now" rather than moving time backwards.
      this.#now = Math.max(this.#now, next.atMs);
      next.callback();
    }
    this.#now = ms;
  }

  /**
   * Moves time to `ms` firing only the timers due before it: timers due exactly at `ms` stay pending and fire at
   * the next advanceTo (with now() = `ms`). Lets a caller handle an input at `ms` before that instant's timers.
   */
  advanceBefore(ms: number): void {
    if (!Number.isSafeInteger(ms)) throw new InvariantError(`TestClock.advanceBefore(${ms}): not integer ms`);
    if (ms < this.#now) throw new InvariantError(`TestClock cannot go backwards from ${this.#now} to ${ms}`);
    if (ms > this.#now) this.advanceTo(ms - 1);
    this.#now = ms;
  }

  /** Moves time forward by `ms` (≥ 0), firing due timers. */
  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  #nextDue(limit: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers.values()) {
      if (t.atMs <= limit && (best === undefined || byTime(t, best) < 0)) best = t;
    }
    return best;
  }
}

function byTime(a: Timer, b: Timer): number {
  return a.atMs - b.atMs || a.seq - b.seq;
}
