// A TradingSlot that tells its observers when trading starts and stops, so that metrics and alert forwarding attach
// to each trading environment's bus from its first event (the slot is filled by demo and broker trading, and emptied
// on close, by plain assignment).
import type { RunningTrading, TradingSlot } from '../trading/trading-slot.ts';

/** Called with the trading now in the slot (null when it was removed). */
export type TradingSlotListener = (current: RunningTrading | null) => void;

/** A TradingSlot whose assignments reach the listeners added with `observe`. */
export class ObservedTradingSlot implements TradingSlot {
  #current: RunningTrading | null = null;
  readonly #listeners = new Set<TradingSlotListener>();

  /** Returns the running trading, or null. */
  get current(): RunningTrading | null {
    return this.#current;
  }

  /** Puts `next` in the slot and tells every listener (a repeated assignment of the same value tells nobody). */
  set current(next: RunningTrading | null) {
    if (next === this.#current) return;
    this.#current = next;
    for (const listener of [...this.#listeners]) listener(next);
  }

  /** Adds a listener, calls it at once when trading already runs, and returns a function that removes it. */
  observe(listener: TradingSlotListener): () => void {
    this.#listeners.add(listener);
    if (this.#current !== null) listener(this.#current);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
