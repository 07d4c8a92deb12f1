// The Kite request parameters of our domain orders (kite-connect.md §2.4): where each field of an Order goes.
import { intentTag, parseInstrumentId, type ModifyOrder, type Order, type OrderType } from '@kitepilot/core';
import type { KiteModifyOrderParams, KitePlaceOrderParams } from '../http/order-params.ts';

/** `market_protection = -1`: Kite's automatic protection (kite-connect.md §2.4). */
export const AUTOMATIC_MARKET_PROTECTION = -1;

/** Returns true for the order types that execute at market and so need market protection (MARKET, SL-M). */
export function needsMarketProtection(orderType: OrderType): boolean {
  return orderType === 'MARKET' || orderType === 'SL-M';
}

/**
 * Returns the placement parameters of `order`: exchange and tradingsymbol from its instrument id, price for
 * LIMIT/SL, trigger for SL/SL-M, validity (+ TTL minutes), the intent tag, and `marketProtection` on MARKET and
 * SL-M orders (Zerodha refuses market orders without it through the API, market-rules.md §5.2).
 */
export function placeParamsForOrder(order: Order, marketProtection: number): KitePlaceOrderParams {
  const { symbol, exchange } = parseInstrumentId(order.instrumentId);
  const usesLimit = order.orderType === 'LIMIT' || order.orderType === 'SL';
  const usesTrigger = order.orderType === 'SL' || order.orderType === 'SL-M';
  return {
    variety: order.variety,
    exchange,
    tradingsymbol: symbol,
    transactionType: order.side,
    quantity: order.qty,
    product: order.product,
    orderType: order.orderType,
    validity: order.validity,
    tag: intentTag(order.intentId),
    ...(usesLimit && order.limitPricePaise !== null ? { pricePaise: order.limitPricePaise } : {}),
    ...(usesTrigger && order.triggerPricePaise !== null
      ? { triggerPricePaise: order.triggerPricePaise }
      : {}),
    ...(order.validity === 'TTL' && order.validityTtlMinutes !== null
      ? { validityTtl: order.validityTtlMinutes }
      : {}),
    ...(needsMarketProtection(order.orderType) ? { marketProtection } : {}),
  };
}

/**
 * Returns the modification parameters of `command` for `order`: the new quantity and prices, each falling back
 * to the order's current terms (Kite expects the full terms), with the order type and market protection.
 */
export function modifyParamsForCommand(
  command: ModifyOrder,
  order: Order,
  marketProtection: number,
): KiteModifyOrderParams {
  const usesLimit = order.orderType === 'LIMIT' || order.orderType === 'SL';
  const usesTrigger = order.orderType === 'SL' || order.orderType === 'SL-M';
  const price = command.limitPricePaise ?? order.limitPricePaise;
  const trigger = command.triggerPricePaise ?? order.triggerPricePaise;
  return {
    quantity: command.qty ?? order.qty,
    orderType: order.orderType,
    ...(usesLimit && price !== null ? { pricePaise: price } : {}),
    ...(usesTrigger && trigger !== null ? { triggerPricePaise: trigger } : {}),
    ...(needsMarketProtection(order.orderType) ? { marketProtection } : {}),
  };
}
