// Parsing of POST /orders/{variety} and PUT /orders/{variety}/{id} parameters (kite-connect.md §2.4). Malformed
// requests are answered synchronously with an InputException; business-rule failures (lot, tick, band, freeze,
// margin) become REJECTED orders instead, as Kite's RMS does.
import { inputError } from '../kite-api-error.ts';
import type { SimInstrument } from '../market/sim-instrument.ts';
import type { OrderType, Product, Side, Validity, Variety } from './sim-order.ts';

/** A parsed order placement. */
export interface PlaceRequest {
  readonly variety: Variety;
  readonly instrument: SimInstrument;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly validity: Validity;
  readonly validityTtl: number;
  readonly quantity: number;
  readonly disclosedQuantity: number;
  /** Price in paise; may be fractional when the request was off the paisa grid (then rejected on the tick rule). */
  readonly pricePaise: number;
  readonly triggerPricePaise: number;
  readonly marketProtection: number;
  readonly tag: string | null;
  readonly icebergLegs: number;
  readonly icebergQuantity: number;
}

/** A parsed modification: only the fields sent. */
export interface ModifyRequest {
  readonly quantity?: number;
  readonly pricePaise?: number;
  readonly triggerPricePaise?: number;
  readonly orderType?: OrderType;
  readonly validity?: Validity;
  readonly disclosedQuantity?: number;
}

const VARIETIES: readonly Variety[] = ['regular', 'amo', 'co', 'iceberg', 'auction'];
const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
const PRODUCTS: readonly Product[] = ['CNC', 'MIS', 'NRML', 'MTF'];
const VALIDITIES: readonly Validity[] = ['DAY', 'IOC', 'TTL'];

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T {
  if (value === undefined || value === '') throw inputError(`Missing \`${name}\``);
  if (!(allowed as readonly string[]).includes(value)) {
    throw inputError(`Invalid \`${name}\` ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function integer(value: string | undefined, name: string, fallback: number | null): number {
  if (value === undefined || value === '') {
    if (fallback === null) throw inputError(`Missing \`${name}\``);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw inputError(`Invalid \`${name}\` ${JSON.stringify(value)}: not an integer`);
  return n;
}

function price(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw inputError(`Invalid \`${name}\` ${JSON.stringify(value)}`);
  const paise = Math.round(n * 100);
  // Keep an off-grid price visible (fractional paise) so that the tick-size rule can reject it with its value.
  return Math.abs(paise - n * 100) < 1e-6 ? paise : n * 100;
}

/** Returns the parsed placement of `variety` with `params`; `lookup` finds an instrument by `EX:SYMBOL`. */
export function parsePlaceRequest(
  varietyText: string,
  params: Readonly<Record<string, string>>,
  lookup: (key: string) => SimInstrument | undefined,
): PlaceRequest {
  const variety = oneOf(varietyText, VARIETIES, 'variety');
  const exchange = params['exchange'] ?? '';
  const symbol = params['tradingsymbol'] ?? '';
  if (exchange === '' || symbol === '') throw inputError('Missing `exchange` or `tradingsymbol`');
  const instrument = lookup(`${exchange}:${symbol}`);
  if (instrument === undefined) {
    throw inputError(
      `The instrument you are placing an order for has either expired or does not exist: ${exchange}:${symbol}`,
    );
  }
  if (!instrument.tradable) throw inputError(`${exchange}:${symbol} is an index and cannot be traded`);
  const side = oneOf(params['transaction_type'], ['BUY', 'SELL'] as const, 'transaction_type');
  const orderType = oneOf(params['order_type'], ORDER_TYPES, 'order_type');
  const product = oneOf(params['product'], PRODUCTS, 'product');
  if (instrument.exchange === 'NSE' && product === 'NRML')
    throw inputError('NRML is not allowed for NSE equity');
  if (instrument.exchange === 'NFO' && (product === 'CNC' || product === 'MTF')) {
    throw inputError(`${product} is not allowed for NFO instruments`);
  }
  const validity = oneOf(params['validity'] ?? 'DAY', VALIDITIES, 'validity');
  const quantity = integer(params['quantity'], 'quantity', null);
  if (quantity <= 0) throw inputError(`Invalid \`quantity\` ${quantity}: must be positive`);
  const pricePaise = price(params['price'], 'price');
  const triggerPricePaise = price(params['trigger_price'], 'trigger_price');
  if ((orderType === 'LIMIT' || orderType === 'SL') && pricePaise <= 0) {
    throw inputError(`Missing \`price\` for a ${orderType} order`);
  }
  if ((orderType === 'SL' || orderType === 'SL-M') && triggerPricePaise <= 0) {
    throw inputError(`Missing \`trigger_price\` for a ${orderType} order`);
  }
  if (variety === 'co' && triggerPricePaise <= 0)
    throw inputError('Missing `trigger_price` for a cover order');
  const marketProtection = Number(params['market_protection'] ?? '0');
  if (!Number.isFinite(marketProtection) || marketProtection < -1 || marketProtection > 100) {
    throw inputError(`Invalid \`market_protection\` ${JSON.stringify(params['market_protection'])}`);
  }
  // market-rules.md §5.2: from 1 Apr 2026 API market orders must carry market protection.
  if ((orderType === 'MARKET' || orderType === 'SL-M') && marketProtection === 0) {
    throw inputError('Market orders without market protection are not allowed via API.');
  }
  const tag = params['tag'] === undefined || params['tag'] === '' ? null : params['tag'];
  if (tag !== null && !/^[A-Za-z0-9]{1,20}$/.test(tag)) {
    throw inputError(`Invalid \`tag\` ${JSON.stringify(tag)}: alphanumeric, at most 20 characters`);
  }
  const validityTtl = validity === 'TTL' ? integer(params['validity_ttl'], 'validity_ttl', null) : 0;
  if (validity === 'TTL' && validityTtl <= 0) throw inputError(`Invalid \`validity_ttl\` ${validityTtl}`);
  const icebergLegs = variety === 'iceberg' ? integer(params['iceberg_legs'], 'iceberg_legs', null) : 0;
  const icebergQuantity =
    variety === 'iceberg' ? integer(params['iceberg_quantity'], 'iceberg_quantity', null) : 0;
  if (variety === 'iceberg' && (icebergLegs < 2 || icebergLegs > 10)) {
    throw inputError(`Invalid \`iceberg_legs\` ${icebergLegs}: must be 2–10`);
  }
  return {
    variety,
    instrument,
    side,
    orderType,
    product,
    validity,
    validityTtl,
    quantity,
    disclosedQuantity: integer(params['disclosed_quantity'], 'disclosed_quantity', 0),
    pricePaise,
    triggerPricePaise,
    marketProtection,
    tag,
    icebergLegs,
    icebergQuantity,
  };
}

/** Returns the parsed modification parameters. */
export function parseModifyRequest(params: Readonly<Record<string, string>>): ModifyRequest {
  const out: {
    quantity?: number;
    pricePaise?: number;
    triggerPricePaise?: number;
    orderType?: OrderType;
    validity?: Validity;
    disclosedQuantity?: number;
  } = {};
  if (params['quantity'] !== undefined && params['quantity'] !== '') {
    out.quantity = integer(params['quantity'], 'quantity', null);
    if (out.quantity <= 0) throw inputError(`Invalid \`quantity\` ${out.quantity}: must be positive`);
  }
  if (params['price'] !== undefined && params['price'] !== '')
    out.pricePaise = price(params['price'], 'price');
  if (params['trigger_price'] !== undefined && params['trigger_price'] !== '') {
    out.triggerPricePaise = price(params['trigger_price'], 'trigger_price');
  }
  if (params['order_type'] !== undefined && params['order_type'] !== '') {
    out.orderType = oneOf(params['order_type'], ORDER_TYPES, 'order_type');
  }
  if (params['validity'] !== undefined && params['validity'] !== '') {
    out.validity = oneOf(params['validity'], VALIDITIES, 'validity');
  }
  if (params['disclosed_quantity'] !== undefined && params['disclosed_quantity'] !== '') {
    out.disclosedQuantity = integer(params['disclosed_quantity'], 'disclosed_quantity', 0);
  }
  return out;
}
