import { InvariantError } from './errors.ts';
import {
  parseClientOrderId,
  type AccountId,
  type ClientOrderId,
  type IntentId,
  type RunId,
  type StrategyId,
  type VenueOrderId,
} from './ids.ts';
import type { InstrumentId } from './instrument-id.ts';
import type { Paise } from './money.ts';
import type { OrderType, Product, Side, Validity, Variety } from './order-enums.ts';
import type { OrderIntent } from './order-intent.ts';
import { checkOrderPrices } from './order-prices.ts';
import type { OrderStatus } from './order-status.ts';
import { divRoundNumber, type RoundingMode } from './rounding.ts';

/** An order as we track it; changed only by applyOrderEvent (order-state-machine.ts). */
export interface Order {
  readonly clientOrderId: ClientOrderId;
  readonly intentId: IntentId;
  readonly accountId: AccountId;
  readonly strategyId: StrategyId;
  readonly runId: RunId;
  readonly instrumentId: InstrumentId;
  readonly side: Side;
  readonly qty: number;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly validity: Validity;
  readonly validityTtlMinutes: number | null;
  readonly variety: Variety;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
  readonly venueOrderId: VenueOrderId | null;
  readonly status: OrderStatus;
  /** The broker's last raw status string (kite-connect.md §7), or null before any. */
  readonly venueStatus: string | null;
  /** Σ quantity of the fills applied. */
  readonly filledQty: number;
  /** Σ qty × price of the fills applied, exact; the average price derives from it. */
  readonly filledValuePaise: Paise;
  /** Quantity that will never fill (cancelled or lapsed remainder). */
  readonly cancelledQty: number;
  readonly statusMessage: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Ids of the events already applied, oldest first; a repeated id is ignored (idempotence). */
  readonly appliedEventIds: readonly string[];
}

/** The fields makeOrder takes besides the intent. */
export interface NewOrderFields {
  readonly clientOrderId: ClientOrderId;
  readonly variety: Variety;
  readonly createdAt: number;
}

/** Returns a new INITIALIZED order for `intent`, carrying its instrument, side, quantity and prices. */
export function makeOrder(intent: OrderIntent, fields: NewOrderFields): Order {
  parseClientOrderId(fields.clientOrderId);
  const what = `order ${fields.clientOrderId}`;
  if (!Number.isSafeInteger(intent.qty) || intent.qty <= 0) {
    throw new InvariantError(`${what}: quantity ${intent.qty} must be a positive integer`);
  }
  checkOrderPrices(what, intent);
  if (!Number.isSafeInteger(fields.createdAt))
    throw new InvariantError(`${what}: createdAt must be epoch ms`);
  return {
    clientOrderId: fields.clientOrderId,
    intentId: intent.id,
    accountId: intent.accountId,
    strategyId: intent.strategyId,
    runId: intent.runId,
    instrumentId: intent.instrumentId,
    side: intent.side,
    qty: intent.qty,
    orderType: intent.orderType,
    product: intent.product,
    validity: intent.validity,
    validityTtlMinutes: intent.validityTtlMinutes,
    variety: fields.variety,
    limitPricePaise: intent.limitPricePaise,
    triggerPricePaise: intent.triggerPricePaise,
    venueOrderId: null,
    status: 'INITIALIZED',
    venueStatus: null,
    filledQty: 0,
    filledValuePaise: 0 as Paise,
    cancelledQty: 0,
    statusMessage: null,
    createdAt: fields.createdAt,
    updatedAt: fields.createdAt,
    appliedEventIds: [],
  };
}

/** Returns the quantity still open: qty − filled − cancelled. */
export function leavesQty(order: Order): number {
  return order.qty - order.filledQty - order.cancelledQty;
}

/** Returns the average fill price rounded to the paisa by `rounding` (default half-up), or null with no fills. */
export function averageFillPricePaise(order: Order, rounding: RoundingMode = 'half-up'): Paise | null {
  if (order.filledQty === 0) return null;
  return divRoundNumber(order.filledValuePaise, order.filledQty, rounding) as Paise;
}
