import { describe, expect, it } from 'vitest';
import { gttForm, placeOrderForm, type KitePlaceOrderParams } from './order-params.ts';

const base: KitePlaceOrderParams = {
  variety: 'regular',
  exchange: 'NFO',
  tradingsymbol: 'NIFTY26NOVFUT',
  transactionType: 'SELL',
  quantity: 65,
  product: 'NRML',
  orderType: 'MARKET',
};

describe('placeOrderForm', () => {
  it('encodes every variety-specific parameter', () => {
    expect(
      placeOrderForm({
        ...base,
        variety: 'iceberg',
        orderType: 'LIMIT',
        pricePaise: 2612345 as never,
        icebergLegs: 5,
        icebergQuantity: 130,
        validity: 'TTL',
        validityTtl: 10,
        disclosedQuantity: 65,
        autoslice: true,
      }),
    ).toMatchObject({
      price: '26123.45',
      iceberg_legs: 5,
      iceberg_quantity: 130,
      validity: 'TTL',
      validity_ttl: 10,
      disclosed_quantity: 65,
      autoslice: 'true',
    });
    expect(placeOrderForm({ ...base, variety: 'auction', auctionNumber: '22' })).toMatchObject({
      auction_number: '22',
    });
    expect(placeOrderForm({ ...base, marketProtection: -1 })).toMatchObject({ market_protection: -1 });
  });

  it('rejects bad tags, legs, quantities, protection and missing prices with the values', () => {
    expect(() => placeOrderForm({ ...base, tag: 'has space' })).toThrow(/tag "has space"/);
    expect(() => placeOrderForm({ ...base, tag: 'A'.repeat(21) })).toThrow(/1–20 letters or digits/);
    expect(() =>
      placeOrderForm({ ...base, variety: 'iceberg', icebergLegs: 11, icebergQuantity: 65 }),
    ).toThrow(/iceberg legs 11/);
    expect(() => placeOrderForm({ ...base, variety: 'iceberg' })).toThrow(/needs icebergLegs/);
    expect(() => placeOrderForm({ ...base, quantity: 0 })).toThrow(
      /quantity 0 must be a positive integer for NIFTY26NOVFUT/,
    );
    expect(() => placeOrderForm({ ...base, marketProtection: 101 })).toThrow(/market protection 101/);
    expect(() => placeOrderForm({ ...base, orderType: 'LIMIT' })).toThrow(
      /LIMIT order for NIFTY26NOVFUT needs a price/,
    );
    expect(() => placeOrderForm({ ...base, orderType: 'SL-M' })).toThrow(/needs a trigger price/);
    expect(() => placeOrderForm({ ...base, variety: 'auction' })).toThrow(/auctionNumber/);
  });
});

describe('gttForm', () => {
  it('sends condition and orders as JSON strings and checks the leg count', () => {
    const form = gttForm({
      type: 'single',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      triggerValuesPaise: [150000 as never],
      lastPricePaise: 157370 as never,
      orders: [
        {
          transactionType: 'SELL',
          quantity: 1,
          orderType: 'LIMIT',
          product: 'CNC',
          pricePaise: 149995 as never,
        },
      ],
    });
    expect(JSON.parse(String(form['condition']))).toEqual({
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      trigger_values: [1500],
      last_price: 1573.7,
    });
    expect(JSON.parse(String(form['orders']))).toEqual([
      {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'SELL',
        quantity: 1,
        order_type: 'LIMIT',
        product: 'CNC',
        price: 1499.95,
      },
    ]);
    expect(() =>
      gttForm({
        type: 'two-leg',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        triggerValuesPaise: [1 as never],
        lastPricePaise: 2 as never,
        orders: [],
      }),
    ).toThrow(/needs 2 trigger value/);
  });
});
