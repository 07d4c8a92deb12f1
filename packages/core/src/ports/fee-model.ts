import type { Exchange } from '../model/exchange.ts';
import type { InstrumentId } from '../model/instrument-id.ts';
import type { Paise } from '../model/money.ts';
import type { Side } from '../model/order-enums.ts';

/** The charge regimes of market-rules.md §1.3. */
export type ChargeSegment = 'equity-intraday' | 'equity-delivery' | 'futures' | 'options';

/** One executed order on a contract note: all its fills together (brokerage is per executed order). */
export interface ExecutedOrder {
  readonly instrumentId: InstrumentId;
  readonly side: Side;
  readonly qty: number;
  /** Σ qty × price of the order's fills (options: premium). */
  readonly valuePaise: Paise;
}

/** One contract note: one trading day × exchange × segment (market-rules.md §1.3). */
export interface ContractNoteInput {
  /** IST trading date `YYYY-MM-DD`; selects the dated rate table. */
  readonly tradeDate: string;
  readonly exchange: Exchange;
  readonly segment: ChargeSegment;
  readonly orders: readonly ExecutedOrder[];
}

/** The charges of a contract note, each rounded by its own rule, in paise. */
export interface ChargesBreakdown {
  readonly brokeragePaise: Paise;
  readonly sttPaise: Paise;
  readonly exchangePaise: Paise;
  readonly sebiPaise: Paise;
  readonly stampPaise: Paise;
  readonly gstPaise: Paise;
  /** Depository charge on delivery sells (0 elsewhere). */
  readonly dpPaise: Paise;
  readonly totalPaise: Paise;
}

/** Computes charges for a contract note (one-method interface, LEAN style). */
export interface FeeModel {
  /** Returns the charges of `input`. */
  charges(input: ContractNoteInput): ChargesBreakdown;
}
