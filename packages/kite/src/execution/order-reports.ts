// Building blocks of the reports KiteExecutionClient and reconciliation emit: well-identified state-machine inputs
// whose ids are the same whichever channel (postback, WebSocket, orderbook poll, REST reply) carried the news.
import {
  intentIdFromTag,
  parseVenueTradeId,
  type AccountId,
  type ClientOrderId,
  type IntentId,
  type JsonValue,
  type OrderEvent,
  type OrderEventSource,
  type OrderFillEvent,
  type OrderUpdateReceived,
  type VenueOrderId,
} from '@kitepilot/core';
import type { KiteOrder, KiteTrade } from '../http/parse-orders.ts';
import type { KiteOrderUpdate } from '../parse/order-update.ts';

/** Who an order report is about, as far as the reporter knows. */
export interface OrderRef {
  readonly clientOrderId: ClientOrderId | null;
  readonly intentId: IntentId | null;
  readonly venueOrderId: VenueOrderId | null;
}

/** Returns the report that carries `update` about `ref`. */
export function orderReport(
  accountId: AccountId,
  ref: OrderRef,
  update: OrderEvent,
  source: OrderEventSource,
  raw: JsonValue,
  tsInit: number,
): OrderUpdateReceived {
  return {
    type: 'OrderUpdateReceived',
    accountId,
    clientOrderId: ref.clientOrderId,
    intentId: ref.intentId,
    venueOrderId: ref.venueOrderId,
    update,
    source,
    raw,
    tsEvent: update.ts,
    tsInit,
  };
}

/** Returns the dedupe id of a broker trade: `trade:<trade_id>`, the same from every channel. */
export function tradeEventId(tradeId: string): string {
  return `trade:${tradeId}`;
}

/**
 * Returns the `fill` input of a broker trade. Fills come only from trades: postbacks and socket updates carry
 * quantities but no trade id, so they cannot be deduplicated against the orderbook.
 */
export function fillEventFromTrade(trade: KiteTrade, fallbackTs: number): OrderFillEvent {
  return {
    type: 'fill',
    id: tradeEventId(trade.tradeId),
    ts: trade.fillTimestampMs ?? trade.exchangeTimestampMs ?? fallbackTs,
    venueTradeId: parseVenueTradeId(trade.tradeId),
    qty: trade.quantity,
    pricePaise: trade.averagePricePaise,
  };
}

/** Returns the intent id a broker order's tag carries (its `tag`, else one of its `tags`), or null. */
export function intentIdOfKiteOrder(order: Pick<KiteOrder, 'tag' | 'tags'>): IntentId | null {
  const direct = intentIdFromTag(order.tag);
  if (direct !== null) return direct;
  for (const t of order.tags) {
    const id = intentIdFromTag(t);
    if (id !== null) return id;
  }
  return null;
}

/** Returns a parsed Kite JSON body as a stored JSON value (it came from JSON.parse, so it is one). */
export function asJsonValue(v: unknown): JsonValue {
  return v as JsonValue;
}

/**
 * Returns a socket order update in Kite's order-object shape. The ticker hands out parsed updates only, so this
 * is a faithful re-serialisation (marked `_reconstructed`), not the bytes received.
 */
export function kiteOrderUpdateRaw(u: KiteOrderUpdate): JsonValue {
  const rupees = (p: number): number => p / 100;
  return {
    _reconstructed: true,
    order_id: u.venueOrderId,
    exchange_order_id: u.exchangeOrderId,
    parent_order_id: u.parentOrderId,
    status: u.status,
    status_message: u.statusMessage,
    status_message_raw: u.statusMessageRaw,
    order_timestamp: u.orderTimestampRaw,
    exchange_timestamp: u.exchangeTimestamp,
    exchange_update_timestamp: u.exchangeUpdateTimestamp,
    variety: u.variety,
    exchange: u.exchange,
    tradingsymbol: u.tradingsymbol,
    instrument_token: u.instrumentToken,
    order_type: u.orderType,
    transaction_type: u.side,
    validity: u.validity,
    validity_ttl: u.validityTtlMinutes,
    product: u.product,
    quantity: u.qty,
    disclosed_quantity: u.disclosedQty,
    price: rupees(u.pricePaise),
    trigger_price: rupees(u.triggerPricePaise),
    average_price: u.averagePriceRupees,
    filled_quantity: u.filledQty,
    pending_quantity: u.pendingQty,
    cancelled_quantity: u.cancelledQty,
    market_protection: u.marketProtection,
    tag: u.tag,
    tags: [...u.tags],
    guid: u.guid,
  };
}
