/** An entry of the merge heap: the head of one instrument's stream. */
export interface HeapEntry {
  /** The tick time (exchange time, else receive time). */
  readonly timeMs: number;
  /** The receive time, the first tie-breaker. */
  readonly receivedMs: number;
  /** The position of the instrument in the replay's list, the last tie-breaker. */
  readonly source: number;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  if (a.timeMs !== b.timeMs) return a.timeMs < b.timeMs;
  if (a.receivedMs !== b.receivedMs) return a.receivedMs < b.receivedMs;
  return a.source < b.source;
}

/** A binary min-heap ordered by tick time, then receive time, then source index. */
export class TickTimeHeap<T extends HeapEntry> {
  readonly #items: T[] = [];

  /** Returns how many entries the heap holds. */
  get size(): number {
    return this.#items.length;
  }

  /** Returns the earliest entry without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds an entry. */
  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right] as T, items[left] as T) ? right : left;
      const c = items[child] as T;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
