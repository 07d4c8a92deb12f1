// Quantity freeze limits of index derivatives by date (market-rules.md §4.4). The Kite contract file has no freeze
// column, so the limits come from a dated data file, and a sync applies the set in force on its version date.
import { addDays, makeInstrument, type Instrument } from '@kitepilot/core';
import rawFreezeQuantities from './freeze-quantities.json' with { type: 'json' };

/** The freeze limits (units per order, by underlying name) that take effect on `from` (`YYYY-MM-DD`). */
export interface FreezeQuantitySet {
  readonly from: string;
  readonly limits: Readonly<Record<string, number>>;
}

/** Thrown when a freeze-quantity data file is malformed; the message names the entry and the problem. */
export class FreezeQuantityDataError extends Error {
  override name = 'FreezeQuantityDataError';
}

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    return addDays(value, 0) === value;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function fail(message: string): never {
  throw new FreezeQuantityDataError(`freeze quantities: ${message}`);
}

/** Returns the validated sets of a freeze-quantity file (`{ sets: [{ from, limits }] }`), oldest first. */
export function parseFreezeQuantities(data: unknown): FreezeQuantitySet[] {
  const sets = (data as { sets?: unknown } | null)?.sets;
  if (!Array.isArray(sets) || sets.length === 0) fail('expected a non-empty "sets" array');
  const parsed: FreezeQuantitySet[] = [];
  sets.forEach((entry: unknown, i) => {
    const { from, limits } = (entry ?? {}) as { from?: unknown; limits?: unknown };
    if (!isIsoDate(from)) fail(`set ${i} has from ${JSON.stringify(from)}, not a YYYY-MM-DD date`);
    const previous = parsed[parsed.length - 1];
    if (previous !== undefined && from <= previous.from) {
      fail(`set ${i} (from ${from}) is not after set ${i - 1} (from ${previous.from})`);
    }
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
      fail(`set ${i} (from ${from}) has no "limits" object`);
    }
    for (const [underlying, qty] of Object.entries(limits)) {
      if (!Number.isSafeInteger(qty) || (qty as number) <= 0) {
        fail(`set ${i} (from ${from}): ${underlying} limit ${JSON.stringify(qty)} is not a positive integer`);
      }
    }
    parsed.push({ from, limits: { ...(limits as Record<string, number>) } });
  });
  return parsed;
}

/** Looks up the freeze limit of an index derivative's underlying on a date. */
export class FreezeQuantityTable {
  readonly #sets: readonly FreezeQuantitySet[];

  /** Creates a table over `sets` (validated like a data file). */
  constructor(sets: readonly FreezeQuantitySet[]) {
    this.#sets = parseFreezeQuantities({ sets });
  }

  /** Returns the limits in force on `date`: the latest set with `from` ≤ date, or null before the first set. */
  setOn(date: string): FreezeQuantitySet | null {
    let found: FreezeQuantitySet | null = null;
    for (const set of this.#sets) if (set.from <= date) found = set;
    return found;
  }

  /** Returns the freeze limit of `underlying` on `date`, or null when the table has none. */
  limitOn(underlying: string, date: string): number | null {
    return this.setOn(date)?.limits[underlying] ?? null;
  }

  /**
   * Returns `instrument` with the freeze limit in force on `date` when it is an NSE index derivative (NFO future or
   * option) whose underlying the table lists; any other instrument is returned unchanged.
   */
  apply(instrument: Instrument, date: string): Instrument {
    if (instrument.exchange !== 'NFO' || instrument.type === 'EQ' || instrument.type === 'INDEX')
      return instrument;
    if (instrument.underlying === null) return instrument;
    const limit = this.limitOn(instrument.underlying, date);
    if (limit === null || limit === instrument.freezeQty) return instrument;
    const { id: _id, ...fields } = instrument;
    // Through makeInstrument, so a limit below the lot size is refused (freeze must be ≥ lot, §4.4).
    return makeInstrument({ ...fields, freezeQty: limit });
  }
}

/** Returns the table of the bundled freeze-quantities.json (validated when called). */
export function bundledFreezeQuantities(): FreezeQuantityTable {
  return new FreezeQuantityTable(parseFreezeQuantities(rawFreezeQuantities));
}
