// The contract of the pre-trade RiskEngine (issue "Trading engine" item 4, DESIGN.md invariants 1 and 4). The
// engine is pure: the caller gathers a RiskSnapshot, the engine returns a RiskDecision (stored by the caller,
// allowed or denied) and never performs I/O.
import type {
  Instrument,
  InstrumentId,
  IntentOrigin,
  OrderIntent,
  Paise,
  Product,
  RiskDecision,
  Side,
} from '@kitepilot/core';

/** The limits of a risk profile. Money in paise; null disables a check where that is allowed. */
export interface RiskLimits {
  /** Daily loss cap: realised + unrealised loss + worst-case loss of every open risk at its stop stays within. */
  readonly dailyLossCapPaise: Paise;
  /** Max |netQty| × price of one instrument after the order, or null. */
  readonly maxInstrumentExposurePaise: Paise | null;
  /** Max Σ |netQty| × price over all instruments after the order, or null. */
  readonly maxTotalExposurePaise: Paise | null;
  /** Max instruments with a non-flat position after the order, or null. */
  readonly maxOpenPositions: number | null;
  /** Max notional of one order, or null. */
  readonly maxOrderValuePaise: Paise | null;
  /** Max orders sent in any rolling second (≤ 10: the SEBI retail algo threshold, market-rules.md). */
  readonly maxOrdersPerSecond: number;
  /** Max orders sent per IST day, or null. */
  readonly maxOrdersPerDay: number | null;
  /** Entries without a stop-loss are denied. */
  readonly requireStopLoss: boolean;
  /** Above the freeze quantity: split into child orders (`slice`) or deny (`deny`). */
  readonly freezeQtyPolicy: 'slice' | 'deny';
  /** New entries only between these IST wall times (`HH:MM`, start inclusive, end exclusive); exits always. */
  readonly entryWindow: { readonly start: string; readonly end: string };
  /** Only these instruments may be traded, or null for any. */
  readonly allowlist: readonly InstrumentId[] | null;
  /** These instruments may never be traded. */
  readonly blocklist: readonly InstrumentId[];
}

/** An open position as risk sees it. */
export interface RiskPosition {
  readonly instrumentId: InstrumentId;
  readonly product: Product;
  /** Signed quantity. */
  readonly netQty: number;
  /** Signed cost of the open quantity (Position.costBasisPaise). */
  readonly costBasisPaise: Paise;
  /** The mark (last price), or null when no price is known yet. */
  readonly markPaise: Paise | null;
  /** The protective stop of the position (from its entry intents), or null when none is known. */
  readonly stopPaise: Paise | null;
}

/** A working order (not terminal) as risk sees it. */
export interface RiskOpenOrder {
  readonly instrumentId: InstrumentId;
  readonly product: Product;
  readonly side: Side;
  /** Quantity still open. */
  readonly leavesQty: number;
  /** The price it would fill at: limit, else trigger, else the last price; null when unknown. */
  readonly pricePaise: Paise | null;
  /** Its intent's stop, or null. */
  readonly stopLossPaise: Paise | null;
}

/** Everything a pre-trade decision depends on, gathered by the caller at decision time. */
export interface RiskSnapshot {
  readonly nowMs: number;
  readonly origin: IntentOrigin;
  readonly killSwitch: boolean;
  /** The reason the account is halted for the day, or null. */
  readonly haltedReason: string | null;
  /** False on holidays and weekends (trading is blocked). */
  readonly tradingDay: boolean;
  /**
   * True while the system is closing the intent's position (square-off, flatten, loss-cap exit: a closing order is
   * working or waits for cancelled orders); false for the post-trade monitor.
   */
  readonly positionClosing: boolean;
  /** The intent's instrument, or null when unknown. */
  readonly instrument: Instrument | null;
  readonly lastPricePaise: Paise | null;
  /** The day's circuit band, or null when unknown (the check is skipped). */
  readonly band: { readonly lowerPaise: Paise; readonly upperPaise: Paise } | null;
  readonly positions: readonly RiskPosition[];
  readonly openOrders: readonly RiskOpenOrder[];
  /** Realised P&L of the IST day across all products, net of charges so far. */
  readonly realisedPnlTodayPaise: Paise;
  /** Send times (epoch ms) of the orders sent in the last second, any order. */
  readonly recentOrderTimesMs: readonly number[];
  readonly ordersToday: number;
  /** Margin available at the broker (live) or in the paper account, or null when unknown (the check is skipped). */
  readonly marginAvailablePaise: Paise | null;
}

/** What the post-trade monitor asks the order manager to do. */
export type MonitorAction =
  | { readonly action: 'none' }
  | {
      /** Cancel open orders, flatten every position and halt entries for the rest of the day, with an alert. */
      readonly action: 'flatten-and-halt';
      readonly reason: string;
      /** realised + unrealised P&L at the time (negative = loss). */
      readonly pnlPaise: Paise;
    };

/** The pre-trade risk engine: pure functions of their inputs. */
export interface RiskEngine {
  /** Decides on one intent; the decision carries the reason and a JSON copy of the inputs it used. */
  check(intent: OrderIntent, snapshot: RiskSnapshot): RiskDecision;
  /** After each fill or price change: at the loss cap (realised + unrealised ≤ −cap), flatten and halt. */
  monitor(snapshot: RiskSnapshot): MonitorAction;
  /**
   * The same decision from the day's P&L already summed (realised net of charges + unrealised at the marks): the
   * per-tick path, which must not build a snapshot.
   */
  monitorPnl(pnlPaise: Paise): MonitorAction;
}
