// The options and constants of the OrderManager.
import {
  parseRunId,
  parseStrategyId,
  type AccountId,
  type Clock,
  type ExecutionClient,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  type Logger,
  type NseCalendar,
  type Order,
  type Paise,
  type RunId,
  type StrategyId,
} from '@kitepilot/core';
import type { Bus } from '../kernel/topics.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { RiskEngine } from '../risk/risk-types.ts';
import type { OrderStore } from './order-store.ts';
import type { TradingTimers } from './trading-core.ts';

/** The strategy id of orders the system places itself (flatten, square-off, loss-cap exit). */
export const SYSTEM_STRATEGY_ID: StrategyId = parseStrategyId('str_system');
/** The run id of system orders when the options give none. */
export const SYSTEM_RUN_ID: RunId = parseRunId('run_system');
/** Kite accepts at most 25 modifications per order (kite-connect.md §2.4, forum staff). */
export const MAX_MODIFICATIONS_PER_ORDER = 25;
/** Square-off defaults: a LIMIT 2 ticks through the last price, replaced by MARKET after 10 s. */
export const DEFAULT_SQUARE_OFF = { limitOffsetTicks: 2, timeoutMs: 10_000 } as const;

/** A circuit band lookup: the day's lower and upper price limits of an instrument, or null when unknown. */
export type BandLookup = (
  id: InstrumentId,
) => { readonly lowerPaise: Paise; readonly upperPaise: Paise } | null;

/** How an OrderManager is built. */
export interface OrderManagerOptions {
  readonly accountId: AccountId;
  /** The run system orders belong to (default SYSTEM_RUN_ID). */
  readonly runId?: RunId;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly bus: Bus;
  readonly store: OrderStore;
  readonly risk: RiskEngine;
  readonly execution: ExecutionClient;
  readonly instrument: (id: InstrumentId) => Instrument | null;
  readonly calendar: NseCalendar;
  readonly portfolio: Portfolio;
  readonly timers: TradingTimers;
  readonly logger: Logger;
  /** The day's circuit band of an instrument, or null when unknown. */
  readonly band?: BandLookup;
  /** Square-off: LIMIT `limitOffsetTicks` through the last price, then MARKET for the rest after `timeoutMs`. */
  readonly squareOff?: { readonly limitOffsetTicks?: number; readonly timeoutMs?: number };
  /** Hold strategy orders of each IST day until the owner sends AcknowledgeLive. */
  readonly manualAck?: boolean;
  /**
   * Mark positions at each closed bar's close and run the monitor then (default false): for backtests over bars,
   * where no tick marks them. Live and paper leave it off — a bar can reach the kernel after a newer tick.
   */
  readonly markOnBars?: boolean;
}

/**
 * Returns how many requests of `kind` were applied to the order. Request event ids are
 * `<clientOrderId>:<kind>:<n>`, so the count survives restarts with the stored order's appliedEventIds.
 */
export function countApplied(order: Order, kind: 'modify-request' | 'cancel-request'): number {
  const marker = `:${kind}:`;
  return order.appliedEventIds.filter((id) => id.includes(marker)).length;
}
