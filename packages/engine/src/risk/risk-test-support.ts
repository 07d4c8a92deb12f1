// Builders for the risk tests: real core constructors, defaults that pass every check, overrides per field.
import {
  anInstrument,
  anIntent,
  BUILDER_TS,
  instrumentId,
  paise,
  type InstrumentId,
  type OrderIntent,
  type RiskDecision,
} from '@kitepilot/core';
import { DefaultRiskEngine } from './risk-engine.ts';
import { makeRiskLimits, type RiskLimitsInput } from './risk-limits.ts';
import type { RiskOpenOrder, RiskPosition, RiskSnapshot } from './risk-types.ts';

/** RELIANCE.NSE, the instrument of anIntent. */
export const RELIANCE: InstrumentId = instrumentId('RELIANCE', 'NSE');
/** INFY.NSE, a second cash instrument. */
export const INFY: InstrumentId = instrumentId('INFY', 'NSE');

/** Returns a LIMIT BUY 1 RELIANCE.NSE @ ₹1,573.70 MIS entry with a stop at ₹1,550.00 and `overrides`. */
export function anEntry(overrides: Partial<OrderIntent> = {}): OrderIntent {
  return anIntent({ stopLossPaise: paise(155_000), ...overrides });
}

/** Returns a strategy snapshot at 2026-11-20 10:00 IST (a Friday) for RELIANCE.NSE at ₹1,573.70, flat. */
export function aSnapshot(overrides: Partial<RiskSnapshot> = {}): RiskSnapshot {
  return {
    nowMs: BUILDER_TS,
    origin: 'strategy',
    killSwitch: false,
    haltedReason: null,
    tradingDay: true,
    positionClosing: false,
    instrument: anInstrument(),
    lastPricePaise: paise(157_370),
    band: null,
    positions: [],
    openOrders: [],
    realisedPnlTodayPaise: paise(0),
    recentOrderTimesMs: [],
    ordersToday: 0,
    marginAvailablePaise: null,
    ...overrides,
  };
}

/** Returns a long 10 RELIANCE.NSE MIS position bought at ₹1,500.00, marked ₹1,573.70, stop ₹1,450.00. */
export function aPosition(overrides: Partial<RiskPosition> = {}): RiskPosition {
  return {
    instrumentId: RELIANCE,
    product: 'MIS',
    netQty: 10,
    costBasisPaise: paise(1_500_000),
    markPaise: paise(157_370),
    stopPaise: paise(145_000),
    ...overrides,
  };
}

/** Returns a working BUY 5 RELIANCE.NSE MIS order at ₹1,560.00 with a stop at ₹1,540.00. */
export function anOpenOrder(overrides: Partial<RiskOpenOrder> = {}): RiskOpenOrder {
  return {
    instrumentId: RELIANCE,
    product: 'MIS',
    side: 'BUY',
    leavesQty: 5,
    pricePaise: paise(156_000),
    stopLossPaise: paise(154_000),
    ...overrides,
  };
}

/** Returns limits with a ₹10,000 daily loss cap and `overrides` over the defaults. */
export function someLimits(overrides: Partial<RiskLimitsInput> = {}): ReturnType<typeof makeRiskLimits> {
  return makeRiskLimits({ dailyLossCapPaise: paise(1_000_000), ...overrides });
}

/** Returns the decision of a DefaultRiskEngine with someLimits(limits) on `intent` and aSnapshot(snapshot). */
export function decide(
  intent: OrderIntent,
  snapshot: Partial<RiskSnapshot> = {},
  limits: Partial<RiskLimitsInput> = {},
): RiskDecision {
  return new DefaultRiskEngine(someLimits(limits)).check(intent, aSnapshot(snapshot));
}
