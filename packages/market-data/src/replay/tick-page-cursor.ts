import type { DataNamespace, InstrumentId, InstrumentTick, TickRepository } from '@kitepilot/core';

/** Returns the time a stored tick is filed under: its exchange time, else its receive time. */
export function storedTickTime(entry: InstrumentTick): number {
  return entry.tick.exchangeTs ?? entry.tick.tsInit;
}

/**
 * Reads one instrument's stored ticks in [fromMs, toMs) page by page, oldest first, holding at most one page.
 * The repository orders ticks by time and then by arrival, and takes only a start time and a limit; so the cursor
 * keeps (time of the last tick read, how many ticks at that time were read) and the next page starts at that
 * time, skipping the ticks already delivered. A page never drops or repeats a tick, even when many ticks share a
 * millisecond across a page boundary (the next read then asks for skip + pageSize rows).
 */
export class TickPageCursor {
  readonly #repository: Pick<TickRepository, 'read'>;
  readonly #namespace: DataNamespace;
  readonly #instrumentId: InstrumentId;
  readonly #toMs: number;
  readonly #pageSize: number;
  #fromMs: number;
  #skipAtFrom = 0;
  #exhausted = false;
  #page: InstrumentTick[] = [];
  #index = 0;
  #pagesRead = 0;

  constructor(options: {
    readonly repository: Pick<TickRepository, 'read'>;
    readonly namespace: DataNamespace;
    readonly instrumentId: InstrumentId;
    readonly fromMs: number;
    readonly toMs: number;
    readonly pageSize: number;
  }) {
    if (!Number.isSafeInteger(options.pageSize) || options.pageSize < 1) {
      throw new RangeError(`tick page size ${options.pageSize} must be a positive integer`);
    }
    this.#repository = options.repository;
    this.#namespace = options.namespace;
    this.#instrumentId = options.instrumentId;
    this.#fromMs = options.fromMs;
    this.#toMs = options.toMs;
    this.#pageSize = options.pageSize;
  }

  /** Returns how many pages were read from the repository so far. */
  get pagesRead(): number {
    return this.#pagesRead;
  }

  /** Returns the next tick, reading the next page when the current one is used up; undefined at the end. */
  async next(): Promise<InstrumentTick | undefined> {
    if (this.#index >= this.#page.length) {
      if (this.#exhausted) return undefined;
      await this.#readPage();
      if (this.#index >= this.#page.length) return undefined;
    }
    const entry = this.#page[this.#index];
    this.#index += 1;
    return entry;
  }

  async #readPage(): Promise<void> {
    const limit = this.#skipAtFrom + this.#pageSize;
    const rows = await this.#repository.read(
      this.#namespace,
      this.#instrumentId,
      this.#fromMs,
      this.#toMs,
      limit,
    );
    this.#pagesRead += 1;
    if (rows.length < limit) this.#exhausted = true;
    const fresh = rows.slice(this.#skipAtFrom);
    const last = rows[rows.length - 1];
    if (last !== undefined) {
      const lastTime = storedTickTime(last);
      let atLast = 0;
      for (let i = rows.length - 1; i >= 0 && storedTickTime(rows[i] as InstrumentTick) === lastTime; i--) {
        atLast += 1;
      }
      // Counted over the whole read: when it all sits at the old start time, the skipped ticks count too.
      this.#skipAtFrom = atLast;
      this.#fromMs = lastTime;
    }
    this.#page = fresh;
    this.#index = 0;
  }
}
