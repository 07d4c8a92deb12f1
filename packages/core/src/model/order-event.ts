import type { VenueOrderId, VenueTradeId } from './ids.ts';
import type { Paise } from './money.ts';

// The inputs of applyOrderEvent (order-state-machine.ts). Every event has an `id` used for dedupe
// (the same id applied twice changes nothing) and `ts`, the epoch ms it happened.

/** We sent the order to the broker and the request succeeded (the OMS took it). */
export interface OrderSubmitEvent {
  readonly type: 'submit';
  readonly id: string;
  readonly ts: number;
  readonly venueOrderId: VenueOrderId | null;
}

/** We sent the order but do not know whether the broker got it (timeout, dropped connection). */
export interface OrderSubmitUncertainEvent {
  readonly type: 'submit-uncertain';
  readonly id: string;
  readonly ts: number;
  readonly reason: string;
}

/** The broker refused the placement request itself (e.g. an input or margin error); the order never lived. */
export interface OrderSubmitFailedEvent {
  readonly type: 'submit-failed';
  readonly id: string;
  readonly ts: number;
  readonly reason: string;
}

/** We sent a modification request. */
export interface OrderModifyRequestEvent {
  readonly type: 'modify-request';
  readonly id: string;
  readonly ts: number;
}

/** We sent a cancellation request. */
export interface OrderCancelRequestEvent {
  readonly type: 'cancel-request';
  readonly id: string;
  readonly ts: number;
}

/** New order terms a broker status may carry after a modification. */
export interface OrderAmendment {
  readonly qty: number;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
}

/** A broker order status (postback, WS order update or orderbook poll), with its raw status string. */
export interface OrderVenueStatusEvent {
  readonly type: 'venue-status';
  readonly id: string;
  readonly ts: number;
  /** The raw Kite status (kite-connect.md §7), e.g. `OPEN`, `TRIGGER PENDING`, `COMPLETE`. */
  readonly status: string;
  readonly venueOrderId: VenueOrderId | null;
  /** The broker's `filled_quantity`, when reported (used only to size the cancelled remainder). */
  readonly filledQty: number | null;
  /** The broker's `cancelled_quantity`, when reported. */
  readonly cancelledQty: number | null;
  readonly message: string | null;
  /** The order's terms as the broker now reports them, or null; applied when they differ. */
  readonly amendment: OrderAmendment | null;
}

/** An execution of part of the order (a broker trade). */
export interface OrderFillEvent {
  readonly type: 'fill';
  readonly id: string;
  readonly ts: number;
  readonly venueTradeId: VenueTradeId;
  readonly qty: number;
  readonly pricePaise: Paise;
}

/** Everything applyOrderEvent accepts. */
export type OrderEvent =
  | OrderSubmitEvent
  | OrderSubmitUncertainEvent
  | OrderSubmitFailedEvent
  | OrderModifyRequestEvent
  | OrderCancelRequestEvent
  | OrderVenueStatusEvent
  | OrderFillEvent;
