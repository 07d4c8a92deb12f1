// Who watches what: the clients of each instrument's ticks and of each instrument × interval's bars, so that a tick
// reaches its watchers without looking at the other clients.
import type { BarInterval, InstrumentId } from '@kitepilot/core';
import type { LiveClient } from './live-client.ts';

const NONE: ReadonlySet<LiveClient> = new Set();

/** The watchers of ticks and bars, kept in step with each client's `watching`. */
export class LiveWatchers {
  readonly #ticks = new Map<InstrumentId, Set<LiveClient>>();
  readonly #bars = new Map<string, Set<LiveClient>>();

  /** Returns the clients watching an instrument's ticks. */
  ofTicks(id: InstrumentId): ReadonlySet<LiveClient> {
    return this.#ticks.get(id) ?? NONE;
  }

  /** Returns the clients watching an instrument's bars of `interval`. */
  ofBars(id: InstrumentId, interval: BarInterval): ReadonlySet<LiveClient> {
    return this.#bars.get(barKey(id, interval)) ?? NONE;
  }

  /** Adds `client` as a watcher of the instrument's ticks and bars of `intervals`; returns true when it is new. */
  watch(client: LiveClient, id: InstrumentId, intervals: readonly BarInterval[]): boolean {
    const fresh = !client.watching.has(id);
    const wanted = client.watching.get(id) ?? new Set<BarInterval>();
    client.watching.set(id, wanted);
    setOf(this.#ticks, id).add(client);
    for (const interval of intervals) {
      wanted.add(interval);
      setOf(this.#bars, barKey(id, interval)).add(client);
    }
    return fresh;
  }

  /** Removes `client` as a watcher of the instrument (ticks and bars). */
  unwatch(client: LiveClient, id: InstrumentId): void {
    const intervals = client.watching.get(id);
    if (intervals === undefined) return;
    remove(this.#ticks, id, client);
    for (const interval of intervals) remove(this.#bars, barKey(id, interval), client);
    client.watching.delete(id);
  }

  /** Removes `client` from everything it watches. */
  forget(client: LiveClient): void {
    for (const id of [...client.watching.keys()]) this.unwatch(client, id);
  }
}

function barKey(id: InstrumentId, interval: BarInterval): string {
  return `${id}|${interval}`;
}

function setOf<K>(map: Map<K, Set<LiveClient>>, key: K): Set<LiveClient> {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  return set;
}

function remove<K>(map: Map<K, Set<LiveClient>>, key: K, client: LiveClient): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(client);
  if (set.size === 0) map.delete(key);
}
