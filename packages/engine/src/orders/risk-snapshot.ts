// Gathers the RiskSnapshot of a decision from the order manager's state (DESIGN.md invariant 4 needs positions with
// marks and stops, working orders with their stops, and realised P&L net of charges).
import {
  leavesQty,
  type Instrument,
  type InstrumentId,
  type IntentOrigin,
  type Order,
  type OrderIntent,
  type Paise,
} from '@kitepilot/core';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { RiskOpenOrder, RiskPosition, RiskSnapshot } from '../risk/risk-types.ts';

/** What buildRiskSnapshot reads. */
export interface RiskSnapshotInput {
  readonly nowMs: number;
  readonly origin: IntentOrigin;
  readonly killSwitch: boolean;
  readonly haltedReason: string | null;
  readonly tradingDay: boolean;
  /** Whether the system is closing the intent's position (see RiskSnapshot.positionClosing). */
  readonly positionClosing: boolean;
  /** The instrument the decision is about, or null (post-trade monitor). */
  readonly instrumentId: InstrumentId | null;
  readonly instrument: (id: InstrumentId) => Instrument | null;
  readonly band: (id: InstrumentId) => { readonly lowerPaise: Paise; readonly upperPaise: Paise } | null;
  readonly portfolio: Portfolio;
  readonly workingOrders: readonly Order[];
  readonly intent: (order: Order) => OrderIntent | null;
  readonly recentOrderTimesMs: readonly number[];
  readonly ordersToday: number;
}

/** Returns the snapshot a risk check or the post-trade monitor decides on. */
export function buildRiskSnapshot(input: RiskSnapshotInput): RiskSnapshot {
  const { portfolio } = input;
  const positions: RiskPosition[] = portfolio.openPositions().map((p) => ({
    instrumentId: p.instrumentId,
    product: p.product,
    netQty: p.netQty,
    costBasisPaise: p.costBasisPaise,
    markPaise: portfolio.markPaise(p.instrumentId),
    stopPaise: portfolio.stopPaise(p.instrumentId, p.product),
  }));
  const openOrders: RiskOpenOrder[] = input.workingOrders.map((o) => ({
    instrumentId: o.instrumentId,
    product: o.product,
    side: o.side,
    leavesQty: leavesQty(o),
    pricePaise: o.limitPricePaise ?? o.triggerPricePaise ?? portfolio.markPaise(o.instrumentId),
    stopLossPaise: input.intent(o)?.stopLossPaise ?? null,
  }));
  const id = input.instrumentId;
  return {
    nowMs: input.nowMs,
    origin: input.origin,
    killSwitch: input.killSwitch,
    haltedReason: input.haltedReason,
    tradingDay: input.tradingDay,
    positionClosing: input.positionClosing,
    instrument: id === null ? null : input.instrument(id),
    lastPricePaise: id === null ? null : portfolio.markPaise(id),
    band: id === null ? null : input.band(id),
    positions,
    openOrders,
    realisedPnlTodayPaise: portfolio.realisedNetTodayPaise(),
    recentOrderTimesMs: input.recentOrderTimesMs,
    ordersToday: input.ordersToday,
    marginAvailablePaise: portfolio.marginAvailablePaise(),
  };
}
