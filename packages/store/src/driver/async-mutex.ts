/** A FIFO async mutex: one holder at a time, waiters served in arrival order. */
export class AsyncMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Resolves when the caller holds the mutex; call the returned function exactly once to release it. */
  async acquire(): Promise<() => void> {
    if (this.#locked) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    } else {
      this.#locked = true;
    }
    let released = false;
    return () => {
      if (released) throw new Error('AsyncMutex released twice');
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#locked = false;
    };
  }

  /** Runs `fn` while holding the mutex. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Whether someone holds the mutex now. */
  get locked(): boolean {
    return this.#locked;
  }
}
