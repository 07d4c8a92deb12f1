// The simulator's order record and its Kite JSON form (order object of kite-connect.md §7).
import { kiteTimestamp } from '../ist-format.ts';
import type { SimInstrument } from '../market/sim-instrument.ts';

/** Kite order statuses (§7), including the postback-only `UPDATE`. */
export type SimOrderStatus =
  | 'PUT ORDER REQ RECEIVED'
  | 'VALIDATION PENDING'
  | 'OPEN PENDING'
  | 'OPEN'
  | 'TRIGGER PENDING'
  | 'MODIFY VALIDATION PENDING'
  | 'MODIFY PENDING'
  | 'MODIFIED'
  | 'CANCEL PENDING'
  | 'AMO REQ RECEIVED'
  | 'COMPLETE'
  | 'CANCELLED'
  | 'REJECTED'
  | 'UPDATE';

/** Kite order varieties (§2.4). */
export type Variety = 'regular' | 'amo' | 'co' | 'iceberg' | 'auction';
/** Kite order types. */
export type OrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
/** Kite products. */
export type Product = 'CNC' | 'MIS' | 'NRML' | 'MTF';
/** Kite validities. */
export type Validity = 'DAY' | 'IOC' | 'TTL';
/** BUY or SELL. */
export type Side = 'BUY' | 'SELL';

/** A live order inside the simulator (mutable: the order book owns it). */
export interface SimOrder {
  readonly orderId: string;
  exchangeOrderId: string | null;
  readonly parentOrderId: string | null;
  status: SimOrderStatus;
  statusMessage: string | null;
  readonly placedBy: string;
  orderTimestampMs: number;
  exchangeTimestampMs: number | null;
  exchangeUpdateTimestampMs: number | null;
  readonly variety: Variety;
  modified: boolean;
  readonly instrument: SimInstrument;
  orderType: OrderType;
  readonly side: Side;
  validity: Validity;
  validityTtl: number;
  readonly product: Product;
  quantity: number;
  disclosedQuantity: number;
  pricePaise: number;
  triggerPricePaise: number;
  filledQuantity: number;
  filledValuePaise: number;
  cancelledQuantity: number;
  readonly marketProtection: number;
  readonly tag: string | null;
  readonly guid: string;
  modifications: number;
  /** The price limit of a MARKET / triggered SL-M order (from market_protection); 0 before it is set. */
  protectionLimitPaise: number;
  /** The last market second (session minute × 60 + second) this order was matched at. */
  lastMatchedSecond: number;
  /** Stop-loss price of a cover order's second leg, 0 otherwise. */
  readonly coverTriggerPaise: number;
  readonly meta: Readonly<Record<string, unknown>>;
}

/** One execution of an order. */
export interface SimTrade {
  readonly tradeId: string;
  readonly orderId: string;
  readonly exchangeOrderId: string;
  readonly instrument: SimInstrument;
  readonly product: Product;
  readonly pricePaise: number;
  readonly quantity: number;
  readonly side: Side;
  readonly fillTimestampMs: number;
  readonly orderTimestampMs: number;
}

function rupees(value: number): number {
  return value / 100;
}

/** Returns the average fill price of an order in paise (0 when nothing filled). */
export function averagePricePaise(order: SimOrder): number {
  return order.filledQuantity === 0 ? 0 : Math.round(order.filledValuePaise / order.filledQuantity);
}

/** Returns the Kite JSON order object of an order's current state, optionally reporting another status (e.g. UPDATE). */
export function orderJson(order: SimOrder, status: SimOrderStatus = order.status): Record<string, unknown> {
  const pending =
    order.status === 'COMPLETE' || order.status === 'CANCELLED' || order.status === 'REJECTED'
      ? 0
      : order.quantity - order.filledQuantity;
  const tags = order.tag === null ? [] : [order.tag];
  return {
    account_id: order.placedBy,
    placed_by: order.placedBy,
    order_id: order.orderId,
    exchange_order_id: order.exchangeOrderId,
    parent_order_id: order.parentOrderId,
    status,
    status_message: order.statusMessage,
    status_message_raw: order.statusMessage,
    order_timestamp: kiteTimestamp(order.orderTimestampMs),
    exchange_update_timestamp:
      order.exchangeUpdateTimestampMs === null ? null : kiteTimestamp(order.exchangeUpdateTimestampMs),
    exchange_timestamp: order.exchangeTimestampMs === null ? null : kiteTimestamp(order.exchangeTimestampMs),
    variety: order.variety,
    modified: order.modified,
    exchange: order.instrument.exchange,
    tradingsymbol: order.instrument.tradingsymbol,
    instrument_token: order.instrument.instrumentToken,
    order_type: order.orderType,
    transaction_type: order.side,
    validity: order.validity,
    validity_ttl: order.validityTtl,
    product: order.product,
    quantity: order.quantity,
    disclosed_quantity: order.disclosedQuantity,
    price: rupees(order.pricePaise),
    trigger_price: rupees(order.triggerPricePaise),
    average_price: rupees(averagePricePaise(order)),
    filled_quantity: order.filledQuantity,
    pending_quantity: pending,
    cancelled_quantity: order.cancelledQuantity,
    market_protection: order.marketProtection,
    meta: { ...order.meta, simulated: true },
    tag: order.tag,
    tags,
    guid: order.guid,
  };
}

/** Returns the Kite JSON trade object. */
export function tradeJson(trade: SimTrade): Record<string, unknown> {
  return {
    trade_id: trade.tradeId,
    order_id: trade.orderId,
    exchange_order_id: trade.exchangeOrderId,
    exchange: trade.instrument.exchange,
    tradingsymbol: trade.instrument.tradingsymbol,
    instrument_token: trade.instrument.instrumentToken,
    product: trade.product,
    average_price: rupees(trade.pricePaise),
    quantity: trade.quantity,
    transaction_type: trade.side,
    fill_timestamp: kiteTimestamp(trade.fillTimestampMs),
    order_timestamp: kiteTimestamp(trade.orderTimestampMs),
    exchange_timestamp: kiteTimestamp(trade.fillTimestampMs),
  };
}
