// Builders for tests in every package: real constructors, sensible defaults, overrides per field.
import {
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
} from './ids.ts';
import { parseVenueTradeId } from './ids.ts';
import { makeFill, type Fill } from './fill.ts';
import { instrumentId } from './instrument-id.ts';
import { makeInstrument, type Instrument, type InstrumentFields } from './instrument.ts';
import { paise } from './money.ts';
import { makeIntent, type OrderIntent } from './order-intent.ts';
import { makeOrder, type NewOrderFields, type Order } from './order.ts';

/** 2026-11-20 10:00:00 IST, the default event time of the builders (epoch ms). */
export const BUILDER_TS = Date.UTC(2026, 10, 20, 4, 30, 0);

/** Returns RELIANCE.NSE (EQ, tick ₹0.10, lot 1) with `overrides` applied, through makeInstrument. */
export function anInstrument(overrides: Partial<InstrumentFields> = {}): Instrument {
  return makeInstrument({
    exchange: 'NSE',
    type: 'EQ',
    tradingSymbol: 'RELIANCE',
    name: 'RELIANCE INDUSTRIES',
    token: 738561,
    exchangeToken: 2885,
    tickSizePaise: paise(10),
    lotSize: 1,
    freezeQty: null,
    expiry: null,
    strikePaise: null,
    underlying: null,
    ...overrides,
  });
}

/** Returns NIFTY26NOVFUT.NFO (lot 65, tick ₹0.10, freeze 1,800, expiry 2026-11-24) with `overrides`. */
export function aNiftyFuture(overrides: Partial<InstrumentFields> = {}): Instrument {
  return anInstrument({
    exchange: 'NFO',
    type: 'FUT',
    tradingSymbol: 'NIFTY26NOVFUT',
    name: 'NIFTY',
    token: 13824002,
    exchangeToken: 54000,
    tickSizePaise: paise(10),
    lotSize: 65,
    freezeQty: 1800,
    expiry: '2026-11-24',
    underlying: 'NIFTY',
    ...overrides,
  });
}

/** Returns a NIFTY 26000 CE (lot 65, tick ₹0.05, expiry 2026-11-24) with `overrides`. */
export function aNiftyOption(overrides: Partial<InstrumentFields> = {}): Instrument {
  return aNiftyFuture({
    type: 'CE',
    tradingSymbol: 'NIFTY26NOV26000CE',
    token: 13824258,
    exchangeToken: 54001,
    tickSizePaise: paise(5),
    strikePaise: paise(26_000_00),
    ...overrides,
  });
}

/** Returns a LIMIT BUY 1 RELIANCE.NSE @ ₹1,573.70 MIS DAY intent with `overrides`, through makeIntent. */
export function anIntent(overrides: Partial<OrderIntent> = {}): OrderIntent {
  return makeIntent({
    id: parseIntentId('int_0000000001'),
    accountId: parseAccountId('acc_test'),
    strategyId: parseStrategyId('str_test'),
    runId: parseRunId('run_test'),
    instrumentId: instrumentId('RELIANCE', 'NSE'),
    side: 'BUY',
    qty: 1,
    orderType: 'LIMIT',
    product: 'MIS',
    validity: 'DAY',
    validityTtlMinutes: null,
    limitPricePaise: paise(157370),
    triggerPricePaise: null,
    stopLossPaise: null,
    reason: 'test',
    tsEvent: BUILDER_TS,
    tsInit: BUILDER_TS,
    ...overrides,
  });
}

/** Returns an INITIALIZED order made by makeOrder from anIntent(intent overrides) and the order fields. */
export function anOrder(overrides: Partial<OrderIntent> & Partial<NewOrderFields> = {}): Order {
  const { clientOrderId, variety, createdAt, ...intent } = overrides;
  return makeOrder(anIntent(intent), {
    clientOrderId: clientOrderId ?? parseClientOrderId('ord_0000000001'),
    variety: variety ?? 'regular',
    createdAt: createdAt ?? BUILDER_TS,
  });
}

/** Returns a BUY 1 RELIANCE.NSE @ ₹1,573.70 MIS fill for ord_0000000001 with `overrides`, through makeFill. */
export function aFill(overrides: Partial<Fill> = {}): Fill {
  return makeFill({
    id: parseFillId('fil_0000000001'),
    clientOrderId: parseClientOrderId('ord_0000000001'),
    venueTradeId: parseVenueTradeId('10000001'),
    accountId: parseAccountId('acc_test'),
    instrumentId: instrumentId('RELIANCE', 'NSE'),
    product: 'MIS',
    side: 'BUY',
    qty: 1,
    pricePaise: paise(157370),
    tsEvent: BUILDER_TS,
    tsInit: BUILDER_TS,
    ...overrides,
  });
}
