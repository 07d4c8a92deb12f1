/** Kite exchange codes the simulator lists. */
export type SimExchange = 'NSE' | 'NFO';

/** Kite instrument-dump segments the simulator lists (kite-connect.md §2.5). */
export type SimSegment = 'NSE' | 'INDICES' | 'NFO-FUT' | 'NFO-OPT';

/** Kite instrument types the simulator lists (indices are `EQ`, §2.5). */
export type SimInstrumentType = 'EQ' | 'FUT' | 'CE' | 'PE';

/**
 * One instrument of the simulated universe. Naming rule: every `tradingsymbol` starts with `SIM` and every
 * `name` starts with `SIM ` (or is `SIMNIFTY` for derivatives), so simulated data can never be mistaken for
 * a listed instrument. Tokens follow Kite's rule `exchangeToken << 8 | segment id` (§2.5, §5.5).
 */
export interface SimInstrument {
  readonly instrumentToken: number;
  readonly exchangeToken: number;
  readonly tradingsymbol: string;
  readonly name: string;
  readonly exchange: SimExchange;
  readonly segment: SimSegment;
  readonly instrumentType: SimInstrumentType;
  /** Expiry date `YYYY-MM-DD` (IST) for derivatives, null otherwise. */
  readonly expiry: string | null;
  /** Strike in paise for options, 0 otherwise. */
  readonly strikePaise: number;
  readonly tickSizePaise: number;
  readonly lotSize: number;
  /** The largest quantity accepted in one order (exchange freeze limit), null when none applies. */
  readonly freezeQuantity: number | null;
  /** False for the index (segment 9 is not tradable). */
  readonly tradable: boolean;
  /** The `EX:SYMBOL` key used by quote endpoints. */
  readonly key: string;
}
