// The bundled Zerodha rate tables (zerodha-rates.json), validated when this module loads so that a bad edit of the
// data file stops start-up with a ChargesDataError instead of mis-charging trades.
import { RateTables } from './rate-tables.ts';
import rawRates from './zerodha-rates.json' with { type: 'json' };

/** The bundled zerodha-rates.json as parsed JSON, before validation. */
export const ZERODHA_RATES_JSON: unknown = rawRates;

/** The bundled Zerodha rate tables, validated at load (1 Oct 2024 onward; market-rules.md §1.2). */
export const ZERODHA_RATE_TABLES: RateTables = RateTables.fromJson(rawRates);
