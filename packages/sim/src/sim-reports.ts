import type {
  JsonValue,
  KiteOrderStatus,
  OrderEvent,
  OrderUpdateReceived,
  OrderVenueStatusEvent,
} from '@kitepilot/core';
import type { SimOrder } from './sim-order.ts';

/** Returns the report of one update of a simulated order, as a Kite WebSocket order update would arrive (raw null: none). */
export function orderReport(
  sim: SimOrder,
  update: OrderEvent,
  raw: JsonValue,
  nowMs: number,
): OrderUpdateReceived {
  return {
    type: 'OrderUpdateReceived',
    accountId: sim.order.accountId,
    clientOrderId: sim.order.clientOrderId,
    intentId: sim.order.intentId,
    venueOrderId: update.type === 'submit-failed' ? null : sim.venueOrderId,
    update,
    source: 'websocket',
    ...(raw === null ? {} : { raw }),
    tsEvent: nowMs,
    tsInit: nowMs,
  };
}

/** Returns a `venue-status` event of the order's current state reported as `status`. */
export function venueStatusEvent(
  sim: SimOrder,
  status: KiteOrderStatus,
  id: string,
  nowMs: number,
  message: string | null,
): OrderVenueStatusEvent {
  return {
    type: 'venue-status',
    id,
    ts: nowMs,
    status,
    venueOrderId: sim.venueOrderId,
    filledQty: sim.filledQty,
    cancelledQty: status === 'CANCELLED' ? sim.cancelledQty : null,
    message,
    // Every Kite order update carries the order's current terms; sending them on every status keeps
    // the order manager's terms right even when it ignored a MODIFIED (e.g. while PENDING_CANCEL).
    amendment: {
      qty: sim.qty,
      limitPricePaise: sim.limitPricePaise,
      triggerPricePaise: sim.triggerPricePaise,
    },
  };
}
