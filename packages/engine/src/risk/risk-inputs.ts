import { formatIst, type JsonValue } from '@kitepilot/core';
import type { CheckContext } from './checks/check-context.ts';
import { ordersInLastSecond } from './checks/rate-checks.ts';
import { jsonBig } from './risk-format.ts';

function bigOrNull(n: bigint | null): number | string | null {
  return n === null ? null : jsonBig(n);
}

/**
 * Returns the compact JSON copy of what a decision used, for the audit trail: limits, intent terms, the price used,
 * position and working-order summaries, realised P&L, worst-case, exposure and margin figures, and counters.
 */
export function riskInputs(ctx: CheckContext): JsonValue {
  const { intent, snapshot, limits, worstCase, exposure, margin } = ctx;
  const instrument = snapshot.instrument;
  return {
    nowMs: snapshot.nowMs,
    nowIst: formatIst(snapshot.nowMs),
    origin: snapshot.origin,
    limits: {
      dailyLossCapPaise: limits.dailyLossCapPaise,
      maxInstrumentExposurePaise: limits.maxInstrumentExposurePaise,
      maxTotalExposurePaise: limits.maxTotalExposurePaise,
      maxOpenPositions: limits.maxOpenPositions,
      maxOrderValuePaise: limits.maxOrderValuePaise,
      maxOrdersPerSecond: limits.maxOrdersPerSecond,
      maxOrdersPerDay: limits.maxOrdersPerDay,
      requireStopLoss: limits.requireStopLoss,
      freezeQtyPolicy: limits.freezeQtyPolicy,
      entryWindow: { start: limits.entryWindow.start, end: limits.entryWindow.end },
      allowlist: limits.allowlist === null ? null : [...limits.allowlist],
      blocklist: [...limits.blocklist],
    },
    intent: {
      id: intent.id,
      instrumentId: intent.instrumentId,
      side: intent.side,
      qty: intent.qty,
      orderType: intent.orderType,
      product: intent.product,
      limitPricePaise: intent.limitPricePaise,
      triggerPricePaise: intent.triggerPricePaise,
      stopLossPaise: intent.stopLossPaise,
    },
    classification: { ...ctx.classification },
    referencePricePaise: ctx.referencePricePaise,
    lastPricePaise: snapshot.lastPricePaise,
    band: snapshot.band === null ? null : { ...snapshot.band },
    killSwitch: snapshot.killSwitch,
    haltedReason: snapshot.haltedReason,
    tradingDay: snapshot.tradingDay,
    instrument:
      instrument === null
        ? null
        : {
            id: instrument.id,
            type: instrument.type,
            lotSize: instrument.lotSize,
            tickSizePaise: instrument.tickSizePaise,
            freezeQty: instrument.freezeQty,
          },
    positions: snapshot.positions.map((p) => ({
      instrumentId: p.instrumentId,
      product: p.product,
      netQty: p.netQty,
      costBasisPaise: p.costBasisPaise,
      markPaise: p.markPaise,
      stopPaise: p.stopPaise,
    })),
    openOrders: snapshot.openOrders.map((o) => ({
      instrumentId: o.instrumentId,
      product: o.product,
      side: o.side,
      leavesQty: o.leavesQty,
      pricePaise: o.pricePaise,
      stopLossPaise: o.stopLossPaise,
    })),
    realisedPnlTodayPaise: snapshot.realisedPnlTodayPaise,
    worstCase: {
      realisedPaise: jsonBig(worstCase.realisedPaise),
      positionsPaise: jsonBig(worstCase.positionsPaise),
      workingEntriesPaise: jsonBig(worstCase.workingEntriesPaise),
      newEntryPaise: jsonBig(worstCase.newEntryPaise),
      totalPaise: bigOrNull(worstCase.totalPaise),
      unboundedReason: worstCase.unboundedReason,
    },
    exposure:
      exposure === null
        ? null
        : {
            instrumentQtyAfter: jsonBig(exposure.instrumentQtyAfter),
            instrumentPaise: bigOrNull(exposure.instrumentPaise),
            totalPaise: bigOrNull(exposure.totalPaise),
            unknownReason: exposure.unknownReason,
          },
    margin: {
      availablePaise: snapshot.marginAvailablePaise,
      requiredPaise: margin !== null && margin.ok ? jsonBig(margin.marginPaise) : null,
      basis: margin === null ? null : margin.ok ? margin.basis : margin.reason,
    },
    counters: {
      ordersInLastSecond: ordersInLastSecond(snapshot.recentOrderTimesMs, snapshot.nowMs),
      ordersToday: snapshot.ordersToday,
      orderCount: ctx.orderCount,
    },
    slices: ctx.slices === null ? null : [...ctx.slices],
  };
}
