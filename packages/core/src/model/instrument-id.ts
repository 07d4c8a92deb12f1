import { InvalidIdError } from './errors.ts';
import { isExchange, type Exchange } from './exchange.ts';
import type { Brand } from './ids.ts';

/** An instrument id `SYMBOL.EXCHANGE`, e.g. `RELIANCE.NSE`, `NIFTY26NOVFUT.NFO`, `NIFTY 50.NSE`. */
export type InstrumentId = Brand<string, 'InstrumentId'>;

// Kite trading symbols use upper-case letters, digits, `-` and `&` (M&M, BAJAJ-AUTO); index symbols
// contain single inner spaces (`NIFTY 50`). A dot would make the id ambiguous, so it is refused.
const SYMBOL = /^[0-9A-Za-z&_-]+(?: [0-9A-Za-z&_-]+)*$/;
const SYMBOL_MAX_LENGTH = 40;

function checkSymbol(symbol: string): void {
  if (symbol.length === 0 || symbol.length > SYMBOL_MAX_LENGTH || !SYMBOL.test(symbol)) {
    throw new InvalidIdError(
      `trading symbol ${JSON.stringify(symbol)} is malformed: expected 1..${SYMBOL_MAX_LENGTH} of [0-9A-Za-z&_-] with single inner spaces`,
    );
  }
}

/** Returns the instrument id of `symbol` on `exchange`; throws InvalidIdError on a malformed symbol. */
export function instrumentId(symbol: string, exchange: Exchange): InstrumentId {
  checkSymbol(symbol);
  if (!isExchange(exchange)) throw new InvalidIdError(`unknown exchange ${JSON.stringify(exchange)}`);
  return `${symbol}.${exchange}` as InstrumentId;
}

/** Returns the symbol and exchange of an instrument id; throws InvalidIdError when malformed. */
export function parseInstrumentId(s: string): { readonly symbol: string; readonly exchange: Exchange } {
  const dot = s.lastIndexOf('.');
  if (dot < 0) throw new InvalidIdError(`instrument id ${JSON.stringify(s)} lacks ".EXCHANGE"`);
  const symbol = s.slice(0, dot);
  const exchange = s.slice(dot + 1);
  if (!isExchange(exchange)) {
    throw new InvalidIdError(
      `instrument id ${JSON.stringify(s)} has unknown exchange ${JSON.stringify(exchange)}`,
    );
  }
  checkSymbol(symbol);
  return { symbol, exchange };
}

/** Returns `s` as an InstrumentId after validating it; throws InvalidIdError when malformed. */
export function asInstrumentId(s: string): InstrumentId {
  parseInstrumentId(s);
  return s as InstrumentId;
}
