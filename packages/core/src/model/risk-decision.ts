import type { AccountId, IntentId, StrategyId } from './ids.ts';
import type { JsonValue } from '../ports/repositories.ts';

/**
 * The pre-trade checks of the risk engine (issue "Trading engine" item 4), in the order they run. `ok` marks an
 * allowed intent.
 */
export const RISK_CHECK_CODES = [
  'kill-switch',
  'position-closing',
  'trading-halted',
  'trading-window',
  'instrument-unknown',
  'instrument-not-allowed',
  'quantity-lot-size',
  'price-tick-size',
  'freeze-quantity',
  'price-band',
  'stop-loss-required',
  'stop-loss-invalid',
  'order-value',
  'orders-per-second',
  'orders-per-day',
  'max-open-positions',
  'instrument-exposure',
  'total-exposure',
  'daily-loss-cap',
  'margin',
  'ok',
] as const;

/** One risk check code. */
export type RiskCheckCode = (typeof RISK_CHECK_CODES)[number];

/** Who asked for an order: a strategy, or the system itself (flatten, square-off, loss-cap exit). */
export type IntentOrigin = 'strategy' | 'system';

/**
 * The outcome of a pre-trade risk check of one intent (DESIGN.md invariant 1); stored with its inputs whether
 * allowed or denied.
 */
export interface RiskDecision {
  readonly accountId: AccountId;
  readonly intentId: IntentId;
  readonly strategyId: StrategyId;
  readonly decision: 'allow' | 'deny';
  /** The first failing check, or `ok`. */
  readonly code: RiskCheckCode;
  /** A sentence the trader can act on, e.g. "quantity 7 is not a multiple of the lot size 50 of NIFTY26NOVFUT.NFO". */
  readonly reason: string;
  /**
   * Quantities of the child orders when a quantity above the freeze limit is sliced (policy `slice`), else null.
   * Their sum equals the intent's quantity.
   */
  readonly slices: readonly number[] | null;
  /** The inputs the decision was made on (limits, positions, prices, counters), for the audit trail. */
  readonly inputs: JsonValue;
  readonly decidedAt: number;
}
