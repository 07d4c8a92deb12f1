// How the kernel and strategies find instruments: by id (`INFY.NSE`), by the `NSE:INFY` notation traders and Kite
// use, or by the broker token a tick carries.
import { InvariantError, type Instrument } from '@kitepilot/core';

/** Looks up instruments of the trading day. */
export interface InstrumentCatalog {
  /** Returns the instrument with id `id` (`INFY.NSE`), or null. */
  byId(id: string): Instrument | null;
  /** Returns the instrument for `NSE:INFY` or `INFY.NSE`, or null. */
  bySymbol(symbol: string): Instrument | null;
  /** Returns the instrument whose broker token is `token`, or null. */
  byToken(token: number): Instrument | null;
}

/** Returns the instrument id spelled by `NSE:INFY` (→ `INFY.NSE`) or `INFY.NSE` (unchanged). */
export function normaliseSymbol(symbol: string): string {
  const colon = symbol.indexOf(':');
  return colon < 0 ? symbol : `${symbol.slice(colon + 1)}.${symbol.slice(0, colon)}`;
}

/** An InstrumentCatalog over a fixed list (backtests, tests, one day's contract file). */
export class MapInstrumentCatalog implements InstrumentCatalog {
  readonly #byId = new Map<string, Instrument>();
  readonly #byToken = new Map<number, Instrument>();

  /** Indexes `instruments`; throws InvariantError on a repeated id or token. */
  constructor(instruments: readonly Instrument[]) {
    for (const instrument of instruments) {
      const sameId = this.#byId.get(instrument.id);
      if (sameId !== undefined) throw new InvariantError(`instrument ${instrument.id} is listed twice`);
      const sameToken = this.#byToken.get(instrument.token);
      if (sameToken !== undefined) {
        throw new InvariantError(
          `token ${instrument.token} is listed for both ${sameToken.id} and ${instrument.id}`,
        );
      }
      this.#byId.set(instrument.id, instrument);
      this.#byToken.set(instrument.token, instrument);
    }
  }

  /** Returns the instrument with id `id`, or null. */
  byId(id: string): Instrument | null {
    return this.#byId.get(id) ?? null;
  }

  /** Returns the instrument for `NSE:INFY` or `INFY.NSE`, or null. */
  bySymbol(symbol: string): Instrument | null {
    return this.#byId.get(normaliseSymbol(symbol.trim())) ?? null;
  }

  /** Returns the instrument whose broker token is `token`, or null. */
  byToken(token: number): Instrument | null {
    return this.#byToken.get(token) ?? null;
  }

  /** Returns every instrument, in the order given. */
  all(): readonly Instrument[] {
    return [...this.#byId.values()];
  }
}
