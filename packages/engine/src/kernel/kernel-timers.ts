// The kernel's named timers. A timer set here is armed on the clock (unless replaying) and, when it fires, comes
// back as a `timer` input through the ordered stream. A timer input counts only while its timer is armed and due,
// so a timer cancelled or re-set while its input waited in the queue does nothing — live and in a replay alike.
import { InvariantError, type Clock } from '@kitepilot/core';
import type { TradingTimers } from '../orders/trading-core.ts';

/** Armed timers by `<owner>:<name>`. */
export class KernelTimers {
  readonly #clock: Clock;
  readonly #replay: boolean;
  readonly #fire: (owner: string, name: string) => void;
  readonly #armed = new Map<string, number>();
  #stale = 0;

  /** Arms timers on `clock` (none when `replay`); `fire` pushes the timer input. */
  constructor(clock: Clock, replay: boolean, fire: (owner: string, name: string) => void) {
    this.#clock = clock;
    this.#replay = replay;
    this.#fire = fire;
  }

  /** Sets (or replaces) the timer `name` of `owner` at `atMs`. */
  set(owner: string, name: string, atMs: number): void {
    const key = `${owner}:${name}`;
    if (!Number.isSafeInteger(atMs)) throw new InvariantError(`timer ${key} time ${atMs} is not epoch ms`);
    this.#armed.set(key, atMs);
    if (!this.#replay) this.#clock.setTimer(key, atMs, () => this.#fire(owner, name));
  }

  /** Cancels the timer `name` of `owner`. */
  cancel(owner: string, name: string): void {
    const key = `${owner}:${name}`;
    this.#armed.delete(key);
    if (!this.#replay) this.#clock.cancelTimer(key);
  }

  /** Cancels every armed timer (the kernel stopped: nothing may hold the process or fire later). */
  cancelAll(): void {
    for (const key of this.#armed.keys()) if (!this.#replay) this.#clock.cancelTimer(key);
    this.#armed.clear();
  }

  /** Returns true (and disarms it) when the timer is armed and due at `atMs`; else counts a stale timer input. */
  consume(owner: string, name: string, atMs: number): boolean {
    const key = `${owner}:${name}`;
    const armedAt = this.#armed.get(key);
    if (armedAt === undefined || atMs < armedAt) {
      this.#stale++;
      return false;
    }
    this.#armed.delete(key);
    return true;
  }

  /** Returns the timers of one owner as the TradingTimers port. */
  port(owner: string): TradingTimers {
    return { set: (name, atMs) => this.set(owner, name, atMs), cancel: (name) => this.cancel(owner, name) };
  }

  /** Returns how many timer inputs were ignored as stale. */
  get stale(): number {
    return this.#stale;
  }
}

/**
 * TradingTimers that forward to timers bound later: the order manager needs its timers before the kernel that
 * provides them exists (`new DeferredTradingTimers()` → OrderManager → Kernel → `bind(kernel.tradingTimers())`).
 */
export class DeferredTradingTimers implements TradingTimers {
  #target: TradingTimers | null = null;

  /** Forwards every later call to `target`. */
  bind(target: TradingTimers): void {
    this.#target = target;
  }

  /** Sets the timer; throws InvariantError before bind(). */
  set(name: string, atMs: number): void {
    this.#bound(name).set(name, atMs);
  }

  /** Cancels the timer; throws InvariantError before bind(). */
  cancel(name: string): void {
    this.#bound(name).cancel(name);
  }

  #bound(name: string): TradingTimers {
    if (this.#target === null)
      throw new InvariantError(`trading timer ${name} used before the kernel was bound`);
    return this.#target;
  }
}
