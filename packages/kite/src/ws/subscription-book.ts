import type { TickMode } from '@kitepilot/core';

/** The instruments a ticker connection should be subscribed to, each with its mode. */
export class SubscriptionBook {
  readonly #modes = new Map<number, TickMode>();

  /** Returns the number of subscribed instruments. */
  get size(): number {
    return this.#modes.size;
  }

  /** Returns true when `token` is subscribed. */
  has(token: number): boolean {
    return this.#modes.has(token);
  }

  /** Returns the mode of `token`, or undefined when it is not subscribed. */
  modeOf(token: number): TickMode | undefined {
    return this.#modes.get(token);
  }

  /** Records `tokens` as subscribed in `mode`. */
  set(tokens: readonly number[], mode: TickMode): void {
    for (const t of tokens) this.#modes.set(t, mode);
  }

  /** Forgets `tokens`. */
  remove(tokens: readonly number[]): void {
    for (const t of tokens) this.#modes.delete(t);
  }

  /** Returns every subscribed token. */
  tokens(): number[] {
    return [...this.#modes.keys()];
  }

  /** Returns the subscribed tokens grouped by mode (modes without tokens are left out). */
  byMode(): Map<TickMode, number[]> {
    const groups = new Map<TickMode, number[]>();
    for (const [token, mode] of this.#modes) {
      const group = groups.get(mode);
      if (group === undefined) groups.set(mode, [token]);
      else group.push(token);
    }
    return groups;
  }

  /** Returns a copy of the token → mode map. */
  snapshot(): ReadonlyMap<number, TickMode> {
    return new Map(this.#modes);
  }
}
