// Turns the `[risk]` section (rupees, EXCHANGE:SYMBOL) into the engine's RiskLimits (paise, instrument ids).
import { instrumentId, isExchange, rupeesToPaise, type InstrumentId } from '@kitepilot/core';
import { makeRiskLimits, type RiskLimits } from '@kitepilot/engine';
import type { Config } from '../config/config-schema.ts';

function rupees(value: number): ReturnType<typeof rupeesToPaise> {
  return rupeesToPaise(value, 'half-up');
}

function instrumentOf(symbol: string): InstrumentId {
  const colon = symbol.indexOf(':');
  const exchange = symbol.slice(0, colon);
  if (colon < 0 || !isExchange(exchange)) throw new RangeError(`instrument ${symbol} is not EXCHANGE:SYMBOL`);
  return instrumentId(symbol.slice(colon + 1), exchange);
}

/** Returns validated risk limits from the `[risk]` configuration section. */
export function riskLimitsFromConfig(risk: Config['risk']): RiskLimits {
  return makeRiskLimits({
    dailyLossCapPaise: rupees(risk.dailyLossCap),
    maxInstrumentExposurePaise:
      risk.maxInstrumentExposure === undefined ? null : rupees(risk.maxInstrumentExposure),
    maxTotalExposurePaise: risk.maxTotalExposure === undefined ? null : rupees(risk.maxTotalExposure),
    maxOpenPositions: risk.maxOpenPositions ?? null,
    maxOrderValuePaise: risk.maxOrderValue === undefined ? null : rupees(risk.maxOrderValue),
    maxOrdersPerSecond: risk.maxOrdersPerSecond,
    maxOrdersPerDay: risk.maxOrdersPerDay ?? null,
    requireStopLoss: risk.requireStopLoss,
    freezeQtyPolicy: risk.freezeQtyPolicy,
    entryWindow: { start: risk.entryWindowStart, end: risk.entryWindowEnd },
    allowlist: risk.allowlist.length === 0 ? null : risk.allowlist.map(instrumentOf),
    blocklist: risk.blocklist.map(instrumentOf),
  });
}
