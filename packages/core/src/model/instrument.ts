import { InvariantError } from './errors.ts';
import { isDerivativeExchange, type Exchange } from './exchange.ts';
import { instrumentId, type InstrumentId } from './instrument-id.ts';
import type { Paise } from './money.ts';

/** The instrument types we trade or watch: equity, future, call, put, index (not tradable). */
export const INSTRUMENT_TYPES = ['EQ', 'FUT', 'CE', 'PE', 'INDEX'] as const;

/** An instrument type (Kite `instrument_type`, with indices as `INDEX`). */
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** A tradable (or, for INDEX, watch-only) instrument as of one trading day's contract file. */
export interface Instrument {
  readonly id: InstrumentId;
  readonly exchange: Exchange;
  readonly type: InstrumentType;
  readonly tradingSymbol: string;
  readonly name: string;
  /** Kite `instrument_token` (the ticker subscribes with it). */
  readonly token: number;
  readonly exchangeToken: number;
  readonly tickSizePaise: Paise;
  readonly lotSize: number;
  /** Maximum quantity per order (units), or null when the exchange sets none. */
  readonly freezeQty: number | null;
  /** `YYYY-MM-DD` (IST date) for derivatives, null otherwise. */
  readonly expiry: string | null;
  readonly strikePaise: Paise | null;
  /** The underlying's name as in the contract file (`NIFTY`, `RELIANCE`), null for EQ and INDEX. */
  readonly underlying: string | null;
}

/** The fields makeInstrument takes; the id is derived from tradingSymbol and exchange. */
export type InstrumentFields = Omit<Instrument, 'id'>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Returns true when `s` is a real calendar date written `YYYY-MM-DD`. */
function isRealDate(s: string): boolean {
  const m = DATE.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= (days[mo - 1] ?? 0);
}

function fail(symbol: string, message: string): never {
  throw new InvariantError(`instrument ${symbol}: ${message}`);
}

function positiveInt(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

/** Returns a validated Instrument; throws InvariantError naming the symbol and the broken rule. */
export function makeInstrument(fields: InstrumentFields): Instrument {
  const s = fields.tradingSymbol;
  const id = instrumentId(s, fields.exchange);
  const derivative = fields.type === 'FUT' || fields.type === 'CE' || fields.type === 'PE';
  if (derivative !== isDerivativeExchange(fields.exchange)) {
    fail(s, `type ${fields.type} cannot be listed on ${fields.exchange}`);
  }
  if (!positiveInt(fields.token)) fail(s, `token ${fields.token} must be a positive integer`);
  if (!Number.isSafeInteger(fields.exchangeToken) || fields.exchangeToken < 0) {
    fail(s, `exchange token ${fields.exchangeToken} must be a non-negative integer`);
  }
  if (!positiveInt(fields.tickSizePaise)) fail(s, `tick size ${fields.tickSizePaise} paise must be > 0`);
  if (!positiveInt(fields.lotSize)) fail(s, `lot size ${fields.lotSize} must be an integer ≥ 1`);
  if (fields.freezeQty !== null && (!positiveInt(fields.freezeQty) || fields.freezeQty < fields.lotSize)) {
    fail(s, `freeze quantity ${fields.freezeQty} must be an integer ≥ lot size ${fields.lotSize}`);
  }
  if (derivative) {
    if (fields.expiry === null) fail(s, `${fields.type} needs an expiry`);
    if (fields.underlying === null || fields.underlying === '') fail(s, `${fields.type} needs an underlying`);
  } else if (fields.expiry !== null) {
    fail(s, `${fields.type} cannot have an expiry (${fields.expiry})`);
  }
  if (fields.expiry !== null && !isRealDate(fields.expiry)) {
    fail(s, `expiry ${JSON.stringify(fields.expiry)} is not a YYYY-MM-DD date`);
  }
  if (fields.type === 'CE' || fields.type === 'PE') {
    if (fields.strikePaise === null || !positiveInt(fields.strikePaise)) {
      fail(s, `option needs a positive strike, got ${String(fields.strikePaise)}`);
    }
  } else if (fields.strikePaise !== null) {
    fail(s, `${fields.type} cannot have a strike (${fields.strikePaise} paise)`);
  }
  if (fields.type === 'INDEX' && fields.lotSize !== 1)
    fail(s, `INDEX lot size must be 1, got ${fields.lotSize}`);
  return { id, ...fields };
}

/** Returns true when orders may be placed in the instrument (every type but INDEX). */
export function isTradable(instrument: Instrument): boolean {
  return instrument.type !== 'INDEX';
}

/** The outcome of a check that returns data instead of throwing (STYLE.md "Errors"). */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Returns whether `qty` may be sent in one order: a positive multiple of the lot size and at most the
 * freeze quantity (market-rules.md §4.4; the freeze value is taken as an inclusive maximum per order).
 */
export function validateOrderQuantity(instrument: Instrument, qty: number): CheckResult {
  const s = instrument.tradingSymbol;
  if (!isTradable(instrument)) return { ok: false, reason: `${s} is an index and cannot be traded` };
  if (!positiveInt(qty)) return { ok: false, reason: `quantity ${qty} must be a positive integer for ${s}` };
  if (qty % instrument.lotSize !== 0) {
    return {
      ok: false,
      reason: `quantity ${qty} is not a multiple of lot size ${instrument.lotSize} for ${s}`,
    };
  }
  if (instrument.freezeQty !== null && qty > instrument.freezeQty) {
    return { ok: false, reason: `quantity ${qty} exceeds freeze quantity ${instrument.freezeQty} for ${s}` };
  }
  return { ok: true };
}
