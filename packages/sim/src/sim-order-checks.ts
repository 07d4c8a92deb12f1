import {
  isOnTick,
  validateOrderQuantity,
  type Instrument,
  type OrderType,
  type Paise,
  type Side,
} from '@kitepilot/core';

/** The order terms the venue checks on placement and on modification. */
export interface CheckedTerms {
  readonly side: Side;
  readonly orderType: OrderType;
  readonly qty: number;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
}

function rupees(p: number): string {
  return (p / 100).toFixed(2);
}

/**
 * Returns the first reason the venue's risk checks reject these terms (Kite-like wording with the
 * values), or null: lot size and freeze quantity, the tick grid of prices, a stop's trigger against
 * the last price (when known and `checkTrigger`), and an SL's limit against its trigger.
 */
export function termsProblem(
  instrument: Instrument,
  terms: CheckedTerms,
  lastPricePaise: Paise | null,
  checkTrigger: boolean,
): string | null {
  const symbol = instrument.tradingSymbol;
  const qty = validateOrderQuantity(instrument, terms.qty);
  if (!qty.ok) return qty.reason;
  const tick = instrument.tickSizePaise;
  for (const [name, value] of [
    ['price', terms.limitPricePaise],
    ['trigger price', terms.triggerPricePaise],
  ] as const) {
    if (value !== null && !isOnTick(value, tick)) {
      return `Tick size for this script is ${rupees(tick)}. The ${name} ${rupees(value)} is not a multiple of the tick size for ${symbol}.`;
    }
  }
  const trigger = terms.triggerPricePaise;
  if (trigger !== null && checkTrigger && lastPricePaise !== null) {
    if (terms.side === 'BUY' && trigger < lastPricePaise) {
      return `Trigger price ${rupees(trigger)} for a stoploss buy order should be higher than the last traded price ${rupees(lastPricePaise)}.`;
    }
    if (terms.side === 'SELL' && trigger > lastPricePaise) {
      return `Trigger price ${rupees(trigger)} for a stoploss sell order should be lower than the last traded price ${rupees(lastPricePaise)}.`;
    }
  }
  const limit = terms.limitPricePaise;
  if (terms.orderType === 'SL' && trigger !== null && limit !== null) {
    if (terms.side === 'BUY' && limit < trigger) {
      return `Trigger price ${rupees(trigger)} should be less than or equal to the price ${rupees(limit)} of a stoploss buy order.`;
    }
    if (terms.side === 'SELL' && limit > trigger) {
      return `Trigger price ${rupees(trigger)} should be greater than or equal to the price ${rupees(limit)} of a stoploss sell order.`;
    }
  }
  return null;
}
