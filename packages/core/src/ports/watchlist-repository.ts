import type { InstrumentId } from '../model/instrument-id.ts';
import type { TickMode } from '../model/tick.ts';
import type { DataNamespace } from './repositories.ts';

/** One instrument on the watchlist: its ticks are recorded in `mode` (kite-connect.md §5.4). */
export interface WatchlistEntry {
  readonly instrumentId: InstrumentId;
  readonly mode: TickMode;
  /** Epoch ms when the instrument was first added. */
  readonly addedAt: number;
}

/** Stores the watchlist of each market-data namespace: the instruments whose ticks are recorded. */
export interface WatchlistRepository {
  /** Returns the namespace's entries, by instrument id. */
  list(namespace: DataNamespace): Promise<WatchlistEntry[]>;
  /** Returns the entry of one instrument, or null. */
  get(namespace: DataNamespace, instrumentId: InstrumentId): Promise<WatchlistEntry | null>;
  /**
   * Adds the instrument in `mode`, or sets the mode of an entry that exists (its `addedAt` is kept); returns the
   * stored entry and whether it was created.
   */
  put(
    namespace: DataNamespace,
    entry: WatchlistEntry,
  ): Promise<{ readonly value: WatchlistEntry; readonly created: boolean }>;
  /** Adds the instrument unless it is already on the list (its stored mode is then kept); returns true when added. */
  addIfMissing(namespace: DataNamespace, entry: WatchlistEntry): Promise<boolean>;
  /** Removes the instrument; returns true when it was on the list. */
  remove(namespace: DataNamespace, instrumentId: InstrumentId): Promise<boolean>;
}
