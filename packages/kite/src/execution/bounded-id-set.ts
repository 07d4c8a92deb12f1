/** A set of ids that forgets the oldest once it holds `capacity` of them (memory stays bounded all day). */
export class BoundedIdSet {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  /** Creates an empty set that keeps at most `capacity` ids. */
  constructor(capacity = 20_000) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) {
      throw new RangeError(`BoundedIdSet capacity ${capacity} must be a positive integer`);
    }
    this.#capacity = capacity;
  }

  /** Returns true when `id` is held. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Adds `id`; returns false when it was already held. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }

  /** Returns how many ids are held. */
  get size(): number {
    return this.#ids.size;
  }
}
