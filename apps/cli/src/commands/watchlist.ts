// `kitepilot watchlist list|add|remove`: the instruments whose ticks are recorded. Only instruments of today's
// stored master can be added (run `kitepilot instruments sync` first).
import { formatIst, type TickMode, type WatchlistEntry } from '@kitepilot/core';
import { kiteSymbol, putWatchlistEntry, removeWatchlistEntry } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import {
  namespaceOf,
  stdoutIo,
  textTable,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';

/** Flags of `kitepilot watchlist list`. */
export interface WatchlistListFlags extends CommonMarketDataFlags {
  readonly json?: boolean;
}

/** Flags of `kitepilot watchlist add`. */
export interface WatchlistAddFlags extends CommonMarketDataFlags {
  /** Ticker mode: ltp, quote or full (default full). */
  readonly mode?: string;
  readonly json?: boolean;
}

const MODES: readonly TickMode[] = ['ltp', 'quote', 'full'];

function checkMode(mode: string): TickMode {
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new Error(`mode ${JSON.stringify(mode)} is not one of ${MODES.join(', ')}`);
  }
  return mode as TickMode;
}

function entryJson(entry: WatchlistEntry) {
  return {
    instrumentId: entry.instrumentId,
    symbol: kiteSymbol(entry.instrumentId),
    mode: entry.mode,
    addedAt: formatIst(entry.addedAt),
  };
}

/** `kitepilot watchlist list`: the watchlist of the namespace. */
export async function runWatchlistList(
  flags: WatchlistListFlags,
  io: CommandIo = stdoutIo,
): Promise<WatchlistEntry[]> {
  const namespace = namespaceOf(flags);
  return withStore(flags, io, async (store) => {
    const entries = await store.watchlist.list(namespace);
    if (flags.json === true) {
      io.write(`${JSON.stringify(entries.map(entryJson))}\n`);
    } else if (entries.length === 0) {
      io.write(`the ${namespace} watchlist is empty; add with \`kitepilot watchlist add NSE:INFY\`\n`);
    } else {
      io.write(
        textTable(
          ['SYMBOL', 'MODE', 'ADDED (IST)'],
          entries.map((e) => [kiteSymbol(e.instrumentId), e.mode, formatIst(e.addedAt)]),
        ),
      );
    }
    return entries;
  });
}

/** `kitepilot watchlist add NSE:INFY [--mode full]`: adds the instrument or changes its mode. */
export async function runWatchlistAdd(
  symbol: string,
  flags: WatchlistAddFlags,
  io: CommandIo = stdoutIo,
): Promise<WatchlistEntry> {
  const mode = checkMode(flags.mode ?? 'full');
  const namespace = namespaceOf(flags);
  return withStore(flags, io, async (store) => {
    const deps = { watchlist: store.watchlist, instruments: store.instruments, clock: new SystemClock() };
    const { value, created } = await putWatchlistEntry(deps, namespace, symbol, mode);
    io.write(
      flags.json === true
        ? `${JSON.stringify({ ...entryJson(value), created })}\n`
        : `${created ? 'Added' : 'Updated'} ${kiteSymbol(value.instrumentId)} (${value.mode}) on the ${namespace} watchlist\n`,
    );
    return value;
  });
}

/** `kitepilot watchlist remove NSE:INFY`: removes the instrument; fails when it is not on the list. */
export async function runWatchlistRemove(
  symbol: string,
  flags: CommonMarketDataFlags,
  io: CommandIo = stdoutIo,
): Promise<void> {
  const namespace = namespaceOf(flags);
  await withStore(flags, io, async (store) => {
    const { instrumentId, removed } = await removeWatchlistEntry(store, namespace, symbol);
    if (!removed) throw new Error(`${kiteSymbol(instrumentId)} is not on the ${namespace} watchlist`);
    io.write(`Removed ${kiteSymbol(instrumentId)} from the ${namespace} watchlist\n`);
  });
}
