// The instrument dump of GET /instruments as Kite serves it: the 12 columns of kite-connect.md §2.5, header first.
import type { SimInstrument } from './sim-instrument.ts';

/** The exact header row of Kite's instruments CSV. */
export const INSTRUMENTS_CSV_HEADER =
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';

function rupees(paiseValue: number): string {
  return String(paiseValue / 100);
}

function quoteField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Returns the CSV text of the instruments (rows in the given order) with their dump-time last prices. */
export function instrumentsCsv(
  instruments: readonly SimInstrument[],
  lastPricePaise: (instrument: SimInstrument) => number,
): string {
  const rows = [INSTRUMENTS_CSV_HEADER];
  for (const i of instruments) {
    rows.push(
      [
        String(i.instrumentToken),
        String(i.exchangeToken),
        quoteField(i.tradingsymbol),
        quoteField(i.name),
        rupees(lastPricePaise(i)),
        i.expiry ?? '',
        rupees(i.strikePaise),
        rupees(i.tickSizePaise),
        String(i.lotSize),
        i.instrumentType,
        i.segment,
        i.exchange,
      ].join(','),
    );
  }
  // No trailing newline: the official client's CSV parser would turn it into an empty instrument.
  return rows.join('\n');
}
