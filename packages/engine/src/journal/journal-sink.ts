// Where the kernel records every input it handles, with the time it handled it (issue "Journal"): a day recorded
// this way replays through a fresh kernel to the same signals, risk decisions and orders.
import type { KernelInput } from '../kernel/kernel-input.ts';

/** Receives every handled input, in handling order; synchronous (an implementation buffers its writes). */
export interface JournalSink {
  /** Records one handled input (its `at` set). */
  append(input: KernelInput): void;
}

/** A JournalSink that keeps the inputs in memory (tests, backtests, short paper sessions). */
export class MemoryJournal implements JournalSink {
  readonly #inputs: KernelInput[] = [];

  /** Records one handled input. */
  append(input: KernelInput): void {
    this.#inputs.push(input);
  }

  /** Returns the recorded inputs, oldest first. */
  inputs(): readonly KernelInput[] {
    return this.#inputs.slice();
  }

  /** Returns how many inputs were recorded. */
  get size(): number {
    return this.#inputs.length;
  }
}
