import {
  intentIdFromTag,
  isKiteOrderStatus,
  isOrderType,
  isProduct,
  isSide,
  isValidity,
  isVariety,
  parseVenueOrderId,
  rupeesToPaise,
  type IntentId,
  type KiteOrderStatus,
  type OrderType,
  type Paise,
  type Product,
  type Side,
  type Validity,
  type Variety,
  type VenueOrderId,
} from '@kitepilot/core';
import { parseIstTimestamp, parseOptionalIstTimestamp } from './ist-timestamp.ts';

/**
 * One Kite order update — a WebSocket `{"type":"order"}` message's `data` or a postback body — in
 * typed form (kite-connect.md §6–7). Prices are integer paise; times are epoch ms read as IST.
 */
export interface KiteOrderUpdate {
  readonly venueOrderId: VenueOrderId;
  readonly exchangeOrderId: string | null;
  readonly parentOrderId: VenueOrderId | null;
  /** The raw Kite status, checked against the statuses of kite-connect.md §7. */
  readonly status: KiteOrderStatus;
  readonly statusMessage: string | null;
  readonly statusMessageRaw: string | null;
  /** `order_timestamp` in epoch ms. */
  readonly orderTimestamp: number;
  /** `order_timestamp` exactly as received: the postback checksum is computed over it (§6). */
  readonly orderTimestampRaw: string;
  readonly exchangeTimestamp: number | null;
  readonly exchangeUpdateTimestamp: number | null;
  readonly variety: Variety;
  /** Kite exchange code (`NSE`, `NFO`, …); kept as sent, since socket updates cover every segment. */
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly orderType: OrderType;
  readonly side: Side;
  readonly validity: Validity;
  readonly validityTtlMinutes: number | null;
  readonly product: Product;
  readonly qty: number;
  readonly disclosedQty: number;
  readonly filledQty: number;
  readonly pendingQty: number;
  readonly cancelledQty: number;
  /** Postback only: `unfilled_quantity`. */
  readonly unfilledQty: number | null;
  /** `price` (0 for MARKET and SL-M orders). */
  readonly pricePaise: Paise;
  /** `trigger_price` (0 when the order has none). */
  readonly triggerPricePaise: Paise;
  /** `average_price`, exact when it has at most 2 decimals, else rounded half-even to the paisa. */
  readonly averagePricePaise: Paise;
  /** `average_price` as its exact decimal string, e.g. `'1573.7333'`. */
  readonly averagePriceRupees: string;
  readonly marketProtection: number | null;
  readonly tag: string | null;
  readonly tags: readonly string[];
  /** The intent id the tag carries when the order is one of ours (`KP…`), else null. */
  readonly intentId: IntentId | null;
  readonly placedBy: string | null;
  readonly guid: string | null;
  readonly meta: Readonly<Record<string, unknown>>;
  /** Postback only. */
  readonly userId: string | null;
  /** Postback only (a number in the mocks, kept as a string). */
  readonly appId: string | null;
  /** Postback only: hex SHA-256 of order_id + order_timestamp + api_secret. */
  readonly checksum: string | null;
  /** The timestamp of the latest change: exchange update, else exchange, else order time. */
  readonly tsEvent: number;
}

/** Signals an order update that does not have the shape of kite-connect.md §6–7. */
export class KiteOrderUpdateError extends Error {
  override name = 'KiteOrderUpdateError';
}

type Raw = Record<string, unknown>;

function describe(raw: Raw): string {
  const id = raw['order_id'];
  return typeof id === 'string' ? `order update ${id}` : 'order update';
}

function str(raw: Raw, key: string): string {
  const v = raw[key];
  if (typeof v !== 'string' || v === '') {
    throw new KiteOrderUpdateError(
      `${describe(raw)}: ${key} must be a non-empty string, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function optStr(raw: Raw, key: string): string | null {
  const v = raw[key];
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') {
    throw new KiteOrderUpdateError(
      `${describe(raw)}: ${key} must be a string or null, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function int(raw: Raw, key: string): number {
  const v = raw[key];
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new KiteOrderUpdateError(
      `${describe(raw)}: ${key} must be a non-negative integer, got ${JSON.stringify(v)}`,
    );
  }
  return n;
}

function optInt(raw: Raw, key: string): number | null {
  const v = raw[key];
  return v === null || v === undefined || v === '' ? null : int(raw, key);
}

function rupeeText(raw: Raw, key: string): string {
  const v = raw[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v !== '') return v;
  throw new KiteOrderUpdateError(`${describe(raw)}: ${key} must be a number, got ${JSON.stringify(v)}`);
}

function exactPaise(raw: Raw, key: string): Paise {
  const text = rupeeText(raw, key);
  try {
    // A JSON number is read as its shortest round-trip decimal (String), so 1573.7 is exactly 157370.
    return rupeesToPaise(text);
  } catch (error) {
    throw new KiteOrderUpdateError(`${describe(raw)}: ${key} ${text} is not a whole number of paise`, {
      cause: error,
    });
  }
}

function roundedPaise(raw: Raw, key: string, text: string): Paise {
  try {
    return rupeesToPaise(text, 'half-even');
  } catch (error) {
    throw new KiteOrderUpdateError(`${describe(raw)}: ${key} ${text} is not a decimal amount`, {
      cause: error,
    });
  }
}

function enumOf<T extends string>(raw: Raw, key: string, is: (s: string) => s is T, allowed: string): T {
  const v = str(raw, key);
  if (!is(v))
    throw new KiteOrderUpdateError(`${describe(raw)}: ${key} ${JSON.stringify(v)} is not one of ${allowed}`);
  return v;
}

function timestamp(raw: Raw, key: string, required: true): number;
function timestamp(raw: Raw, key: string, required: false): number | null;
function timestamp(raw: Raw, key: string, required: boolean): number | null {
  const v = raw[key];
  try {
    if (required) return parseIstTimestamp(str(raw, key));
    if (v !== null && v !== undefined && typeof v !== 'string')
      throw new Error(`not a string: ${JSON.stringify(v)}`);
    return parseOptionalIstTimestamp(v);
  } catch (error) {
    if (error instanceof KiteOrderUpdateError) throw error;
    throw new KiteOrderUpdateError(`${describe(raw)}: ${key} ${JSON.stringify(v)} is not an IST timestamp`, {
      cause: error,
    });
  }
}

function venueId(raw: Raw, key: string, value: string): VenueOrderId {
  try {
    return parseVenueOrderId(value);
  } catch (error) {
    throw new KiteOrderUpdateError(`${describe(raw)}: ${key} ${JSON.stringify(value)} is malformed`, {
      cause: error,
    });
  }
}

function marketProtectionOf(raw: Raw): number | null {
  const v = raw['market_protection'];
  if (v === null || v === undefined) return null;
  // 0 = none, 1–100 = percent, −1 = automatic (kite-connect.md §2.4).
  if (typeof v !== 'number' || !Number.isFinite(v) || v < -1 || v > 100) {
    throw new KiteOrderUpdateError(
      `${describe(raw)}: market_protection ${JSON.stringify(v)} is not −1 or 0–100`,
    );
  }
  return v;
}

function tagsOf(raw: Raw): string[] {
  const v = raw['tags'];
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v) || !v.every((t): t is string => typeof t === 'string')) {
    throw new KiteOrderUpdateError(
      `${describe(raw)}: tags must be an array of strings, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function metaOf(raw: Raw): Record<string, unknown> {
  const v = raw['meta'];
  if (v === null || v === undefined || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new KiteOrderUpdateError(`${describe(raw)}: meta must be an object, got ${JSON.stringify(v)}`);
  }
  return v as Record<string, unknown>;
}

/**
 * Returns the typed order update of a Kite order object (WebSocket order message `data` or postback
 * body); throws KiteOrderUpdateError, naming the field and value, when the shape is wrong or a status
 * or enum value is unknown. Does not verify a postback checksum.
 */
export function parseKiteOrderUpdate(raw: unknown): KiteOrderUpdate {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KiteOrderUpdateError(`order update must be a JSON object, got ${JSON.stringify(raw)}`);
  }
  const r = raw as Raw;
  const status = str(r, 'status');
  if (!isKiteOrderStatus(status)) {
    throw new KiteOrderUpdateError(
      `${describe(r)}: status ${JSON.stringify(status)} is not a Kite order status (§7)`,
    );
  }
  const parent = optStr(r, 'parent_order_id');
  const tag = optStr(r, 'tag');
  const averagePriceRupees = rupeeText(r, 'average_price');
  const validity = enumOf(r, 'validity', isValidity, 'DAY, IOC, TTL');
  const orderTimestamp = timestamp(r, 'order_timestamp', true);
  const exchangeTimestamp = timestamp(r, 'exchange_timestamp', false);
  const exchangeUpdateTimestamp = timestamp(r, 'exchange_update_timestamp', false);
  return {
    venueOrderId: venueId(r, 'order_id', str(r, 'order_id')),
    exchangeOrderId: optStr(r, 'exchange_order_id'),
    parentOrderId: parent === null ? null : venueId(r, 'parent_order_id', parent),
    status,
    statusMessage: optStr(r, 'status_message'),
    statusMessageRaw: optStr(r, 'status_message_raw'),
    orderTimestamp,
    orderTimestampRaw: str(r, 'order_timestamp'),
    exchangeTimestamp,
    exchangeUpdateTimestamp,
    variety: enumOf(r, 'variety', isVariety, 'regular, amo, co, iceberg, auction'),
    exchange: str(r, 'exchange'),
    tradingsymbol: str(r, 'tradingsymbol'),
    instrumentToken: int(r, 'instrument_token'),
    orderType: enumOf(r, 'order_type', isOrderType, 'MARKET, LIMIT, SL, SL-M'),
    side: enumOf(r, 'transaction_type', isSide, 'BUY, SELL'),
    validity,
    // Kite sends validity_ttl 0 on DAY/IOC orders; only a TTL order has minutes.
    validityTtlMinutes: validity === 'TTL' ? optInt(r, 'validity_ttl') : null,
    product: enumOf(r, 'product', isProduct, 'MIS, CNC, NRML, MTF'),
    qty: int(r, 'quantity'),
    disclosedQty: optInt(r, 'disclosed_quantity') ?? 0,
    filledQty: int(r, 'filled_quantity'),
    pendingQty: int(r, 'pending_quantity'),
    cancelledQty: optInt(r, 'cancelled_quantity') ?? 0,
    unfilledQty: optInt(r, 'unfilled_quantity'),
    pricePaise: exactPaise(r, 'price'),
    triggerPricePaise: exactPaise(r, 'trigger_price'),
    averagePricePaise: roundedPaise(r, 'average_price', averagePriceRupees),
    averagePriceRupees,
    marketProtection: marketProtectionOf(r),
    tag,
    tags: tagsOf(r),
    intentId: intentIdFromTag(tag),
    placedBy: optStr(r, 'placed_by'),
    guid: optStr(r, 'guid'),
    meta: metaOf(r),
    userId: optStr(r, 'user_id'),
    appId: optStr(r, 'app_id'),
    checksum: optStr(r, 'checksum'),
    tsEvent: exchangeUpdateTimestamp ?? exchangeTimestamp ?? orderTimestamp,
  };
}
