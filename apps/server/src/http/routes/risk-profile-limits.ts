// Risk profile limits between the API, the store and the engine: a request body becomes validated limits (the
// engine's own makeRiskLimits decides what is valid, plus checks that catch limits that could never bind), and a
// stored profile becomes the `[risk]` configuration section that trading starts with.
import type { RiskProfileBody, RiskProfileUpdateBody } from '@kitepilot/api-contract';
import { formatIst, paise, paiseToRupeesString, type Paise } from '@kitepilot/core';
import { DEFAULT_RISK_LIMITS, makeRiskLimits } from '@kitepilot/engine';
import { InstrumentRefError, parseInstrumentSymbol } from '@kitepilot/market-data';
import type { RiskProfile, RiskProfileLimits } from '@kitepilot/store';
import type { Config } from '../../config/config-schema.ts';

/** Limits that cannot be used; the message names the field and the value. */
export class RiskProfileLimitsError extends Error {
  override name = 'RiskProfileLimitsError';
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const paiseOrNull = (value: number | null | undefined): Paise | null =>
  value === null || value === undefined ? null : paise(value);

/** Returns the limits of a request body, absent ones at the engine's defaults; throws RiskProfileLimitsError. */
export function limitsFromBody(body: RiskProfileUpdateBody): RiskProfileLimits {
  const limits: RiskProfileLimits = {
    dailyLossCapPaise: paise(body.dailyLossCapPaise),
    maxInstrumentExposurePaise: paiseOrNull(body.maxInstrumentExposurePaise),
    maxTotalExposurePaise: paiseOrNull(body.maxTotalExposurePaise),
    maxOpenPositions: orNull(body.maxOpenPositions),
    maxOrderValuePaise: paiseOrNull(body.maxOrderValuePaise),
    maxOrdersPerSecond: body.maxOrdersPerSecond ?? DEFAULT_RISK_LIMITS.maxOrdersPerSecond,
    maxOrdersPerDay: orNull(body.maxOrdersPerDay),
    requireStopLoss: body.requireStopLoss ?? DEFAULT_RISK_LIMITS.requireStopLoss,
    freezeQtyPolicy: body.freezeQtyPolicy ?? DEFAULT_RISK_LIMITS.freezeQtyPolicy,
    entryWindowStart: body.entryWindowStart ?? DEFAULT_RISK_LIMITS.entryWindow.start,
    entryWindowEnd: body.entryWindowEnd ?? DEFAULT_RISK_LIMITS.entryWindow.end,
    allowlist: body.allowlist ?? [],
    blocklist: body.blocklist ?? [],
  };
  checkLimits(limits);
  return limits;
}

/** Throws RiskProfileLimitsError when the engine refuses the limits or one limit makes another meaningless. */
export function checkLimits(limits: RiskProfileLimits): void {
  const symbols = (list: readonly string[], field: string) =>
    list.map((s) => {
      try {
        return parseInstrumentSymbol(s);
      } catch (error) {
        if (error instanceof InstrumentRefError)
          throw new RiskProfileLimitsError(`${field}: ${error.message}`);
        throw error;
      }
    });
  const allowlist = symbols(limits.allowlist, 'allowlist');
  const blocklist = symbols(limits.blocklist, 'blocklist');
  try {
    makeRiskLimits({
      dailyLossCapPaise: limits.dailyLossCapPaise,
      maxInstrumentExposurePaise: limits.maxInstrumentExposurePaise,
      maxTotalExposurePaise: limits.maxTotalExposurePaise,
      maxOpenPositions: limits.maxOpenPositions,
      maxOrderValuePaise: limits.maxOrderValuePaise,
      maxOrdersPerSecond: limits.maxOrdersPerSecond,
      maxOrdersPerDay: limits.maxOrdersPerDay,
      requireStopLoss: limits.requireStopLoss,
      freezeQtyPolicy: limits.freezeQtyPolicy,
      entryWindow: { start: limits.entryWindowStart, end: limits.entryWindowEnd },
      allowlist: allowlist.length === 0 ? null : allowlist,
      blocklist,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new RiskProfileLimitsError(error.message, { cause: error });
    throw error;
  }
  if (limits.dailyLossCapPaise <= 0) {
    throw new RiskProfileLimitsError(`dailyLossCapPaise ${limits.dailyLossCapPaise} must be positive`);
  }
  const inst = limits.maxInstrumentExposurePaise;
  const total = limits.maxTotalExposurePaise;
  if (inst !== null && total !== null && inst > total) {
    throw new RiskProfileLimitsError(
      `maxInstrumentExposurePaise ${inst} is above maxTotalExposurePaise ${total}: it could never bind`,
    );
  }
  const order = limits.maxOrderValuePaise;
  const cap = inst ?? total;
  if (order !== null && cap !== null && order > cap) {
    throw new RiskProfileLimitsError(
      `maxOrderValuePaise ${order} is above the exposure limit ${cap}: no order of that value could pass`,
    );
  }
  const both = allowlist.filter((id) => blocklist.includes(id));
  if (both.length > 0) {
    throw new RiskProfileLimitsError(`${both.join(', ')} is both on the allowlist and on the blocklist`);
  }
}

const rupees = (p: Paise): string => paiseToRupeesString(p);
const rupeesOrNull = (p: Paise | null): string | null => (p === null ? null : paiseToRupeesString(p));

/** Returns the API form of a stored profile. */
export function riskProfileRow(p: RiskProfile): RiskProfileBody {
  return {
    id: p.id,
    accountId: p.accountId,
    name: p.name,
    active: p.active,
    dailyLossCapPaise: p.dailyLossCapPaise,
    dailyLossCap: rupees(p.dailyLossCapPaise),
    maxInstrumentExposurePaise: p.maxInstrumentExposurePaise,
    maxInstrumentExposure: rupeesOrNull(p.maxInstrumentExposurePaise),
    maxTotalExposurePaise: p.maxTotalExposurePaise,
    maxTotalExposure: rupeesOrNull(p.maxTotalExposurePaise),
    maxOpenPositions: p.maxOpenPositions,
    maxOrderValuePaise: p.maxOrderValuePaise,
    maxOrderValue: rupeesOrNull(p.maxOrderValuePaise),
    maxOrdersPerSecond: p.maxOrdersPerSecond,
    maxOrdersPerDay: p.maxOrdersPerDay,
    requireStopLoss: p.requireStopLoss,
    freezeQtyPolicy: p.freezeQtyPolicy,
    entryWindowStart: p.entryWindowStart,
    entryWindowEnd: p.entryWindowEnd,
    allowlist: [...p.allowlist],
    blocklist: [...p.blocklist],
    createdAt: formatIst(p.createdAt),
    updatedAt: formatIst(p.updatedAt),
  };
}

/** Returns paise as the rupee number the `[risk]` section holds (exact: two decimals at most). */
function rupeeNumber(p: Paise): number {
  return Number(paiseToRupeesString(p));
}

/**
 * Returns the `[risk]` section a profile stands for. The profile replaces the whole section: a limit it leaves off is
 * off, whatever the configuration file says.
 */
export function riskConfigOfProfile(p: RiskProfileLimits): Config['risk'] {
  return {
    dailyLossCap: rupeeNumber(p.dailyLossCapPaise),
    ...(p.maxInstrumentExposurePaise === null
      ? {}
      : { maxInstrumentExposure: rupeeNumber(p.maxInstrumentExposurePaise) }),
    ...(p.maxTotalExposurePaise === null ? {} : { maxTotalExposure: rupeeNumber(p.maxTotalExposurePaise) }),
    ...(p.maxOpenPositions === null ? {} : { maxOpenPositions: p.maxOpenPositions }),
    ...(p.maxOrderValuePaise === null ? {} : { maxOrderValue: rupeeNumber(p.maxOrderValuePaise) }),
    maxOrdersPerSecond: p.maxOrdersPerSecond,
    ...(p.maxOrdersPerDay === null ? {} : { maxOrdersPerDay: p.maxOrdersPerDay }),
    requireStopLoss: p.requireStopLoss,
    freezeQtyPolicy: p.freezeQtyPolicy,
    entryWindowStart: p.entryWindowStart,
    entryWindowEnd: p.entryWindowEnd,
    allowlist: [...p.allowlist],
    blocklist: [...p.blocklist],
  };
}
