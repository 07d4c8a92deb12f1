// Order and trade responses (kite-connect.md §7, §2.3) in paise and epoch ms (IST strings read exactly).
import type { Paise } from '@kitepilot/core';
import { readIstField } from './kite-time.ts';
import { amountPaise, int, obj, optStr, pricePaise, str, strs, type KiteJson } from './kite-values.ts';

/** An order as the orderbook and order history return it. */
export interface KiteOrder {
  readonly orderId: string;
  readonly exchangeOrderId: string | null;
  readonly parentOrderId: string | null;
  /** The Kite status as sent (`OPEN`, `COMPLETE`, `TRIGGER PENDING`, …; §7). */
  readonly status: string;
  readonly statusMessage: string | null;
  readonly statusMessageRaw: string | null;
  readonly orderTimestampMs: number | null;
  readonly exchangeTimestampMs: number | null;
  readonly exchangeUpdateTimestampMs: number | null;
  readonly variety: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly orderType: string;
  readonly transactionType: string;
  readonly validity: string;
  readonly validityTtl: number;
  readonly product: string;
  readonly quantity: number;
  readonly disclosedQuantity: number;
  readonly pricePaise: Paise;
  readonly triggerPricePaise: Paise;
  readonly averagePricePaise: Paise;
  readonly filledQuantity: number;
  readonly pendingQuantity: number;
  readonly cancelledQuantity: number;
  readonly marketProtection: number;
  readonly tag: string | null;
  readonly tags: readonly string[];
  readonly placedBy: string;
  readonly guid: string;
  readonly modified: boolean;
  /** The order as Kite sent it, kept for the order-event log. */
  readonly raw: KiteJson;
}

/** A trade (an execution) of an order. */
export interface KiteTrade {
  readonly tradeId: string;
  readonly orderId: string;
  readonly exchangeOrderId: string | null;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly product: string;
  readonly transactionType: string;
  readonly quantity: number;
  readonly averagePricePaise: Paise;
  readonly fillTimestampMs: number | null;
  readonly exchangeTimestampMs: number | null;
  /** `order_timestamp` as sent: the mocks send a bare time (`09:16:39`) here, so it is not converted. */
  readonly orderTimestamp: string;
  readonly raw: KiteJson;
}

/** Returns an order entry. */
export function parseOrder(v: unknown): KiteOrder {
  const o = obj(v, 'order');
  return {
    orderId: str(o, 'order_id'),
    exchangeOrderId: optStr(o, 'exchange_order_id'),
    parentOrderId: optStr(o, 'parent_order_id'),
    status: str(o, 'status'),
    statusMessage: optStr(o, 'status_message'),
    statusMessageRaw: optStr(o, 'status_message_raw'),
    orderTimestampMs: readIstField(o['order_timestamp']),
    exchangeTimestampMs: readIstField(o['exchange_timestamp']),
    exchangeUpdateTimestampMs: readIstField(o['exchange_update_timestamp']),
    variety: str(o, 'variety'),
    exchange: str(o, 'exchange'),
    tradingsymbol: str(o, 'tradingsymbol'),
    instrumentToken: int(o, 'instrument_token'),
    orderType: str(o, 'order_type'),
    transactionType: str(o, 'transaction_type'),
    validity: str(o, 'validity'),
    validityTtl: int(o, 'validity_ttl'),
    product: str(o, 'product'),
    quantity: int(o, 'quantity'),
    disclosedQuantity: int(o, 'disclosed_quantity'),
    pricePaise: pricePaise(o, 'price'),
    triggerPricePaise: pricePaise(o, 'trigger_price'),
    averagePricePaise: amountPaise(o, 'average_price'),
    filledQuantity: int(o, 'filled_quantity'),
    pendingQuantity: int(o, 'pending_quantity'),
    cancelledQuantity: int(o, 'cancelled_quantity'),
    marketProtection: Number(o['market_protection'] ?? 0),
    tag: optStr(o, 'tag'),
    tags: strs(o, 'tags'),
    placedBy: str(o, 'placed_by'),
    guid: str(o, 'guid'),
    modified: o['modified'] === true,
    raw: o,
  };
}

/** Returns a trade entry. */
export function parseTrade(v: unknown): KiteTrade {
  const o = obj(v, 'trade');
  return {
    tradeId: str(o, 'trade_id'),
    orderId: str(o, 'order_id'),
    exchangeOrderId: optStr(o, 'exchange_order_id'),
    exchange: str(o, 'exchange'),
    tradingsymbol: str(o, 'tradingsymbol'),
    instrumentToken: int(o, 'instrument_token'),
    product: str(o, 'product'),
    transactionType: str(o, 'transaction_type'),
    quantity: int(o, 'quantity'),
    averagePricePaise: amountPaise(o, 'average_price'),
    fillTimestampMs: readIstField(o['fill_timestamp']),
    exchangeTimestampMs: readIstField(o['exchange_timestamp']),
    orderTimestamp: str(o, 'order_timestamp'),
    raw: o,
  };
}
