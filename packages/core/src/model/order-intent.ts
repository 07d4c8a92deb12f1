import { InvariantError } from './errors.ts';
import {
  INTENT_ID_BODY_MAX_LENGTH,
  parseIntentId,
  type AccountId,
  type IntentId,
  type RunId,
  type StrategyId,
} from './ids.ts';
import type { InstrumentId } from './instrument-id.ts';
import type { Paise } from './money.ts';
import type { OrderType, Product, Side, Validity } from './order-enums.ts';
import { checkOrderPrices } from './order-prices.ts';

/**
 * A strategy's wish to trade, persisted before any broker call; its id is the idempotency key that
 * the broker `tag` carries (DESIGN.md §4, invariant 3).
 */
export interface OrderIntent {
  readonly id: IntentId;
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
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
  /** The protective stop the risk engine sizes worst-case loss with, or null. */
  readonly stopLossPaise: Paise | null;
  /** Why the strategy wants this trade (shown in the audit log). */
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Returns a validated OrderIntent; throws InvariantError on a bad quantity, price set or stop. */
export function makeIntent(fields: OrderIntent): OrderIntent {
  const what = `intent ${fields.id}`;
  parseIntentId(fields.id);
  if (!Number.isSafeInteger(fields.qty) || fields.qty <= 0) {
    throw new InvariantError(`${what}: quantity ${fields.qty} must be a positive integer`);
  }
  checkOrderPrices(what, fields);
  if (
    fields.stopLossPaise !== null &&
    (!Number.isSafeInteger(fields.stopLossPaise) || fields.stopLossPaise <= 0)
  ) {
    throw new InvariantError(`${what}: stop loss ${fields.stopLossPaise} must be positive integer paise`);
  }
  if (!Number.isSafeInteger(fields.tsEvent) || !Number.isSafeInteger(fields.tsInit)) {
    throw new InvariantError(`${what}: timestamps must be integer epoch ms`);
  }
  return { ...fields };
}

/** The prefix that marks a Kite tag as carrying one of our intent ids. */
export const INTENT_TAG_PREFIX = 'KP';

/**
 * Returns the Kite order tag for an intent: `KP` + the id's body (alphanumeric, ≤ 20 characters,
 * kite-connect.md §2.4). Intent id bodies are limited to 18 characters so this always fits.
 */
export function intentTag(id: IntentId): string {
  const body = parseIntentId(id).slice('int_'.length);
  return INTENT_TAG_PREFIX + body;
}

const TAG = new RegExp(`^${INTENT_TAG_PREFIX}([0-9A-Za-z]{1,${INTENT_ID_BODY_MAX_LENGTH}})$`);

/** Returns the intent id a Kite tag carries, or null when the tag was not made by intentTag. */
export function intentIdFromTag(tag: string | null): IntentId | null {
  if (tag === null) return null;
  const m = TAG.exec(tag);
  return m === null ? null : parseIntentId(`int_${m[1] ?? ''}`);
}
