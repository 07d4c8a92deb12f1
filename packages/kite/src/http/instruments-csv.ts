// The instruments dump (kite-connect.md §2.5) read as it streams in, row by row, into core Instruments.
// Segments we do not model (currency, commodity) are skipped with a reason rather than failing the dump.
import {
  isExchange,
  makeInstrument,
  rupeesToPaise,
  type Instrument,
  type InstrumentType,
} from '@kitepilot/core';
import { CsvStreamParser } from './csv-stream-parser.ts';

/** The 12 columns of the dump, in order. */
export const INSTRUMENT_CSV_COLUMNS = [
  'instrument_token',
  'exchange_token',
  'tradingsymbol',
  'name',
  'last_price',
  'expiry',
  'strike',
  'tick_size',
  'lot_size',
  'instrument_type',
  'segment',
  'exchange',
] as const;

/** One row of the dump: an Instrument, or a skipped row with the reason. */
export type InstrumentRow =
  | { readonly kind: 'instrument'; readonly instrument: Instrument }
  | {
      readonly kind: 'skipped';
      readonly line: number;
      readonly tradingsymbol: string;
      readonly segment: string;
      readonly reason: string;
    };

const UNDERLYING = /^([A-Z0-9&_-]+?)\d{2}(?:[A-Z]{3}|[1-9OND]\d{2})/;

function underlyingOf(name: string, symbol: string): string | null {
  if (name !== '') return name;
  return UNDERLYING.exec(symbol)?.[1] ?? null;
}

function typeOf(kiteType: string, segment: string): InstrumentType | null {
  if (segment === 'INDICES') return 'INDEX';
  if (kiteType === 'EQ' || kiteType === 'FUT' || kiteType === 'CE' || kiteType === 'PE') return kiteType;
  return null;
}

/**
 * Returns the Instrument of one CSV record (fields by column name), or the reason it is skipped. Prices are read
 * as exact decimals; indices get lot size 1 and, when the dump says 0, a tick of 1 paisa (they are not traded).
 */
export function instrumentFromCsvRecord(r: Readonly<Record<string, string>>): Instrument | string {
  const exchange = r['exchange'] ?? '';
  const segment = r['segment'] ?? '';
  const symbol = r['tradingsymbol'] ?? '';
  if (!isExchange(exchange)) return `exchange ${exchange} (segment ${segment}) is not modelled`;
  const type = typeOf(r['instrument_type'] ?? '', segment);
  if (type === null) return `instrument type ${JSON.stringify(r['instrument_type'])} is not modelled`;
  const token = Number(r['instrument_token']);
  const exchangeToken = Number(r['exchange_token']);
  let tickSizePaise: number;
  let strikePaise: number | null = null;
  try {
    tickSizePaise = rupeesToPaise(r['tick_size'] || '0');
    const strike = rupeesToPaise(r['strike'] || '0');
    if (type === 'CE' || type === 'PE') strikePaise = strike;
  } catch (error) {
    return `price field is not in whole paise: ${error instanceof Error ? error.message : String(error)}`;
  }
  const derivative = type === 'FUT' || type === 'CE' || type === 'PE';
  const lotSize = type === 'INDEX' ? 1 : Number(r['lot_size']);
  if (type === 'INDEX' && tickSizePaise === 0) tickSizePaise = 1;
  const underlying = derivative ? underlyingOf(r['name'] ?? '', symbol) : null;
  if (derivative && underlying === null) return `no underlying name and none in the symbol`;
  try {
    return makeInstrument({
      exchange,
      type,
      tradingSymbol: symbol,
      name: r['name'] ?? '',
      token,
      exchangeToken,
      tickSizePaise: tickSizePaise as Instrument['tickSizePaise'],
      lotSize,
      freezeQty: null,
      expiry: derivative ? (r['expiry'] ?? '') || null : null,
      strikePaise: strikePaise as Instrument['strikePaise'],
      underlying,
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Returns the rows of a dump as text chunks arrive; the header must carry the 12 columns of §2.5. */
export async function* parseInstrumentsCsv(chunks: AsyncIterable<string>): AsyncGenerator<InstrumentRow> {
  const parser = new CsvStreamParser();
  let header: string[] | null = null;
  let line = 0;
  function* rows(records: string[][]): Generator<InstrumentRow> {
    for (const record of records) {
      line++;
      if (header === null) {
        header = record.map((h) => h.trim());
        const missing = INSTRUMENT_CSV_COLUMNS.filter((c) => !header?.includes(c));
        if (missing.length > 0) throw new RangeError(`instruments CSV header lacks ${missing.join(', ')}`);
        continue;
      }
      const fields: Record<string, string> = {};
      header.forEach((h, i) => (fields[h] = record[i] ?? ''));
      const result = instrumentFromCsvRecord(fields);
      if (typeof result === 'string') {
        yield {
          kind: 'skipped',
          line,
          tradingsymbol: fields['tradingsymbol'] ?? '',
          segment: fields['segment'] ?? '',
          reason: result,
        };
      } else {
        yield { kind: 'instrument', instrument: result };
      }
    }
  }
  for await (const chunk of chunks) yield* rows(parser.push(chunk));
  yield* rows(parser.end());
}

/** Returns the text chunks of a byte stream (a fetch Response body), decoded as UTF-8 across chunk edges. */
export async function* decodeUtf8Chunks(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const bytes of body) {
    const text = decoder.decode(bytes, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
