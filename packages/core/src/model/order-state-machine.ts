import { IllegalTransitionError, InvariantError, UnknownVenueStatusError } from './errors.ts';
import { addPaise, mulPaise } from './money.ts';
import type { OrderEvent, OrderVenueStatusEvent } from './order-event.ts';
import { checkOrderPrices } from './order-prices.ts';
import type { OrderStatus } from './order-status.ts';
import type { Order } from './order.ts';

/** The columns of the transition table: what happened to the order, after classifying the input. */
export type OrderEventKind =
  | 'submit'
  | 'submit-uncertain'
  | 'submit-failed'
  | 'modify-request'
  | 'cancel-request'
  | 'venue-ack'
  | 'venue-open'
  | 'venue-trigger-pending'
  | 'venue-modify-pending'
  | 'venue-modified'
  | 'venue-cancel-pending'
  | 'venue-update'
  | 'venue-complete'
  | 'venue-cancelled'
  | 'venue-rejected'
  | 'venue-lapsed'
  | 'fill'
  | 'fill-complete';

/** Every Kite order status of kite-connect.md §7 and the event kind it maps to. */
export const KITE_STATUS_EVENTS = {
  'PUT ORDER REQ RECEIVED': 'venue-ack',
  'VALIDATION PENDING': 'venue-ack',
  'OPEN PENDING': 'venue-ack',
  // An AMO sits with the broker until the market opens: acknowledged, not yet at the exchange.
  'AMO REQ RECEIVED': 'venue-ack',
  OPEN: 'venue-open',
  'TRIGGER PENDING': 'venue-trigger-pending',
  'MODIFY VALIDATION PENDING': 'venue-modify-pending',
  'MODIFY PENDING': 'venue-modify-pending',
  MODIFIED: 'venue-modified',
  'CANCEL PENDING': 'venue-cancel-pending',
  // Postback-only: "modification or partial fill" (kite-connect.md §6); quantities come as fills.
  UPDATE: 'venue-update',
  COMPLETE: 'venue-complete',
  CANCELLED: 'venue-cancelled',
  'CANCELLED AMO': 'venue-cancelled',
  REJECTED: 'venue-rejected',
  // Unconfirmed in the docs (kite-connect.md §7); read as "validity ran out".
  LAPSED: 'venue-lapsed',
} as const satisfies Record<string, OrderEventKind>;

/** A Kite order status string that the state machine knows. */
export type KiteOrderStatus = keyof typeof KITE_STATUS_EVENTS;

/** Returns true when `s` is a known Kite order status. */
export function isKiteOrderStatus(s: string): s is KiteOrderStatus {
  return Object.hasOwn(KITE_STATUS_EVENTS, s);
}

/** A table cell: the next state, or `ignore` for a documented no-op (the event id is still recorded). */
export type OrderTransition = OrderStatus | 'ignore';

const I = 'ignore';

// Statuses may arrive late and out of order across postbacks, WS updates and orderbook polls, so a
// stale acknowledgement or OPEN after a later state is ignored rather than treated as a regression.
const LATE_ACK = { 'venue-ack': I, 'submit-uncertain': I } as const;
const LATE_WORKING = { ...LATE_ACK, 'venue-open': I, 'venue-trigger-pending': I, 'venue-update': I } as const;
const LATE_CHANGES = {
  ...LATE_WORKING,
  'venue-modify-pending': I,
  'venue-modified': I,
  'venue-cancel-pending': I,
  'modify-request': I,
  'cancel-request': I,
} as const;

/** The outcomes shared by every working state. */
const WORKING = {
  'venue-complete': 'FILLED',
  'venue-cancelled': 'CANCELLED',
  'venue-lapsed': 'EXPIRED',
  'fill-complete': 'FILLED',
  'cancel-request': 'PENDING_CANCEL',
  'venue-cancel-pending': 'PENDING_CANCEL',
} as const;

/**
 * THE order state machine: state × event kind → next state. A missing cell is an illegal transition
 * (an invariant break). After a transition, OPEN with filledQty > 0 reads as PARTIALLY_FILLED.
 */
export const ORDER_TRANSITIONS: Readonly<
  Record<OrderStatus, Readonly<Partial<Record<OrderEventKind, OrderTransition>>>>
> = {
  INITIALIZED: {
    submit: 'SUBMITTED',
    // The request may have reached the broker: from here on only reconciliation may resend.
    'submit-uncertain': 'SUBMITTED',
    'submit-failed': 'REJECTED',
  },
  SUBMITTED: {
    ...WORKING,
    'submit-uncertain': 'SUBMITTED',
    'submit-failed': 'REJECTED',
    'venue-ack': 'ACCEPTED',
    'venue-open': 'OPEN',
    'venue-trigger-pending': 'TRIGGER_PENDING',
    'venue-update': 'SUBMITTED',
    'venue-rejected': 'REJECTED',
    fill: 'PARTIALLY_FILLED',
  },
  ACCEPTED: {
    ...WORKING,
    'submit-uncertain': I,
    'venue-ack': 'ACCEPTED',
    'venue-open': 'OPEN',
    'venue-trigger-pending': 'TRIGGER_PENDING',
    'venue-update': 'ACCEPTED',
    'venue-rejected': 'REJECTED',
    'modify-request': 'PENDING_MODIFY',
    'venue-modify-pending': 'PENDING_MODIFY',
    'venue-modified': 'ACCEPTED',
    fill: 'PARTIALLY_FILLED',
  },
  TRIGGER_PENDING: {
    ...WORKING,
    ...LATE_ACK,
    'venue-open': 'OPEN',
    'venue-trigger-pending': 'TRIGGER_PENDING',
    'venue-update': 'TRIGGER_PENDING',
    'venue-rejected': 'REJECTED',
    'modify-request': 'PENDING_MODIFY',
    'venue-modify-pending': 'PENDING_MODIFY',
    'venue-modified': 'TRIGGER_PENDING',
    fill: 'PARTIALLY_FILLED',
  },
  OPEN: {
    ...WORKING,
    ...LATE_ACK,
    'venue-open': 'OPEN',
    // A stop order whose modification was confirmed reports MODIFIED → TRIGGER PENDING.
    'venue-trigger-pending': 'TRIGGER_PENDING',
    'venue-update': 'OPEN',
    'venue-rejected': 'REJECTED',
    'modify-request': 'PENDING_MODIFY',
    'venue-modify-pending': 'PENDING_MODIFY',
    'venue-modified': 'OPEN',
    fill: 'PARTIALLY_FILLED',
  },
  PARTIALLY_FILLED: {
    ...WORKING,
    ...LATE_ACK,
    'venue-open': 'OPEN',
    'venue-trigger-pending': I,
    'venue-update': 'PARTIALLY_FILLED',
    'modify-request': 'PENDING_MODIFY',
    'venue-modify-pending': 'PENDING_MODIFY',
    'venue-modified': 'OPEN',
    fill: 'PARTIALLY_FILLED',
  },
  PENDING_MODIFY: {
    ...WORKING,
    ...LATE_ACK,
    // The broker's next working status ends the modification, whether it was applied or refused.
    'venue-open': 'OPEN',
    'venue-trigger-pending': 'TRIGGER_PENDING',
    'venue-modified': 'OPEN',
    'venue-update': 'PENDING_MODIFY',
    'modify-request': 'PENDING_MODIFY',
    'venue-modify-pending': 'PENDING_MODIFY',
    fill: 'PENDING_MODIFY',
  },
  PENDING_CANCEL: {
    ...WORKING,
    ...LATE_ACK,
    // Stays PENDING_CANCEL (still a working order) until a terminal status arrives.
    'venue-open': I,
    'venue-trigger-pending': I,
    'venue-update': I,
    'venue-modify-pending': I,
    // A modification confirmed while the cancel is in flight still changed the order's terms (a raised quantity
    // may fill before the cancel lands), so its amendment is applied.
    'venue-modified': 'PENDING_CANCEL',
    fill: 'PENDING_CANCEL',
  },
  FILLED: {
    ...LATE_CHANGES,
    'venue-complete': 'FILLED',
    // Trades may be reported after COMPLETE; they still count, within qty.
    fill: 'FILLED',
    'fill-complete': 'FILLED',
  },
  CANCELLED: {
    ...LATE_CHANGES,
    'venue-cancelled': 'CANCELLED',
    'venue-lapsed': I,
    fill: 'CANCELLED',
    'fill-complete': 'CANCELLED',
  },
  REJECTED: {
    ...LATE_ACK,
    'venue-rejected': 'REJECTED',
    'submit-failed': 'REJECTED',
    'cancel-request': I,
  },
  EXPIRED: {
    ...LATE_CHANGES,
    'venue-lapsed': 'EXPIRED',
    // An IOC remainder may be reported both as lapsed and as cancelled.
    'venue-cancelled': I,
    fill: 'EXPIRED',
    'fill-complete': 'EXPIRED',
  },
};

/** Returns the table column for `event` applied to `order`; throws on an unknown Kite status. */
export function classifyOrderEvent(order: Order, event: OrderEvent): OrderEventKind {
  switch (event.type) {
    case 'venue-status': {
      if (!isKiteOrderStatus(event.status)) {
        throw new UnknownVenueStatusError(
          `order ${order.clientOrderId}: unknown Kite order status ${JSON.stringify(event.status)} (event ${event.id})`,
        );
      }
      return KITE_STATUS_EVENTS[event.status];
    }
    case 'fill':
      return order.filledQty + event.qty === order.qty ? 'fill-complete' : 'fill';
    default:
      return event.type;
  }
}

function fail(order: Order, event: OrderEvent, message: string): never {
  throw new InvariantError(`order ${order.clientOrderId} (${order.status}), event ${event.id}: ${message}`);
}

function cancelledAfterTerminal(order: Order, event: OrderVenueStatusEvent, target: OrderStatus): number {
  if (event.cancelledQty !== null) return event.cancelledQty;
  if (order.status === target) return order.cancelledQty;
  return order.qty - Math.max(order.filledQty, event.filledQty ?? 0);
}

function applyVenueStatus(order: Order, event: OrderVenueStatusEvent, target: OrderStatus): Order {
  if (
    event.venueOrderId !== null &&
    order.venueOrderId !== null &&
    event.venueOrderId !== order.venueOrderId
  ) {
    fail(order, event, `venue order id ${event.venueOrderId} differs from ${order.venueOrderId}`);
  }
  let next: Order = {
    ...order,
    venueOrderId: order.venueOrderId ?? event.venueOrderId,
    venueStatus: event.status,
    statusMessage: event.message ?? order.statusMessage,
  };
  const a = event.amendment;
  if (
    a !== null &&
    (a.qty !== order.qty ||
      a.limitPricePaise !== order.limitPricePaise ||
      a.triggerPricePaise !== order.triggerPricePaise)
  ) {
    if (!Number.isSafeInteger(a.qty) || a.qty < order.filledQty + order.cancelledQty || a.qty <= 0) {
      fail(
        order,
        event,
        `amended quantity ${a.qty} is below filled ${order.filledQty} + cancelled ${order.cancelledQty}`,
      );
    }
    checkOrderPrices(`order ${order.clientOrderId} amendment ${event.id}`, { ...order, ...a });
    next = {
      ...next,
      qty: a.qty,
      limitPricePaise: a.limitPricePaise,
      triggerPricePaise: a.triggerPricePaise,
    };
  }
  if (target === 'CANCELLED' || target === 'EXPIRED' || target === 'REJECTED') {
    next = { ...next, cancelledQty: cancelledAfterTerminal(next, event, target) };
  }
  return next;
}

function applyEffects(order: Order, event: OrderEvent, target: OrderStatus): Order {
  switch (event.type) {
    case 'submit':
      return { ...order, venueOrderId: order.venueOrderId ?? event.venueOrderId };
    case 'submit-uncertain':
      return { ...order, statusMessage: `submission outcome unknown: ${event.reason}` };
    case 'submit-failed':
      return { ...order, statusMessage: event.reason, cancelledQty: order.qty - order.filledQty };
    case 'modify-request':
    case 'cancel-request':
      return order;
    case 'venue-status':
      return applyVenueStatus(order, event, target);
    case 'fill': {
      if (!Number.isSafeInteger(event.qty) || event.qty <= 0)
        fail(order, event, `fill quantity ${event.qty} must be > 0`);
      if (!Number.isSafeInteger(event.pricePaise) || event.pricePaise <= 0) {
        fail(order, event, `fill price ${event.pricePaise} must be positive integer paise`);
      }
      return {
        ...order,
        filledQty: order.filledQty + event.qty,
        filledValuePaise: addPaise(order.filledValuePaise, mulPaise(event.pricePaise, event.qty)),
      };
    }
  }
}

/**
 * Returns the order after `event`, reading ORDER_TRANSITIONS. An event whose id was already applied
 * returns the order unchanged. Throws UnknownVenueStatusError for an unknown Kite status,
 * IllegalTransitionError for an event the table does not allow in the current state, and
 * InvariantError when quantities would break filledQty + cancelledQty ≤ qty.
 */
export function applyOrderEvent(order: Order, event: OrderEvent): Order {
  if (order.appliedEventIds.includes(event.id)) return order;
  if (!Number.isSafeInteger(event.ts)) fail(order, event, `timestamp ${event.ts} must be integer epoch ms`);
  const kind = classifyOrderEvent(order, event);
  const cell = ORDER_TRANSITIONS[order.status][kind];
  if (cell === undefined) {
    const raw = event.type === 'venue-status' ? ` (Kite status ${JSON.stringify(event.status)})` : '';
    throw new IllegalTransitionError(
      `order ${order.clientOrderId}: ${kind}${raw} is not allowed in state ${order.status} (event ${event.id})`,
    );
  }
  const appliedEventIds = [...order.appliedEventIds, event.id];
  if (cell === 'ignore') return { ...order, appliedEventIds };
  const next = applyEffects(order, event, cell);
  if (next.filledQty + next.cancelledQty > next.qty) {
    fail(
      order,
      event,
      `filled ${next.filledQty} + cancelled ${next.cancelledQty} exceeds quantity ${next.qty}`,
    );
  }
  const status = cell === 'OPEN' && next.filledQty > 0 ? 'PARTIALLY_FILLED' : cell;
  return { ...next, status, appliedEventIds, updatedAt: Math.max(order.updatedAt, event.ts) };
}

/** Returns the order after applying `events` in order. */
export function applyOrderEvents(order: Order, events: Iterable<OrderEvent>): Order {
  let current = order;
  for (const e of events) current = applyOrderEvent(current, e);
  return current;
}
