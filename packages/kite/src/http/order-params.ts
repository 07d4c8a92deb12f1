// Request parameters for orders, GTTs, margins and position conversion (kite-connect.md §2.2, §2.4), with prices
// in paise sent as exact rupee strings.
import {
  paiseToRupeesString,
  type OrderType,
  type Paise,
  type Product,
  type Side,
  type Validity,
  type Variety,
} from '@kitepilot/core';
import type { KiteParams } from './kite-http.ts';

/** Parameters of POST /orders/{variety}. */
export interface KitePlaceOrderParams {
  readonly variety: Variety;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transactionType: Side;
  readonly quantity: number;
  readonly product: Product;
  readonly orderType: OrderType;
  readonly pricePaise?: Paise;
  readonly triggerPricePaise?: Paise;
  readonly validity?: Validity;
  /** Minutes, with validity TTL. */
  readonly validityTtl?: number;
  readonly disclosedQuantity?: number;
  readonly icebergLegs?: number;
  readonly icebergQuantity?: number;
  readonly auctionNumber?: string;
  /** Alphanumeric, at most 20 characters; carries our intent id (intentTag). */
  readonly tag?: string;
  /** 0 none, 1–100 percent, −1 automatic; required by Zerodha for MARKET and SL-M (market-rules.md §5.2). */
  readonly marketProtection?: number;
  readonly autoslice?: boolean;
}

/** Parameters of PUT /orders/{variety}/{order_id}. */
export interface KiteModifyOrderParams {
  readonly quantity?: number;
  readonly pricePaise?: Paise;
  readonly orderType?: OrderType;
  readonly triggerPricePaise?: Paise;
  readonly validity?: Validity;
  readonly disclosedQuantity?: number;
  readonly parentOrderId?: string;
  readonly marketProtection?: number;
}

const TAG = /^[0-9A-Za-z]{1,20}$/;

function rupees(p: Paise | undefined): string | undefined {
  return p === undefined ? undefined : paiseToRupeesString(p);
}

function positiveInt(n: number | undefined, what: string, symbol: string): void {
  if (n !== undefined && (!Number.isSafeInteger(n) || n <= 0)) {
    throw new RangeError(`${what} ${n} must be a positive integer for ${symbol}`);
  }
}

/** Returns the form of a placement; throws a RangeError naming the bad value (tag, quantity, legs, protection). */
export function placeOrderForm(p: KitePlaceOrderParams): KiteParams {
  const s = p.tradingsymbol;
  positiveInt(p.quantity, 'quantity', s);
  positiveInt(p.disclosedQuantity, 'disclosed quantity', s);
  positiveInt(p.icebergQuantity, 'iceberg quantity', s);
  positiveInt(p.validityTtl, 'validity TTL (minutes)', s);
  if (p.tag !== undefined && !TAG.test(p.tag)) {
    throw new RangeError(
      `tag ${JSON.stringify(p.tag)} must be 1–20 letters or digits (kite-connect.md §2.4)`,
    );
  }
  if (
    p.icebergLegs !== undefined &&
    (!Number.isSafeInteger(p.icebergLegs) || p.icebergLegs < 2 || p.icebergLegs > 10)
  ) {
    throw new RangeError(`iceberg legs ${p.icebergLegs} must be an integer from 2 to 10 for ${s}`);
  }
  if (p.variety === 'iceberg' && (p.icebergLegs === undefined || p.icebergQuantity === undefined)) {
    throw new RangeError(`iceberg order for ${s} needs icebergLegs and icebergQuantity`);
  }
  if (p.variety === 'auction' && (p.auctionNumber === undefined || p.auctionNumber === '')) {
    throw new RangeError(`auction order for ${s} needs an auctionNumber`);
  }
  if (p.validity === 'TTL' && p.validityTtl === undefined) {
    throw new RangeError(`TTL order for ${s} needs validityTtl (minutes)`);
  }
  const mp = p.marketProtection;
  if (mp !== undefined && mp !== -1 && !(Number.isFinite(mp) && mp >= 0 && mp <= 100)) {
    throw new RangeError(`market protection ${mp} must be −1 (automatic) or 0–100 percent for ${s}`);
  }
  if ((p.orderType === 'LIMIT' || p.orderType === 'SL') && p.pricePaise === undefined) {
    throw new RangeError(`${p.orderType} order for ${s} needs a price`);
  }
  if ((p.orderType === 'SL' || p.orderType === 'SL-M') && p.triggerPricePaise === undefined) {
    throw new RangeError(`${p.orderType} order for ${s} needs a trigger price`);
  }
  return {
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    transaction_type: p.transactionType,
    quantity: p.quantity,
    product: p.product,
    order_type: p.orderType,
    price: rupees(p.pricePaise),
    trigger_price: rupees(p.triggerPricePaise),
    validity: p.validity,
    validity_ttl: p.validityTtl,
    disclosed_quantity: p.disclosedQuantity,
    iceberg_legs: p.icebergLegs,
    iceberg_quantity: p.icebergQuantity,
    auction_number: p.auctionNumber,
    tag: p.tag,
    market_protection: mp,
    autoslice: p.autoslice === undefined ? undefined : String(p.autoslice),
  };
}

/** Returns the form of a modification. */
export function modifyOrderForm(p: KiteModifyOrderParams): KiteParams {
  positiveInt(p.quantity, 'quantity', 'the modified order');
  return {
    quantity: p.quantity,
    price: rupees(p.pricePaise),
    order_type: p.orderType,
    trigger_price: rupees(p.triggerPricePaise),
    validity: p.validity,
    disclosed_quantity: p.disclosedQuantity,
    parent_order_id: p.parentOrderId,
    market_protection: p.marketProtection,
  };
}

/** Parameters of PUT /portfolio/positions. */
export interface KiteConvertPositionParams {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transactionType: Side;
  readonly positionType: 'day' | 'overnight';
  readonly quantity: number;
  readonly oldProduct: Product;
  readonly newProduct: Product;
}

/** Returns the form of a position conversion. */
export function convertPositionForm(p: KiteConvertPositionParams): KiteParams {
  positiveInt(p.quantity, 'quantity', p.tradingsymbol);
  return {
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    transaction_type: p.transactionType,
    position_type: p.positionType,
    quantity: p.quantity,
    old_product: p.oldProduct,
    new_product: p.newProduct,
  };
}

/** One order of a margin or basket calculation (POST /margins/orders, /margins/basket). */
export interface KiteMarginOrder {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transactionType: Side;
  readonly variety: Variety;
  readonly product: Product;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly pricePaise?: Paise;
  readonly triggerPricePaise?: Paise;
}

/** Returns the JSON body entry of a margin order (prices as numbers, as Kite expects in JSON). */
export function marginOrderJson(o: KiteMarginOrder): Record<string, unknown> {
  return {
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    transaction_type: o.transactionType,
    variety: o.variety,
    product: o.product,
    order_type: o.orderType,
    quantity: o.quantity,
    price: o.pricePaise === undefined ? 0 : Number(paiseToRupeesString(o.pricePaise)),
    trigger_price: o.triggerPricePaise === undefined ? 0 : Number(paiseToRupeesString(o.triggerPricePaise)),
  };
}

/** One executed order of a virtual contract note (POST /charges/orders). */
export interface KiteContractNoteOrder {
  readonly orderId: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transactionType: Side;
  readonly variety: Variety;
  readonly product: Product;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly averagePricePaise: Paise;
}

/** Returns the JSON body entry of a contract-note order. */
export function contractNoteOrderJson(o: KiteContractNoteOrder): Record<string, unknown> {
  return {
    order_id: o.orderId,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    transaction_type: o.transactionType,
    variety: o.variety,
    product: o.product,
    order_type: o.orderType,
    quantity: o.quantity,
    average_price: Number(paiseToRupeesString(o.averagePricePaise)),
  };
}

/** Parameters of POST/PUT /gtt/triggers. */
export interface KiteGttParams {
  readonly type: 'single' | 'two-leg';
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly triggerValuesPaise: readonly Paise[];
  readonly lastPricePaise: Paise;
  readonly orders: readonly {
    readonly transactionType: Side;
    readonly quantity: number;
    readonly orderType: 'LIMIT';
    readonly product: Product;
    readonly pricePaise: Paise;
  }[];
}

/** Returns the form of a GTT placement or modification (condition and orders as JSON strings, §2.3). */
export function gttForm(p: KiteGttParams): KiteParams {
  const want = p.type === 'single' ? 1 : 2;
  if (p.triggerValuesPaise.length !== want || p.orders.length !== want) {
    throw new RangeError(
      `GTT ${p.type} for ${p.tradingsymbol} needs ${want} trigger value(s) and order(s), got ${p.triggerValuesPaise.length} and ${p.orders.length}`,
    );
  }
  const num = (x: Paise): number => Number(paiseToRupeesString(x));
  return {
    type: p.type,
    condition: JSON.stringify({
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      trigger_values: p.triggerValuesPaise.map(num),
      last_price: num(p.lastPricePaise),
    }),
    orders: JSON.stringify(
      p.orders.map((o) => ({
        exchange: p.exchange,
        tradingsymbol: p.tradingsymbol,
        transaction_type: o.transactionType,
        quantity: o.quantity,
        order_type: o.orderType,
        product: o.product,
        price: num(o.pricePaise),
      })),
    ),
  };
}
