import { sideSign, type OrderIntent, type Paise } from '@kitepilot/core';
import type { RiskSnapshot } from './risk-types.ts';

/** How an intent changes the position of its instrument and product. */
export interface IntentClassification {
  /** `exit` reduces |netQty| without crossing zero; anything else (including a reversal) is an `entry`. */
  readonly kind: 'entry' | 'exit';
  /** The signed net quantity of the instrument × product before the order. */
  readonly netQtyBefore: number;
  /** The part of the quantity that reduces the position. */
  readonly exitQty: number;
  /** The part that opens or adds (a reversal's part beyond zero). */
  readonly entryQty: number;
}

/** Returns the summed net quantity of the snapshot's positions in the intent's instrument and product. */
export function netQtyOf(snapshot: RiskSnapshot, intent: OrderIntent): number {
  let net = 0;
  for (const p of snapshot.positions) {
    if (p.instrumentId === intent.instrumentId && p.product === intent.product) net += p.netQty;
  }
  return net;
}

/** Returns whether `intent` is an entry or an exit against the current position of its instrument and product. */
export function classifyIntent(intent: OrderIntent, snapshot: RiskSnapshot): IntentClassification {
  const net = netQtyOf(snapshot, intent);
  const opposite = net !== 0 && Math.sign(net) === -sideSign(intent.side);
  const exitQty = opposite ? Math.min(intent.qty, Math.abs(net)) : 0;
  const entryQty = intent.qty - exitQty;
  return { kind: entryQty === 0 ? 'exit' : 'entry', netQtyBefore: net, exitQty, entryQty };
}

/** Returns the price an intent is valued and sized at: its limit, else its trigger, else the last price, else null. */
export function referencePricePaise(intent: OrderIntent, snapshot: RiskSnapshot): Paise | null {
  return intent.limitPricePaise ?? intent.triggerPricePaise ?? snapshot.lastPricePaise;
}
