// The watchlist: the instruments whose ticks are recorded (issue item 1). Only instruments of the stored master may
// be added; the config's `[marketData] watchlist` seeds it at start.
import {
  istDate,
  type Clock,
  type DataNamespace,
  type InstrumentId,
  type InstrumentRepository,
  type TickMode,
  type WatchlistEntry,
  type WatchlistRepository,
} from '@kitepilot/core';
import {
  InstrumentRefError,
  parseInstrumentSymbol,
  resolveInstrument,
  UnknownInstrumentError,
} from './instrument-ref.ts';

/** The stores a watchlist change reads and writes. */
export interface WatchlistDeps {
  readonly watchlist: WatchlistRepository;
  readonly instruments: InstrumentRepository;
  readonly clock: Clock;
}

/**
 * Adds the instrument `symbol` names (`NSE:INFY`, `INFY.NSE` or a token) in `mode`, or sets the mode of its entry;
 * throws UnknownInstrumentError when today's master in the namespace does not list it.
 */
export async function putWatchlistEntry(
  deps: WatchlistDeps,
  namespace: DataNamespace,
  symbol: string,
  mode: TickMode,
): Promise<{ readonly value: WatchlistEntry; readonly created: boolean }> {
  const now = deps.clock.now();
  const instrument = await resolveInstrument(deps.instruments, namespace, symbol, istDate(now));
  return deps.watchlist.put(namespace, { instrumentId: instrument.id, mode, addedAt: now });
}

/** Removes the instrument `symbol` names (`NSE:INFY` or `INFY.NSE`); returns its id and whether it was listed. */
export async function removeWatchlistEntry(
  deps: Pick<WatchlistDeps, 'watchlist'>,
  namespace: DataNamespace,
  symbol: string,
): Promise<{ readonly instrumentId: InstrumentId; readonly removed: boolean }> {
  const id = parseInstrumentSymbol(symbol);
  return { instrumentId: id, removed: await deps.watchlist.remove(namespace, id) };
}

/** What seeding the watchlist from the configuration did. */
export interface WatchlistSeedResult {
  readonly added: readonly InstrumentId[];
  /** Already listed: left as they are (their stored mode wins over the default). */
  readonly kept: readonly InstrumentId[];
  /** Not in today's master (or malformed), with the reason: not added. */
  readonly rejected: readonly { readonly symbol: string; readonly reason: string }[];
}

/**
 * Adds every configured `EXCHANGE:SYMBOL` that today's master lists and the watchlist lacks, in `mode` (default
 * full); the server calls it at start. Entries added through the CLI or API are never removed by it.
 */
export async function seedWatchlist(
  deps: WatchlistDeps,
  namespace: DataNamespace,
  symbols: readonly string[],
  mode: TickMode = 'full',
): Promise<WatchlistSeedResult> {
  const added: InstrumentId[] = [];
  const kept: InstrumentId[] = [];
  const rejected: { symbol: string; reason: string }[] = [];
  const now = deps.clock.now();
  for (const symbol of symbols) {
    let id: InstrumentId;
    try {
      id = (await resolveInstrument(deps.instruments, namespace, symbol, istDate(now))).id;
    } catch (error) {
      if (!(error instanceof InstrumentRefError || error instanceof UnknownInstrumentError)) throw error;
      rejected.push({ symbol, reason: error.message });
      continue;
    }
    const created = await deps.watchlist.addIfMissing(namespace, { instrumentId: id, mode, addedAt: now });
    (created ? added : kept).push(id);
  }
  return { added, kept, rejected };
}
