// How people name an instrument on the command line and in the API: `NSE:INFY` (Kite's EXCHANGE:SYMBOL), the id
// `INFY.NSE`, or the broker token `408065`.
import {
  instrumentId,
  isExchange,
  parseInstrumentId,
  type DataNamespace,
  type Instrument,
  type InstrumentId,
  type InstrumentRepository,
} from '@kitepilot/core';

/** A parsed instrument reference: an instrument id, or a broker token. */
export type InstrumentRef =
  { readonly kind: 'id'; readonly id: InstrumentId } | { readonly kind: 'token'; readonly token: number };

/** Thrown when a text names no instrument in a valid form. */
export class InstrumentRefError extends Error {
  override name = 'InstrumentRefError';
}

/** Thrown when a well-formed reference names no instrument of the stored master. */
export class UnknownInstrumentError extends Error {
  override name = 'UnknownInstrumentError';
}

/** Returns the reference of `EXCHANGE:SYMBOL`, `SYMBOL.EXCHANGE` or a positive integer token; throws InstrumentRefError. */
export function parseInstrumentRef(text: string): InstrumentRef {
  const s = text.trim();
  if (/^\d+$/.test(s)) {
    const token = Number(s);
    if (Number.isSafeInteger(token) && token > 0) return { kind: 'token', token };
  }
  try {
    const colon = s.indexOf(':');
    if (colon > 0) {
      const exchange = s.slice(0, colon);
      if (!isExchange(exchange)) throw new InstrumentRefError(`unknown exchange ${JSON.stringify(exchange)}`);
      return { kind: 'id', id: instrumentId(s.slice(colon + 1), exchange) };
    }
    const { symbol, exchange } = parseInstrumentId(s);
    return { kind: 'id', id: instrumentId(symbol, exchange) };
  } catch (error) {
    throw new InstrumentRefError(
      `instrument ${JSON.stringify(text)} is not EXCHANGE:SYMBOL (NSE:INFY), SYMBOL.EXCHANGE (INFY.NSE) or a token`,
      { cause: error },
    );
  }
}

/** Returns the instrument id of `EXCHANGE:SYMBOL` or `SYMBOL.EXCHANGE` (no token); throws InstrumentRefError. */
export function parseInstrumentSymbol(text: string): InstrumentId {
  const ref = parseInstrumentRef(text);
  if (ref.kind === 'token') {
    throw new InstrumentRefError(
      `instrument ${JSON.stringify(text)} must be EXCHANGE:SYMBOL here, not a token`,
    );
  }
  return ref.id;
}

/** Returns `EXCHANGE:SYMBOL` (Kite's form) of an instrument id. */
export function kiteSymbol(id: InstrumentId): string {
  const { symbol, exchange } = parseInstrumentId(id);
  return `${exchange}:${symbol}`;
}

/** Returns the instrument `ref` names in the master version in force on `onDate`, or null. */
export async function findInstrument(
  repository: InstrumentRepository,
  namespace: DataNamespace,
  ref: InstrumentRef,
  onDate: string,
): Promise<Instrument | null> {
  return ref.kind === 'token'
    ? repository.getByToken(namespace, ref.token, onDate)
    : repository.get(namespace, ref.id, onDate);
}

/** Returns the instrument `text` names on `onDate`; throws InstrumentRefError or UnknownInstrumentError. */
export async function resolveInstrument(
  repository: InstrumentRepository,
  namespace: DataNamespace,
  text: string,
  onDate: string,
): Promise<Instrument> {
  const found = await findInstrument(repository, namespace, parseInstrumentRef(text), onDate);
  if (found === null) {
    const latest = await repository.latestVersion(namespace);
    throw new UnknownInstrumentError(
      latest === null
        ? `no instruments master in namespace ${namespace}: run \`kitepilot instruments sync\` first (looking for ${text})`
        : `instrument ${text} is not in the ${namespace} instruments master as of ${onDate} (latest version ${latest})`,
    );
  }
  return found;
}
