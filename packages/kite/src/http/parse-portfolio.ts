// Positions and holdings (kite-connect.md §2.3) in paise.
import type { Paise } from '@kitepilot/core';
import { amountPaise, arr, int, num, obj, pricePaise, str, type KiteJson } from './kite-values.ts';

/** A position (the same shape in `net` and `day`). */
export interface KitePosition {
  readonly tradingsymbol: string;
  readonly exchange: string;
  readonly instrumentToken: number;
  readonly product: string;
  readonly quantity: number;
  readonly overnightQuantity: number;
  readonly multiplier: number;
  readonly averagePricePaise: Paise;
  readonly closePricePaise: Paise;
  readonly lastPricePaise: Paise;
  readonly valuePaise: Paise;
  readonly pnlPaise: Paise;
  readonly m2mPaise: Paise;
  readonly unrealisedPaise: Paise;
  readonly realisedPaise: Paise;
  readonly buyQuantity: number;
  readonly buyPricePaise: Paise;
  readonly buyValuePaise: Paise;
  readonly sellQuantity: number;
  readonly sellPricePaise: Paise;
  readonly sellValuePaise: Paise;
  readonly dayBuyQuantity: number;
  readonly dayBuyPricePaise: Paise;
  readonly dayBuyValuePaise: Paise;
  readonly daySellQuantity: number;
  readonly daySellPricePaise: Paise;
  readonly daySellValuePaise: Paise;
}

/** Net (incl. carried forward) and today's positions. */
export interface KitePositions {
  readonly net: readonly KitePosition[];
  readonly day: readonly KitePosition[];
}

/** A holding in the demat account. */
export interface KiteHolding {
  readonly tradingsymbol: string;
  readonly exchange: string;
  readonly instrumentToken: number;
  readonly isin: string;
  readonly product: string;
  readonly quantity: number;
  readonly usedQuantity: number;
  readonly t1Quantity: number;
  readonly realisedQuantity: number;
  readonly authorisedQuantity: number;
  readonly openingQuantity: number;
  readonly collateralQuantity: number;
  readonly averagePricePaise: Paise;
  readonly lastPricePaise: Paise;
  readonly closePricePaise: Paise;
  readonly pnlPaise: Paise;
  readonly dayChangePaise: Paise;
  readonly dayChangePercentage: number;
}

function position(v: unknown): KitePosition {
  const o: KiteJson = obj(v, 'position');
  return {
    tradingsymbol: str(o, 'tradingsymbol'),
    exchange: str(o, 'exchange'),
    instrumentToken: int(o, 'instrument_token'),
    product: str(o, 'product'),
    quantity: int(o, 'quantity'),
    overnightQuantity: int(o, 'overnight_quantity'),
    multiplier: num(o, 'multiplier'),
    averagePricePaise: amountPaise(o, 'average_price'),
    closePricePaise: pricePaise(o, 'close_price'),
    lastPricePaise: pricePaise(o, 'last_price'),
    valuePaise: amountPaise(o, 'value'),
    pnlPaise: amountPaise(o, 'pnl'),
    m2mPaise: amountPaise(o, 'm2m'),
    unrealisedPaise: amountPaise(o, 'unrealised'),
    realisedPaise: amountPaise(o, 'realised'),
    buyQuantity: int(o, 'buy_quantity'),
    buyPricePaise: amountPaise(o, 'buy_price'),
    buyValuePaise: amountPaise(o, 'buy_value'),
    sellQuantity: int(o, 'sell_quantity'),
    sellPricePaise: amountPaise(o, 'sell_price'),
    sellValuePaise: amountPaise(o, 'sell_value'),
    dayBuyQuantity: int(o, 'day_buy_quantity'),
    dayBuyPricePaise: amountPaise(o, 'day_buy_price'),
    dayBuyValuePaise: amountPaise(o, 'day_buy_value'),
    daySellQuantity: int(o, 'day_sell_quantity'),
    daySellPricePaise: amountPaise(o, 'day_sell_price'),
    daySellValuePaise: amountPaise(o, 'day_sell_value'),
  };
}

/** Returns `{net, day}` positions. */
export function parsePositions(data: unknown): KitePositions {
  const o = obj(data, 'positions');
  return {
    net: arr(o['net'] ?? [], 'positions.net').map(position),
    day: arr(o['day'] ?? [], 'positions.day').map(position),
  };
}

/** Returns a holding entry. */
export function parseHolding(v: unknown): KiteHolding {
  const o = obj(v, 'holding');
  return {
    tradingsymbol: str(o, 'tradingsymbol'),
    exchange: str(o, 'exchange'),
    instrumentToken: int(o, 'instrument_token'),
    isin: str(o, 'isin'),
    product: str(o, 'product'),
    quantity: int(o, 'quantity'),
    usedQuantity: int(o, 'used_quantity'),
    t1Quantity: int(o, 't1_quantity'),
    realisedQuantity: int(o, 'realised_quantity'),
    authorisedQuantity: int(o, 'authorised_quantity'),
    openingQuantity: int(o, 'opening_quantity'),
    collateralQuantity: int(o, 'collateral_quantity'),
    averagePricePaise: amountPaise(o, 'average_price'),
    lastPricePaise: pricePaise(o, 'last_price'),
    closePricePaise: pricePaise(o, 'close_price'),
    pnlPaise: amountPaise(o, 'pnl'),
    dayChangePaise: amountPaise(o, 'day_change'),
    dayChangePercentage: num(o, 'day_change_percentage'),
  };
}
