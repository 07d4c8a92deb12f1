import {
  addPaise,
  mulPaise,
  ZERO_PAISE,
  type ExecutedOrder,
  type Fill,
  type InstrumentId,
  type Paise,
  type Side,
} from '@kitepilot/core';
import { ChargesInputError } from './charges-errors.ts';

/** One trade of an order: quantity at a price in paise (options: premium per unit). */
export interface OrderFill {
  readonly qty: number;
  readonly pricePaise: Paise;
}

/** Returns the executed order made of `fills` (one order filled in many trades is one order, §1.4). */
export function executedOrder(
  instrumentId: InstrumentId,
  side: Side,
  fills: readonly OrderFill[],
): ExecutedOrder {
  if (fills.length === 0)
    throw new ChargesInputError(`executed ${side} order of ${instrumentId} has no fills`);
  let qty = 0;
  let valuePaise = ZERO_PAISE;
  fills.forEach((f, i) => {
    if (!Number.isSafeInteger(f.qty) || f.qty <= 0) {
      throw new ChargesInputError(
        `fill ${i} of the ${side} order of ${instrumentId}: quantity ${f.qty} must be a positive integer`,
      );
    }
    if (!Number.isSafeInteger(f.pricePaise) || f.pricePaise <= 0) {
      throw new ChargesInputError(
        `fill ${i} of the ${side} order of ${instrumentId}: price ${f.pricePaise} must be positive integer paise`,
      );
    }
    qty += f.qty;
    valuePaise = addPaise(valuePaise, mulPaise(f.pricePaise, f.qty));
  });
  if (!Number.isSafeInteger(qty)) throw new ChargesInputError(`order quantity of ${instrumentId} overflows`);
  return { instrumentId, side, qty, valuePaise };
}

/**
 * Returns one executed order per client order id from core fills, in order of first appearance; throws
 * ChargesInputError when one order's fills disagree on instrument or side.
 */
export function executedOrdersFromFills(fills: readonly Fill[]): ExecutedOrder[] {
  const groups = new Map<string, Fill[]>();
  for (const f of fills) groups.set(f.clientOrderId, [...(groups.get(f.clientOrderId) ?? []), f]);
  return [...groups].map(([orderId, group]) => {
    const [first] = group as [Fill, ...Fill[]];
    for (const f of group) {
      if (f.instrumentId !== first.instrumentId || f.side !== first.side) {
        throw new ChargesInputError(
          `fills of order ${orderId} disagree: ${first.side} ${first.instrumentId} and ${f.side} ${f.instrumentId} (fill ${f.id})`,
        );
      }
    }
    return executedOrder(first.instrumentId, first.side, group);
  });
}
