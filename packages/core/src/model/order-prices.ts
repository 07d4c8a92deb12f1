import { InvariantError } from './errors.ts';
import type { Paise } from './money.ts';
import type { OrderType, Validity } from './order-enums.ts';

/** The price fields an order type needs. */
export interface OrderPrices {
  readonly orderType: OrderType;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
  readonly validity: Validity;
  readonly validityTtlMinutes: number | null;
}

function positive(p: Paise | null): boolean {
  return p !== null && Number.isSafeInteger(p) && p > 0;
}

/**
 * Throws InvariantError unless the prices fit the order type (kite-connect.md §2.4): LIMIT needs a limit
 * price, SL needs limit and trigger, SL-M needs a trigger, MARKET has neither; TTL needs minutes.
 */
export function checkOrderPrices(what: string, p: OrderPrices): void {
  const needsLimit = p.orderType === 'LIMIT' || p.orderType === 'SL';
  const needsTrigger = p.orderType === 'SL' || p.orderType === 'SL-M';
  if (needsLimit !== (p.limitPricePaise !== null)) {
    throw new InvariantError(
      `${what}: ${p.orderType} ${needsLimit ? 'needs' : 'cannot have'} a limit price (got ${String(p.limitPricePaise)})`,
    );
  }
  if (needsLimit && !positive(p.limitPricePaise)) {
    throw new InvariantError(
      `${what}: limit price ${String(p.limitPricePaise)} must be positive integer paise`,
    );
  }
  if (needsTrigger !== (p.triggerPricePaise !== null)) {
    throw new InvariantError(
      `${what}: ${p.orderType} ${needsTrigger ? 'needs' : 'cannot have'} a trigger price (got ${String(p.triggerPricePaise)})`,
    );
  }
  if (needsTrigger && !positive(p.triggerPricePaise)) {
    throw new InvariantError(
      `${what}: trigger price ${String(p.triggerPricePaise)} must be positive integer paise`,
    );
  }
  if ((p.validity === 'TTL') !== (p.validityTtlMinutes !== null)) {
    throw new InvariantError(
      `${what}: validity ${p.validity} and TTL minutes ${String(p.validityTtlMinutes)} disagree`,
    );
  }
  if (
    p.validityTtlMinutes !== null &&
    (!Number.isSafeInteger(p.validityTtlMinutes) || p.validityTtlMinutes < 1)
  ) {
    throw new InvariantError(`${what}: TTL minutes ${p.validityTtlMinutes} must be a positive integer`);
  }
}
