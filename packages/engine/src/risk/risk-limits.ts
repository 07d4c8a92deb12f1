import { isPaise, type Paise } from '@kitepilot/core';
import { timeOfDayMs } from './time-of-day.ts';
import type { RiskLimits } from './risk-types.ts';

/** The SEBI retail algo threshold: at most 10 orders per second per client and segment (market-rules.md §5.1). */
export const SEBI_MAX_ORDERS_PER_SECOND = 10;

/** The fields makeRiskLimits takes: every limit is optional except the daily loss cap. */
export type RiskLimitsInput = Partial<RiskLimits> & { readonly dailyLossCapPaise: Paise };

/**
 * The defaults makeRiskLimits fills in: 10 orders/s (the SEBI threshold), stop-loss required, slice above the
 * freeze quantity, entries 09:15–15:10 IST (the equity MIS square-off is 15:20), every other limit off.
 */
export const DEFAULT_RISK_LIMITS: Omit<RiskLimits, 'dailyLossCapPaise'> = {
  maxInstrumentExposurePaise: null,
  maxTotalExposurePaise: null,
  maxOpenPositions: null,
  maxOrderValuePaise: null,
  maxOrdersPerSecond: SEBI_MAX_ORDERS_PER_SECOND,
  maxOrdersPerDay: null,
  requireStopLoss: true,
  freezeQtyPolicy: 'slice',
  entryWindow: { start: '09:15', end: '15:10' },
  allowlist: null,
  blocklist: [],
};

function nonNegativePaise(name: string, value: Paise): Paise {
  if (!isPaise(value) || value < 0) {
    throw new RangeError(`${name} ${String(value)} must be a non-negative integer number of paise`);
  }
  return value;
}

function optionalPositivePaise(name: string, value: Paise | null): Paise | null {
  if (value !== null && (!isPaise(value) || value <= 0)) {
    throw new RangeError(`${name} ${String(value)} must be null or a positive integer number of paise`);
  }
  return value;
}

function optionalPositiveInt(name: string, value: number | null): number | null {
  if (value !== null && (!Number.isSafeInteger(value) || value <= 0)) {
    throw new RangeError(`${name} ${String(value)} must be null or a positive integer`);
  }
  return value;
}

/**
 * Returns validated RiskLimits: `partial` over DEFAULT_RISK_LIMITS. Throws a RangeError naming the field and value
 * for a negative or fractional amount, maxOrdersPerSecond outside 1…10, a bad window or an unknown freeze policy.
 */
export function makeRiskLimits(partial: RiskLimitsInput): RiskLimits {
  const merged: RiskLimits = { ...DEFAULT_RISK_LIMITS, ...partial };
  const ops = merged.maxOrdersPerSecond;
  if (!Number.isSafeInteger(ops) || ops <= 0 || ops > SEBI_MAX_ORDERS_PER_SECOND) {
    throw new RangeError(
      `maxOrdersPerSecond ${String(ops)} must be an integer from 1 to ${SEBI_MAX_ORDERS_PER_SECOND} (the SEBI retail algo threshold)`,
    );
  }
  if (merged.freezeQtyPolicy !== 'slice' && merged.freezeQtyPolicy !== 'deny') {
    throw new RangeError(
      `freezeQtyPolicy ${JSON.stringify(merged.freezeQtyPolicy)} must be 'slice' or 'deny'`,
    );
  }
  if (typeof merged.requireStopLoss !== 'boolean') {
    throw new RangeError(`requireStopLoss ${String(merged.requireStopLoss)} must be a boolean`);
  }
  const { start, end } = merged.entryWindow;
  if (timeOfDayMs(start) >= timeOfDayMs(end)) {
    throw new RangeError(`entry window start ${start} must be before its end ${end} (IST)`);
  }
  return {
    dailyLossCapPaise: nonNegativePaise('dailyLossCapPaise', merged.dailyLossCapPaise),
    maxInstrumentExposurePaise: optionalPositivePaise(
      'maxInstrumentExposurePaise',
      merged.maxInstrumentExposurePaise,
    ),
    maxTotalExposurePaise: optionalPositivePaise('maxTotalExposurePaise', merged.maxTotalExposurePaise),
    maxOpenPositions: optionalPositiveInt('maxOpenPositions', merged.maxOpenPositions),
    maxOrderValuePaise: optionalPositivePaise('maxOrderValuePaise', merged.maxOrderValuePaise),
    maxOrdersPerSecond: ops,
    maxOrdersPerDay: optionalPositiveInt('maxOrdersPerDay', merged.maxOrdersPerDay),
    requireStopLoss: merged.requireStopLoss,
    freezeQtyPolicy: merged.freezeQtyPolicy,
    entryWindow: { start, end },
    allowlist: merged.allowlist === null ? null : Object.freeze([...merged.allowlist]),
    blocklist: Object.freeze([...merged.blocklist]),
  };
}
