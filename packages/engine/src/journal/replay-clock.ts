// The clock of a replay: time is whatever the journal says it was when the input was handled.
import { InvariantError, type Clock } from '@kitepilot/core';

/** A Clock for replaying a journal: now() is the last input's `at`; timers are not set (the journal carries them). */
export class ReplayClock implements Clock {
  #now: number;

  /** Creates a clock reading `startMs`. */
  constructor(startMs: number) {
    this.#now = startMs;
  }

  /** Returns the `at` of the input being replayed. */
  now(): number {
    return this.#now;
  }

  /** Moves to the next recorded input's time. */
  set(atMs: number): void {
    if (!Number.isSafeInteger(atMs)) throw new InvariantError(`replay time ${atMs} is not epoch ms`);
    this.#now = atMs;
  }

  /** Does nothing: replayed timers arrive as recorded `timer` inputs. */
  setTimer(): void {}

  /** Does nothing. */
  cancelTimer(): void {}
}
