import { divRound, type Instrument, type Paise, type Product, type Side } from '@kitepilot/core';

/** Margin rates in basis points of order value used by estimateMarginPaise. */
export interface MarginRates {
  /** Equity delivery (CNC, and NRML/MTF on cash, conservatively): the full value. */
  readonly equityDeliveryBps: number;
  /** Equity intraday (MIS): 20 % of value, i.e. the 5× leverage Zerodha gives on MIS under SEBI's peak-margin rules. */
  readonly equityIntradayBps: number;
  /**
   * Futures (any product): NSE SPAN + exposure margin on index futures is typically 10–13 % of the contract value;
   * 15 % is a conservative stand-in. Live trading should use the broker's margins (kite-connect.md `/margins/orders`).
   */
  readonly futuresBps: number;
}

/** The default rates: delivery 100 %, equity MIS 20 % (5×), futures 15 %. Option buys always pay the premium. */
export const DEFAULT_MARGIN_RATES: MarginRates = {
  equityDeliveryBps: 10_000,
  equityIntradayBps: 2_000,
  futuresBps: 1_500,
};

/** An estimated margin, or why none can be given. */
export type MarginEstimate =
  | { readonly ok: true; readonly marginPaise: bigint; readonly basis: string }
  | { readonly ok: false; readonly reason: string };

function ofValue(value: bigint, bps: number, basis: string): MarginEstimate {
  return { ok: true, marginPaise: divRound(value * BigInt(bps), 10_000n, 'ceil'), basis };
}

/**
 * Returns the margin an entry of `qty` at `pricePaise` blocks, rounded up to the paisa: equity by product, futures a
 * fixed share of value, option buys the premium. Option sells (SPAN-based, depends on the whole portfolio) are not
 * estimated: the result is not ok, and the risk engine denies them while it checks margin.
 */
export function estimateMarginPaise(
  instrument: Instrument,
  product: Product,
  side: Side,
  qty: number,
  pricePaise: Paise,
  rates: MarginRates = DEFAULT_MARGIN_RATES,
): MarginEstimate {
  const value = BigInt(qty) * BigInt(pricePaise);
  switch (instrument.type) {
    case 'EQ':
      return product === 'MIS'
        ? ofValue(value, rates.equityIntradayBps, `MIS equity ${rates.equityIntradayBps / 100} % of value`)
        : ofValue(
            value,
            rates.equityDeliveryBps,
            `${product} equity ${rates.equityDeliveryBps / 100} % of value`,
          );
    case 'FUT':
      return ofValue(value, rates.futuresBps, `futures ${rates.futuresBps / 100} % of value`);
    case 'CE':
    case 'PE':
      if (side === 'BUY') return { ok: true, marginPaise: value, basis: 'option buy: the premium' };
      return {
        ok: false,
        reason: `the margin of selling ${instrument.id} is not estimated (SPAN margin depends on the portfolio); option selling is unsupported while margin is checked`,
      };
    case 'INDEX':
      return { ok: false, reason: `${instrument.id} is an index and cannot be traded` };
  }
}
