import type { ChargeSegment, Paise, Rate } from '@kitepilot/core';

/** The charge segments of market-rules.md §1.3, in a fixed order (for validation and display). */
export const CHARGE_SEGMENTS = [
  'equity-intraday',
  'equity-delivery',
  'futures',
  'options',
] as const satisfies readonly ChargeSegment[];

/** The exchanges a rate table belongs to; NFO/BFO contract notes use the NSE/BSE tables. */
export const RATE_EXCHANGES = ['NSE', 'BSE'] as const;
/** NSE or BSE. */
export type RateExchange = (typeof RATE_EXCHANGES)[number];

/** BSE option classes whose exchange charge differs (market-rules.md §1.1): Sensex/Bankex, or Sensex 50 and stock options. */
export const OPTIONS_CLASSES = ['sensex-bankex', 'other'] as const;
/** A BSE options exchange-charge class. */
export type OptionsClass = (typeof OPTIONS_CLASSES)[number];

/** The components GST may be levied on (market-rules.md §1.1: brokerage + exchange charge + SEBI fee). */
export const GST_BASE_COMPONENTS = ['brokerage', 'exchange', 'sebi'] as const;
/** One component of the GST base. */
export type GstBaseComponent = (typeof GST_BASE_COMPONENTS)[number];

/** How brokerage is charged. */
export type BrokerageRule =
  /** Lower of `rate` × order value (rounded to the paisa) and `capPaise`, per executed order (intraday, futures). */
  | { readonly kind: 'percent-capped-per-order'; readonly rate: Rate; readonly capPaise: Paise }
  /** A flat amount per executed order (options). */
  | { readonly kind: 'flat-per-order'; readonly paisePerOrder: Paise }
  /** A flat amount per contract note that has any order (delivery's ₹0.01 token). */
  | { readonly kind: 'per-contract-note'; readonly paisePerNote: Paise };

/** One named part of the exchange charge (NSE: transaction charge and IPFT, billed in one line). */
export interface ExchangeChargePart {
  readonly name: string;
  readonly rate: Rate;
}

/** The exchange charge of a table: one set of parts, or (BSE options) one set per options class. */
export type ExchangeChargeRule =
  | { readonly kind: 'single'; readonly parts: readonly ExchangeChargePart[] }
  | {
      readonly kind: 'by-options-class';
      readonly classes: Readonly<Record<OptionsClass, readonly ExchangeChargePart[]>>;
    };

/** STT rates: on buy value, on sell value, and (options) on the intrinsic value of exercised long options. */
export interface SttRates {
  readonly buy: Rate;
  readonly sell: Rate;
  readonly exercise: Rate | null;
}

/** The depository charge per scrip per sell day, GST included (delivery only). */
export interface DpCharge {
  readonly perScripPerSellDayPaise: Paise;
  readonly womanFirstHolderPaise: Paise;
}

/** The complete charges of one segment × exchange in force from `effectiveFrom` until the next table of that pair. */
export interface RateTable {
  readonly id: string;
  readonly segment: ChargeSegment;
  readonly exchange: RateExchange;
  /** IST trading date `YYYY-MM-DD` from which the table applies. */
  readonly effectiveFrom: string;
  readonly sources: readonly string[];
  readonly brokerage: BrokerageRule;
  readonly stt: SttRates;
  readonly exchangeCharge: ExchangeChargeRule;
  /** SEBI turnover fee on buy + sell value (options: premium). */
  readonly sebi: Rate;
  /** Stamp duty on buy value. */
  readonly stamp: Rate;
  readonly gst: { readonly rate: Rate; readonly base: readonly GstBaseComponent[] };
  readonly dp: DpCharge | null;
}
