// How a refused modify or cancel request is reported. The order manager applied `modify-request` (→
// PENDING_MODIFY) or `cancel-request` (→ PENDING_CANCEL) before calling; a refusal is not a broker status
// change, but the order must leave PENDING_MODIFY and the owner must see the broker's message. So the client
// reports a `venue-status` with a fresh id (never a dedupe hit), the broker's message, no amendment, and a
// status the state machine accepts in the pending state:
// - the broker's current status when the order history shows OPEN, TRIGGER PENDING or a final status (COMPLETE,
//   CANCELLED, CANCELLED AMO, LAPSED): PENDING_MODIFY → OPEN / TRIGGER_PENDING / terminal; PENDING_CANCEL ignores
//   a working status (ORDER_TRANSITIONS keeps it pending until a terminal status) and takes a final one;
// - otherwise the order's last known venue status when it is OPEN or TRIGGER PENDING;
// - otherwise TRIGGER PENDING for SL/SL-M orders and OPEN for the rest.
// Transient statuses (UPDATE, MODIFY PENDING, acknowledgements) are never echoed: in PENDING_MODIFY they would
// leave the order pending, and REJECTED is never echoed because PENDING_MODIFY has no rejected transition.
import type { Order, OrderVenueStatusEvent } from '@kitepilot/core';
import type { KiteOrderUpdate } from '../parse/order-update.ts';

const ECHO_FROM_BROKER: ReadonlySet<string> = new Set([
  'OPEN',
  'TRIGGER PENDING',
  'COMPLETE',
  'CANCELLED',
  'CANCELLED AMO',
  'LAPSED',
]);

/** Returns the status a refused request echoes (see the file header for the rule). */
export function echoStatus(order: Order, latest: { readonly status: string } | null): string {
  if (latest !== null && ECHO_FROM_BROKER.has(latest.status)) return latest.status;
  if (order.venueStatus === 'OPEN' || order.venueStatus === 'TRIGGER PENDING') return order.venueStatus;
  return order.orderType === 'SL' || order.orderType === 'SL-M' ? 'TRIGGER PENDING' : 'OPEN';
}

/**
 * Returns the venue-status report of a refused `kind` request for `order`; `latest` is the order's newest
 * history entry when it could be read, `seq` makes the id unique within the process and `now` across restarts.
 */
export function failedRequestEcho(
  kind: 'modify' | 'cancel',
  order: Order,
  latest: { readonly update: KiteOrderUpdate } | null,
  message: string,
  now: number,
  seq: number,
): OrderVenueStatusEvent {
  const status = echoStatus(order, latest?.update ?? null);
  const fromBroker = latest !== null && latest.update.status === status;
  return {
    type: 'venue-status',
    id: `request-failed:${kind}:${order.clientOrderId}:${now}:${seq}`,
    ts: now,
    status,
    venueOrderId: order.venueOrderId,
    filledQty: fromBroker ? latest.update.filledQty : null,
    cancelledQty: fromBroker ? latest.update.cancelledQty : null,
    message: `${kind} refused: ${message}`,
    amendment: null,
  };
}
