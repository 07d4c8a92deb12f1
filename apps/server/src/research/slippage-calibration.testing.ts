// Test fixture of the slippage calibration (used by its tests, the CLI's and the route's): account acc_demo with
// orders, fills, ticks and 1-minute bars of RELIANCE.NSE on 2026-11-23 (IST) in the simulated namespace. The three
// usable market orders each slipped 5 bps against their reference price; other orders are there to be skipped or
// ignored. Written through the store repositories.
import {
  aFill,
  anIntent,
  anOrder,
  instrumentId,
  istToEpochMs,
  makeBar,
  makeTick,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueTradeId,
  type AccountId,
  type OrderType,
  type Side,
} from '@kitepilot/core';
import type { Store } from '@kitepilot/store';

/** The fixture's account. */
export const SLIPPAGE_ACCOUNT: AccountId = parseAccountId('acc_demo');
/** The fixture's instrument. */
export const SLIPPAGE_INSTRUMENT = instrumentId('RELIANCE', 'NSE');
/** The fixture's trading day (IST). */
export const SLIPPAGE_DAY = '2026-11-23';

const run = parseRunId('run_demo');
const at = (time: string, day = SLIPPAGE_DAY): number => istToEpochMs(day, time);

interface FixtureOrder {
  readonly n: string;
  readonly orderType: OrderType;
  readonly side: Side;
  readonly qty: number;
  readonly createdAt: number;
  /** Filled quantity and average price; null: nothing filled. */
  readonly filled: { readonly qty: number; readonly pricePaise: number } | null;
  /** When the (single) fill row was executed; null: no fill row stored. */
  readonly fillAt: number | null;
}

/** The fixture's orders: B1, S1, M1 usable (5 bps adverse each), N1 and F1 skipped, L1, U1 ignored, D2 next day. */
export const SLIPPAGE_ORDERS: readonly FixtureOrder[] = [
  // Reference: tick at 09:19:58 (₹1,000.00); fill 100050 = +5 bps for a buy.
  {
    n: 'B1',
    orderType: 'MARKET',
    side: 'BUY',
    qty: 10,
    createdAt: at('09:20'),
    filled: { qty: 10, pricePaise: 100050 },
    fillAt: at('09:20:00') + 300,
  },
  // Reference: tick at 09:59:59 (₹2,000.00); fill 199900 = +5 bps adverse for a sell.
  {
    n: 'S1',
    orderType: 'MARKET',
    side: 'SELL',
    qty: 20,
    createdAt: at('10:00'),
    filled: { qty: 20, pricePaise: 199900 },
    fillAt: at('10:00:01'),
  },
  // No tick; reference: close of the 10:58 bar (ended 10:59), ₹1,500.00; fill 150075 = +5 bps.
  {
    n: 'M1',
    orderType: 'SL-M',
    side: 'BUY',
    qty: 5,
    createdAt: at('11:00'),
    filled: { qty: 5, pricePaise: 150075 },
    fillAt: at('11:00:01'),
  },
  // The last tick is at 11:50, beyond the lookback, and no bar: no reference price.
  {
    n: 'N1',
    orderType: 'MARKET',
    side: 'BUY',
    qty: 1,
    createdAt: at('12:00'),
    filled: { qty: 1, pricePaise: 150000 },
    fillAt: at('12:00:01'),
  },
  // Filled, but its fill row is missing.
  {
    n: 'F1',
    orderType: 'MARKET',
    side: 'BUY',
    qty: 1,
    createdAt: at('09:20:30'),
    filled: { qty: 1, pricePaise: 100000 },
    fillAt: null,
  },
  // A filled LIMIT order and an unfilled MARKET order: not candidates.
  {
    n: 'L1',
    orderType: 'LIMIT',
    side: 'BUY',
    qty: 1,
    createdAt: at('09:20:10'),
    filled: { qty: 1, pricePaise: 90000 },
    fillAt: at('09:20:11'),
  },
  {
    n: 'U1',
    orderType: 'MARKET',
    side: 'BUY',
    qty: 1,
    createdAt: at('09:20:20'),
    filled: null,
    fillAt: null,
  },
  // The next day: reference tick ₹1,000.00, fill 101000 = +100 bps (only in ranges reaching 2026-11-24).
  {
    n: 'D2',
    orderType: 'MARKET',
    side: 'BUY',
    qty: 10,
    createdAt: at('09:20', '2026-11-24'),
    filled: { qty: 10, pricePaise: 101000 },
    fillAt: at('09:20:01', '2026-11-24'),
  },
];

function tick(time: number, ltpPaise: number) {
  return {
    instrumentId: SLIPPAGE_INSTRUMENT,
    tick: makeTick({
      token: 738561,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(ltpPaise),
      exchangeTs: time,
      tsInit: time + 20,
    }),
  };
}

function bar(start: number, o: { high: number; low: number; close: number; volume: number }) {
  return makeBar({
    instrumentId: SLIPPAGE_INSTRUMENT,
    interval: '1m',
    start,
    openPaise: paise(o.close),
    highPaise: paise(o.high),
    lowPaise: paise(o.low),
    closePaise: paise(o.close),
    volume: o.volume,
    oi: null,
    origin: 'live',
  });
}

/** The 1-minute bars the fills fall in (volume, high, low for volatility-participation), by order. */
export const SLIPPAGE_FILL_BARS = {
  B1: { high: 100200, low: 99800, close: 100050, volume: 1000 },
  S1: { high: 200400, low: 199600, close: 199900, volume: 5000 },
  M1: { high: 150300, low: 149900, close: 150075, volume: 500 },
} as const;

/** Writes the fixture (account, run, orders, fills, ticks and bars in `namespace`) into `store`. */
export async function seedSlippageFixture(
  store: Store,
  namespace: 'real' | 'simulated' = 'simulated',
): Promise<void> {
  const account = SLIPPAGE_ACCOUNT;
  if ((await store.accounts.get(account)) === null) {
    await store.accounts.create({ id: account, name: 'demo', createdAt: at('09:00') });
  }
  await store.runs.create(account, {
    id: run,
    environment: 'paper',
    strategyId: parseStrategyId('str_orb'),
    config: {},
    startedAt: at('09:00'),
  });
  for (const o of SLIPPAGE_ORDERS) {
    const intent = anIntent({
      id: parseIntentId(`int_${o.n}`),
      accountId: account,
      runId: run,
      instrumentId: SLIPPAGE_INSTRUMENT,
      side: o.side,
      qty: o.qty,
      orderType: o.orderType,
      limitPricePaise: o.orderType === 'LIMIT' ? paise(90000) : null,
      triggerPricePaise: o.orderType === 'SL-M' ? paise(150050) : null,
      tsEvent: o.createdAt,
      tsInit: o.createdAt,
    });
    await store.intents.insert(account, intent);
    const order = anOrder({
      ...intent,
      clientOrderId: parseClientOrderId(`ord_${o.n}`),
      createdAt: o.createdAt,
    });
    await store.orders.save(
      account,
      o.filled === null
        ? { ...order, status: 'OPEN' }
        : {
            ...order,
            status: 'FILLED',
            filledQty: o.filled.qty,
            filledValuePaise: paise(o.filled.pricePaise * o.filled.qty),
            updatedAt: o.createdAt + 1500,
          },
    );
    if (o.filled !== null && o.fillAt !== null) {
      await store.fills.insert(
        account,
        aFill({
          id: parseFillId(`fil_${o.n}`),
          accountId: account,
          clientOrderId: parseClientOrderId(`ord_${o.n}`),
          venueTradeId: parseVenueTradeId(`9${o.n}`),
          instrumentId: SLIPPAGE_INSTRUMENT,
          side: o.side,
          qty: o.filled.qty,
          pricePaise: paise(o.filled.pricePaise),
          tsEvent: o.fillAt,
          tsInit: o.fillAt + 40,
        }),
      );
    }
  }
  await store.ticks.append(namespace, [
    tick(at('09:19:50'), 99000),
    // The last tick at or before B1's creation is its reference…
    tick(at('09:19:58'), 100000),
    // …not the one just after it.
    tick(at('09:20') + 500, 120000),
    tick(at('09:59:59'), 200000),
    tick(at('11:50'), 150000),
    tick(at('09:19:59', '2026-11-24'), 100000),
  ]);
  await store.bars.upsert(namespace, [
    bar(at('09:20'), SLIPPAGE_FILL_BARS.B1),
    bar(at('10:00'), SLIPPAGE_FILL_BARS.S1),
    // Ended 10:59, before M1 (11:00): M1's reference close.
    bar(at('10:58'), { high: 150100, low: 149900, close: 150000, volume: 400 }),
    // Contains M1's creation and fill, not yet ended at 11:00: its close is not a reference.
    bar(at('11:00'), SLIPPAGE_FILL_BARS.M1),
  ]);
}
