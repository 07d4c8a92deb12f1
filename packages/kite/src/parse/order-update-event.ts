import type { OrderVenueStatusEvent, Paise } from '@kitepilot/core';
import type { KiteOrderUpdate } from './order-update.ts';

/**
 * Returns the dedupe id of an order update: the same report arriving by postback, WebSocket and
 * orderbook poll gets the same id, so the order state machine applies it once.
 */
export function kiteOrderUpdateId(u: KiteOrderUpdate): string {
  const at = u.exchangeUpdateTimestamp ?? u.exchangeTimestamp ?? u.orderTimestamp;
  return `kite:${u.venueOrderId}:${u.status}:${u.filledQty}/${u.pendingQty}/${u.cancelledQty}:${u.qty}@${u.pricePaise}/${u.triggerPricePaise}:${at}`;
}

/**
 * Returns the order state machine's `venue-status` input for an order update. The amendment carries
 * the order's current terms with each price set only when the order type uses it (LIMIT/SL: limit
 * price; SL/SL-M: trigger), since Kite reports an unused price as 0.
 */
export function kiteOrderUpdateToVenueStatus(u: KiteOrderUpdate): OrderVenueStatusEvent {
  const usesLimit = u.orderType === 'LIMIT' || u.orderType === 'SL';
  const usesTrigger = u.orderType === 'SL' || u.orderType === 'SL-M';
  return {
    type: 'venue-status',
    id: kiteOrderUpdateId(u),
    ts: u.tsEvent,
    status: u.status,
    venueOrderId: u.venueOrderId,
    filledQty: u.filledQty,
    cancelledQty: u.cancelledQty,
    message: u.statusMessage,
    amendment: {
      qty: u.qty,
      limitPricePaise: usesLimit ? u.pricePaise : (null as Paise | null),
      triggerPricePaise: usesTrigger ? u.triggerPricePaise : null,
    },
  };
}
