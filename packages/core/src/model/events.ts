import type { Bar } from './bar.ts';
import type { Fill } from './fill.ts';
import type { AccountId, ClientOrderId, IntentId, StrategyId, VenueOrderId } from './ids.ts';
import type { OrderEvent } from './order-event.ts';
import type { Paise } from './money.ts';
import type { Order } from './order.ts';
import type { Position } from './position.ts';
import type { Tick } from './tick.ts';
import type { JsonValue, OrderEventSource } from '../ports/repositories.ts';

// Events say what happened, in the past tense; each is readonly with a string `type`, `tsEvent`
// (when it happened at the source) and `tsInit` (when we created the message).

/** The fields every order event carries. */
export interface OrderEventBase {
  readonly accountId: AccountId;
  readonly clientOrderId: ClientOrderId;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** An order was created from an intent and persisted, not yet sent. */
export interface OrderInitialized {
  readonly type: 'OrderInitialized';
  readonly order: Order;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** The order was sent and the broker's OMS took the request. */
export interface OrderSubmitted extends OrderEventBase {
  readonly type: 'OrderSubmitted';
  readonly venueOrderId: VenueOrderId | null;
}

/** The broker acknowledged the order. */
export interface OrderAccepted extends OrderEventBase {
  readonly type: 'OrderAccepted';
  readonly venueOrderId: VenueOrderId;
}

/** The broker or exchange rejected the order. */
export interface OrderRejected extends OrderEventBase {
  readonly type: 'OrderRejected';
  readonly reason: string;
}

/** Our risk engine refused an intent before any broker call (DESIGN.md §4 invariant 1). */
export interface OrderDenied {
  readonly type: 'OrderDenied';
  readonly accountId: AccountId;
  readonly intentId: IntentId;
  readonly strategyId: StrategyId;
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** A stop order's trigger price was reached and it went to the book. */
export interface OrderTriggered extends OrderEventBase {
  readonly type: 'OrderTriggered';
}

/** The broker confirmed a modification; the fields hold the order's terms now. */
export interface OrderModified extends OrderEventBase {
  readonly type: 'OrderModified';
  readonly qty: number;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
}

/** A cancellation is in flight. */
export interface OrderPendingCancel extends OrderEventBase {
  readonly type: 'OrderPendingCancel';
}

/** The order was cancelled; `cancelledQty` will never fill. */
export interface OrderCancelled extends OrderEventBase {
  readonly type: 'OrderCancelled';
  readonly cancelledQty: number;
  readonly reason: string | null;
}

/** The order lapsed (validity ran out) with `expiredQty` unfilled. */
export interface OrderExpired extends OrderEventBase {
  readonly type: 'OrderExpired';
  readonly expiredQty: number;
}

/** Part or all of the order executed. */
export interface OrderFilled extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly fill: Fill;
}

/**
 * A broker report about one order — the outcome of our request, a status, or a trade — as the
 * state-machine input it carries. Adapters know the client order id for replies to our own calls;
 * for postbacks, socket updates and polls they know the venue order id and the intent id the tag
 * carries (intentIdFromTag), and the order manager resolves the order from those.
 */
export interface OrderUpdateReceived {
  readonly type: 'OrderUpdateReceived';
  readonly accountId: AccountId;
  readonly clientOrderId: ClientOrderId | null;
  readonly intentId: IntentId | null;
  readonly venueOrderId: VenueOrderId | null;
  readonly update: OrderEvent;
  /** Where the report came from (default `rest`: the reply to our own call). */
  readonly source?: OrderEventSource;
  /** The broker's raw message, stored verbatim in order_events (default null). */
  readonly raw?: JsonValue;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** A position changed after a fill. */
export interface PositionChanged {
  readonly type: 'PositionChanged';
  readonly position: Position;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** A market data tick arrived. */
export interface TickReceived {
  readonly type: 'TickReceived';
  readonly tick: Tick;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** A bar closed. */
export interface BarClosed {
  readonly type: 'BarClosed';
  readonly bar: Bar;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Which broker link an event is about. */
export type BrokerLink = 'market-data' | 'execution' | 'order-updates';

/** A broker link came up. */
export interface BrokerConnected {
  readonly type: 'BrokerConnected';
  readonly accountId: AccountId | null;
  readonly link: BrokerLink;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** A broker link went down; data from `gapStartMs` until reconnection (`gapEndMs`, null while down) is missing. */
export interface BrokerDisconnected {
  readonly type: 'BrokerDisconnected';
  readonly accountId: AccountId | null;
  readonly link: BrokerLink;
  readonly gapStartMs: number;
  readonly gapEndMs: number | null;
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** The broker session (access token) expired; a new login is needed (kite-connect.md §8.9). */
export interface SessionExpired {
  readonly type: 'SessionExpired';
  readonly accountId: AccountId;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Events about one order's life. */
export type OrderLifecycleEvent =
  | OrderInitialized
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderDenied
  | OrderTriggered
  | OrderModified
  | OrderPendingCancel
  | OrderCancelled
  | OrderExpired
  | OrderFilled
  | OrderUpdateReceived;

/** Every event. */
export type Event =
  | OrderLifecycleEvent
  | PositionChanged
  | TickReceived
  | BarClosed
  | BrokerConnected
  | BrokerDisconnected
  | SessionExpired;

/** The `type` of every event. */
export type EventType = Event['type'];
