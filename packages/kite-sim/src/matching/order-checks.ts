// RMS checks that turn a well-formed order into a REJECTED one, with Kite-like messages that give the values.
import type { MarketSnapshot } from '../market/synthetic-market.ts';
import type { OrderType, Side } from './sim-order.ts';
import type { SimInstrument } from '../market/sim-instrument.ts';

/** The order fields the RMS checks look at. */
export interface CheckedOrder {
  readonly instrument: SimInstrument;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly pricePaise: number;
  readonly triggerPricePaise: number;
}

function rupees(paiseValue: number): string {
  return (paiseValue / 100).toFixed(2);
}

/** Returns the first RMS rejection reason of an order against the market, or null when it passes. */
export function rejectionReason(order: CheckedOrder, snapshot: MarketSnapshot): string | null {
  const { instrument, quantity } = order;
  const symbol = instrument.tradingsymbol;
  const lot = Math.max(1, instrument.lotSize);
  if (quantity % lot !== 0) {
    return `Quantity ${quantity} is not a multiple of lot size ${lot} for ${symbol}.`;
  }
  if (instrument.freezeQuantity !== null && quantity > instrument.freezeQuantity) {
    return `Quantity ${quantity} exceeds the freeze quantity ${instrument.freezeQuantity} for ${symbol}. Split the order or use autoslice.`;
  }
  const tick = instrument.tickSizePaise;
  const usesPrice = order.orderType === 'LIMIT' || order.orderType === 'SL';
  const usesTrigger = order.orderType === 'SL' || order.orderType === 'SL-M';
  const checks: [string, number][] = [];
  if (usesPrice) checks.push(['price', order.pricePaise]);
  if (usesTrigger) checks.push(['trigger price', order.triggerPricePaise]);
  for (const [name, value] of checks) {
    if (!Number.isInteger(value) || value % tick !== 0) {
      return `Tick size for this script is ${rupees(tick)}. The ${name} ${String(value / 100)} is not a multiple of the tick size for ${symbol}.`;
    }
  }
  const { lowerCircuitPaise: lower, upperCircuitPaise: upper } = snapshot;
  if (upper > 0) {
    for (const [name, value] of checks) {
      if (value < lower || value > upper) {
        return `The ${name} ${rupees(value)} is outside the price band ${rupees(lower)}–${rupees(upper)} for ${symbol}.`;
      }
    }
  }
  if (usesTrigger) {
    const last = snapshot.lastPricePaise;
    if (order.side === 'BUY' && order.triggerPricePaise < last) {
      return `Trigger price ${rupees(order.triggerPricePaise)} for a stoploss buy order should be higher than the last traded price ${rupees(last)}.`;
    }
    if (order.side === 'SELL' && order.triggerPricePaise > last) {
      return `Trigger price ${rupees(order.triggerPricePaise)} for a stoploss sell order should be lower than the last traded price ${rupees(last)}.`;
    }
  }
  if (order.orderType === 'SL') {
    if (order.side === 'BUY' && order.pricePaise < order.triggerPricePaise) {
      return `Trigger price ${rupees(order.triggerPricePaise)} should be less than or equal to the price ${rupees(order.pricePaise)} of a stoploss buy order.`;
    }
    if (order.side === 'SELL' && order.pricePaise > order.triggerPricePaise) {
      return `Trigger price ${rupees(order.triggerPricePaise)} should be greater than or equal to the price ${rupees(order.pricePaise)} of a stoploss sell order.`;
    }
  }
  return null;
}

/** Returns the Kite-like insufficient-funds message. */
export function insufficientFunds(requiredPaise: number, availablePaise: number): string {
  return `Insufficient funds. Required margin is ${rupees(requiredPaise)} but available margin is ${rupees(availablePaise)}.`;
}
