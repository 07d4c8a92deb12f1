import type { OrderLifecycleEvent } from './events.ts';
import { makeFill } from './fill.ts';
import { InvariantError } from './errors.ts';
import type { FillId } from './ids.ts';
import type { OrderEvent } from './order-event.ts';
import type { Order } from './order.ts';

/** Times and ids the domain events of one transition need. */
export interface OutcomeContext {
  /** When the update happened at the source (epoch ms). */
  readonly tsEvent: number;
  /** When we processed it (epoch ms). */
  readonly tsInit: number;
  /** Returns a new fill id (from the IdGenerator port). */
  readonly newFillId: () => FillId;
}

/**
 * Returns the domain events implied by one applyOrderEvent step from `before` to `after` caused by
 * `update`, in this order: OrderSubmitted, OrderAccepted, OrderTriggered, OrderModified,
 * OrderPendingCancel, OrderFilled, then the terminal OrderCancelled / OrderExpired / OrderRejected.
 * A deduplicated or ignored update yields nothing.
 */
export function orderOutcomes(
  before: Order,
  after: Order,
  update: OrderEvent,
  ctx: OutcomeContext,
): OrderLifecycleEvent[] {
  if (before === after) return [];
  const base = {
    accountId: after.accountId,
    clientOrderId: after.clientOrderId,
    tsEvent: ctx.tsEvent,
    tsInit: ctx.tsInit,
  };
  const out: OrderLifecycleEvent[] = [];
  const changed = before.status !== after.status;
  if (changed && after.status === 'SUBMITTED' && before.status === 'INITIALIZED') {
    out.push({ ...base, type: 'OrderSubmitted', venueOrderId: after.venueOrderId });
  }
  const wasUnacknowledged = before.status === 'INITIALIZED' || before.status === 'SUBMITTED';
  const acknowledged = !['INITIALIZED', 'SUBMITTED', 'REJECTED'].includes(after.status);
  if (wasUnacknowledged && acknowledged) {
    if (after.venueOrderId === null) {
      throw new InvariantError(
        `order ${after.clientOrderId} reached ${after.status} without a venue order id`,
      );
    }
    out.push({ ...base, type: 'OrderAccepted', venueOrderId: after.venueOrderId });
  }
  if (
    before.status === 'TRIGGER_PENDING' &&
    (after.status === 'OPEN' || after.status === 'PARTIALLY_FILLED')
  ) {
    out.push({ ...base, type: 'OrderTriggered' });
  }
  if (
    before.qty !== after.qty ||
    before.limitPricePaise !== after.limitPricePaise ||
    before.triggerPricePaise !== after.triggerPricePaise
  ) {
    out.push({
      ...base,
      type: 'OrderModified',
      qty: after.qty,
      limitPricePaise: after.limitPricePaise,
      triggerPricePaise: after.triggerPricePaise,
    });
  }
  if (changed && after.status === 'PENDING_CANCEL') out.push({ ...base, type: 'OrderPendingCancel' });
  if (update.type === 'fill' && after.filledQty > before.filledQty) {
    const fill = makeFill({
      id: ctx.newFillId(),
      clientOrderId: after.clientOrderId,
      venueTradeId: update.venueTradeId,
      accountId: after.accountId,
      instrumentId: after.instrumentId,
      product: after.product,
      side: after.side,
      qty: update.qty,
      pricePaise: update.pricePaise,
      tsEvent: ctx.tsEvent,
      tsInit: ctx.tsInit,
    });
    out.push({ ...base, type: 'OrderFilled', fill });
  }
  if (changed && after.status === 'CANCELLED') {
    out.push({
      ...base,
      type: 'OrderCancelled',
      cancelledQty: after.cancelledQty,
      reason: after.statusMessage,
    });
  }
  if (changed && after.status === 'EXPIRED')
    out.push({ ...base, type: 'OrderExpired', expiredQty: after.cancelledQty });
  if (changed && after.status === 'REJECTED') {
    out.push({ ...base, type: 'OrderRejected', reason: after.statusMessage ?? 'rejected without a message' });
  }
  return out;
}
