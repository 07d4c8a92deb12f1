import { InvariantError } from './errors.ts';
import type { AccountId, ClientOrderId, FillId, VenueTradeId } from './ids.ts';
import type { InstrumentId } from './instrument-id.ts';
import { mulPaise, type Paise } from './money.ts';
import type { Product, Side } from './order-enums.ts';

/** One execution (a Kite trade) of part or all of an order. */
export interface Fill {
  readonly id: FillId;
  readonly clientOrderId: ClientOrderId;
  readonly venueTradeId: VenueTradeId;
  readonly accountId: AccountId;
  readonly instrumentId: InstrumentId;
  /** The order's product; positions are kept per account × instrument × product (DESIGN.md §4). */
  readonly product: Product;
  readonly side: Side;
  readonly qty: number;
  readonly pricePaise: Paise;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Returns a validated Fill; throws InvariantError on a non-positive quantity or price. */
export function makeFill(fields: Fill): Fill {
  const what = `fill ${fields.id} (trade ${fields.venueTradeId})`;
  if (!Number.isSafeInteger(fields.qty) || fields.qty <= 0) {
    throw new InvariantError(`${what}: quantity ${fields.qty} must be a positive integer`);
  }
  if (!Number.isSafeInteger(fields.pricePaise) || fields.pricePaise <= 0) {
    throw new InvariantError(`${what}: price ${fields.pricePaise} must be positive integer paise`);
  }
  if (!Number.isSafeInteger(fields.tsEvent) || !Number.isSafeInteger(fields.tsInit)) {
    throw new InvariantError(`${what}: timestamps must be integer epoch ms`);
  }
  return { ...fields };
}

/** Returns qty × price of a fill, exactly. */
export function fillValuePaise(fill: Fill): Paise {
  return mulPaise(fill.pricePaise, fill.qty);
}
