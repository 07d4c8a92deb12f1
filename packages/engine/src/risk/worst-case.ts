// Invariant 4 of DESIGN.md: the loss the account would book today if every open risk ran to its stop. Stops are
// assumed to fill at their price (no gap or slippage model); a long without a stop counts its price falling to
// zero; a short without a stop, or a buy whose price is unknown, is unbounded. Exact: all sums are BigInt.
import { sideSign, type OrderIntent, type Paise, type Product, type Side } from '@kitepilot/core';
import { classifyIntent, referencePricePaise } from './intent-classification.ts';
import { absBig } from './risk-format.ts';
import type { RiskOpenOrder, RiskSnapshot } from './risk-types.ts';

/** The parts of the worst-case P&L of the day (paise, negative = loss). */
export interface WorstCaseDailyPnl {
  readonly realisedPaise: bigint;
  /** Σ over open positions of min(netQty × stop, netQty × mark) − cost (a long without a stop: −cost). */
  readonly positionsPaise: bigint;
  /** Σ over the entry part of working orders of −qty × |price − stop|. */
  readonly workingEntriesPaise: bigint;
  /** −entryQty × |reference price − stop| of the intent being checked (0 for an exit or no intent). */
  readonly newEntryPaise: bigint;
  /** The sum of the parts, or null when some risk is unbounded. */
  readonly totalPaise: bigint | null;
  /** Why the worst case is unbounded (the first unbounded risk found), or null. */
  readonly unboundedReason: string | null;
}

type EntryRisk = { readonly lossPaise: bigint } | { readonly unbounded: string };

/** Returns the loss (≥ 0) of `qty` units entered at `pricePaise` and stopped out at `stopPaise`. */
export function entryRisk(
  what: string,
  side: Side,
  qty: number,
  pricePaise: Paise | null,
  stopPaise: Paise | null,
): EntryRisk {
  const q = BigInt(qty);
  if (side === 'BUY') {
    if (pricePaise === null)
      return { unbounded: `${what} has no known price, so its loss cannot be bounded` };
    const perUnit = stopPaise === null ? BigInt(pricePaise) : absBig(BigInt(pricePaise) - BigInt(stopPaise));
    return { lossPaise: q * perUnit };
  }
  if (stopPaise === null)
    return { unbounded: `${what} is a short without a stop-loss: its loss is unbounded` };
  // A sell fills at a price ≥ 0, so without a known price its loss up to the stop is at most qty × stop.
  const perUnit = pricePaise === null ? BigInt(stopPaise) : absBig(BigInt(stopPaise) - BigInt(pricePaise));
  return { lossPaise: q * perUnit };
}

/**
 * Returns the entry part of each working order: per instrument × product, orders on the side that grows the
 * position are entries in full; orders on the reducing side are exits up to |netQty| (in list order), entries beyond.
 */
export function workingEntryQuantities(snapshot: RiskSnapshot): { order: RiskOpenOrder; entryQty: number }[] {
  const net = new Map<string, number>();
  for (const p of snapshot.positions) {
    const key = `${p.instrumentId}|${p.product}`;
    net.set(key, (net.get(key) ?? 0) + p.netQty);
  }
  const reducedSoFar = new Map<string, number>();
  return snapshot.openOrders.map((order) => {
    const key = `${order.instrumentId}|${order.product}`;
    const n = net.get(key) ?? 0;
    if (n === 0 || Math.sign(n) === sideSign(order.side)) return { order, entryQty: order.leavesQty };
    const used = reducedSoFar.get(key) ?? 0;
    const exitQty = Math.min(order.leavesQty, Math.max(0, Math.abs(n) - used));
    reducedSoFar.set(key, used + exitQty);
    return { order, entryQty: order.leavesQty - exitQty };
  });
}

function positionsWorstCase(snapshot: RiskSnapshot): { sum: bigint; unbounded: string | null } {
  let sum = 0n;
  let unbounded: string | null = null;
  for (const p of snapshot.positions) {
    if (p.netQty === 0) continue;
    const net = BigInt(p.netQty);
    if (p.stopPaise === null) {
      if (p.netQty < 0) {
        unbounded ??= `short position ${p.netQty} of ${p.instrumentId} (${p.product}) has no stop-loss: its loss is unbounded`;
        continue;
      }
      sum -= BigInt(p.costBasisPaise); // a long without a stop: the price may fall to zero
      continue;
    }
    let value = net * BigInt(p.stopPaise);
    if (p.markPaise !== null) {
      const marked = net * BigInt(p.markPaise);
      if (marked < value) value = marked;
    }
    sum += value - BigInt(p.costBasisPaise);
  }
  return { sum, unbounded };
}

function describeOrder(side: Side, qty: number, instrumentId: string, product: Product): string {
  return `${side} ${qty} ${instrumentId} (${product})`;
}

/**
 * Returns realised P&L + the worst case of every open position at its stop + the worst case of the entry part of
 * every working order + (when given) the entry part of `intent`, with its parts (DESIGN.md invariant 4).
 */
export function worstCaseDailyPnl(snapshot: RiskSnapshot, intent?: OrderIntent): WorstCaseDailyPnl {
  const positions = positionsWorstCase(snapshot);
  let unbounded = positions.unbounded;
  let working = 0n;
  for (const { order, entryQty } of workingEntryQuantities(snapshot)) {
    if (entryQty === 0) continue;
    const what = `working order ${describeOrder(order.side, entryQty, order.instrumentId, order.product)}`;
    const risk = entryRisk(what, order.side, entryQty, order.pricePaise, order.stopLossPaise);
    if ('unbounded' in risk) unbounded ??= risk.unbounded;
    else working -= risk.lossPaise;
  }
  let newEntry = 0n;
  if (intent !== undefined) {
    const { entryQty } = classifyIntent(intent, snapshot);
    if (entryQty > 0) {
      const what = `this order ${describeOrder(intent.side, entryQty, intent.instrumentId, intent.product)}`;
      const ref = referencePricePaise(intent, snapshot);
      const risk = entryRisk(what, intent.side, entryQty, ref, intent.stopLossPaise);
      if ('unbounded' in risk) unbounded ??= risk.unbounded;
      else newEntry = -risk.lossPaise;
    }
  }
  const realised = BigInt(snapshot.realisedPnlTodayPaise);
  return {
    realisedPaise: realised,
    positionsPaise: positions.sum,
    workingEntriesPaise: working,
    newEntryPaise: newEntry,
    totalPaise: unbounded === null ? realised + positions.sum + working + newEntry : null,
    unboundedReason: unbounded,
  };
}

/**
 * Returns the worst-case P&L of the day in exact paise (negative = loss), including the entry part of `intent`
 * when given, or null when some open risk is unbounded (a short without a stop, a buy without a price).
 */
export function worstCaseDailyPnlPaise(snapshot: RiskSnapshot, intent?: OrderIntent): bigint | null {
  return worstCaseDailyPnl(snapshot, intent).totalPaise;
}
