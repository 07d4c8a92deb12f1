import type { AccountId, ClientOrderId, StrategyId } from './ids.ts';
import type { InstrumentId } from './instrument-id.ts';
import type { Paise } from './money.ts';
import type { Product } from './order-enums.ts';
import type { OrderIntent } from './order-intent.ts';

// Commands are imperative requests to the kernel; each is readonly with a string `type`,
// `tsEvent` (when it was issued at the source) and `tsInit` (when we created the message).

/** Asks the kernel to risk-check an intent and, if allowed, send its order. */
export interface SubmitOrder {
  readonly type: 'SubmitOrder';
  readonly intent: OrderIntent;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Asks to change a working order's quantity or prices (null fields stay as they are). */
export interface ModifyOrder {
  readonly type: 'ModifyOrder';
  readonly accountId: AccountId;
  readonly clientOrderId: ClientOrderId;
  readonly qty: number | null;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Asks to cancel one working order. */
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly accountId: AccountId;
  readonly clientOrderId: ClientOrderId;
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Asks to cancel every working order of an account, optionally only one strategy's or instrument's. */
export interface CancelAllOrders {
  readonly type: 'CancelAllOrders';
  readonly accountId: AccountId;
  readonly strategyId: StrategyId | null;
  readonly instrumentId: InstrumentId | null;
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Asks to close open positions with market orders (all, or one instrument/product). */
export interface FlattenPositions {
  readonly type: 'FlattenPositions';
  readonly accountId: AccountId;
  readonly instrumentId: InstrumentId | null;
  readonly product: Product | null;
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Asks to stop new entries (for one account, or all when null) until resumed or the next day. */
export interface HaltTrading {
  readonly type: 'HaltTrading';
  readonly accountId: AccountId | null;
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Every command. */
export type Command =
  SubmitOrder | ModifyOrder | CancelOrder | CancelAllOrders | FlattenPositions | HaltTrading;

/** The `type` of every command. */
export type CommandType = Command['type'];
