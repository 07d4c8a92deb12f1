// The data of the API benchmark: one account with a day of orders, fills and positions, and one day of 1-minute
// candles (09:15–15:30 IST, 375 bars) of one instrument, written through the store like the server writes them.
import {
  aFill,
  anIntent,
  anOrder,
  flatPosition,
  instrumentId,
  istToEpochMs,
  makeBar,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueTradeId,
  type AccountId,
} from '@kitepilot/core';
import type { Store } from '@kitepilot/store';

/** What the benchmark reads back. */
export interface ApiBenchData {
  readonly accountId: AccountId;
  /** The IST date of the orders, fills and candles. */
  readonly date: string;
  /** The instrument of the candles, `NSE:INFY`. */
  readonly symbol: string;
  readonly orders: number;
  readonly positions: number;
  readonly bars: number;
}

const ORDERS = 200;
const SYMBOLS = [
  'INFY',
  'RELIANCE',
  'TCS',
  'HDFCBANK',
  'ICICIBANK',
  'SBIN',
  'ITC',
  'LT',
  'AXISBANK',
  'KOTAKBANK',
];

/** Writes the benchmark's data into `store` for account `account` on IST date `date`. */
export async function seedApiBenchData(store: Store, account: string, date: string): Promise<ApiBenchData> {
  const accountId = parseAccountId(account);
  const open = istToEpochMs(date, '09:15');
  if ((await store.accounts.get(accountId)) === null) {
    await store.accounts.create({ id: accountId, name: 'bench', createdAt: open });
  }
  const runId = parseRunId('run_apibench');
  await store.runs.create(accountId, {
    id: runId,
    environment: 'paper',
    strategyId: parseStrategyId('str_apibench'),
    config: {},
    startedAt: open,
  });
  for (let i = 0; i < ORDERS; i++) {
    const at = open + i * 90_000;
    const symbol = SYMBOLS[i % SYMBOLS.length] ?? 'INFY';
    const intent = anIntent({
      id: parseIntentId(`int_b${i}`),
      accountId,
      runId,
      instrumentId: instrumentId(symbol, 'NSE'),
      qty: 10,
      tsEvent: at,
      tsInit: at,
    });
    await store.intents.insert(accountId, intent);
    const clientOrderId = parseClientOrderId(`ord_b${i}`);
    const pricePaise = 150_000 + (i % 37) * 5;
    await store.orders.save(accountId, {
      ...anOrder({ ...intent, clientOrderId, createdAt: at }),
      status: 'FILLED',
      filledQty: 10,
      filledValuePaise: paise(pricePaise * 10),
      updatedAt: at + 800,
    });
    await store.fills.insert(
      accountId,
      aFill({
        id: parseFillId(`fil_b${i}`),
        accountId,
        clientOrderId,
        instrumentId: intent.instrumentId,
        venueTradeId: parseVenueTradeId(String(700_000 + i)),
        qty: 10,
        pricePaise: paise(pricePaise),
        tsEvent: at + 800,
        tsInit: at + 840,
      }),
    );
  }
  for (const [i, symbol] of SYMBOLS.entries()) {
    await store.positions.save(accountId, {
      ...flatPosition(accountId, instrumentId(symbol, 'NSE'), 'MIS', open + i * 1000),
      netQty: 10 * (i + 1),
      costBasisPaise: paise(150_000 * 10 * (i + 1)),
    });
  }
  const infy = instrumentId('INFY', 'NSE');
  const bars = [];
  let price = 150_000;
  for (let m = 0; m < 375; m++) {
    // A deterministic walk on the 5-paise grid.
    const close = price + (((m * 7919) % 11) - 5) * 5;
    bars.push(
      makeBar({
        instrumentId: infy,
        interval: '1m',
        start: open + m * 60_000,
        openPaise: paise(price),
        highPaise: paise(Math.max(price, close) + 10),
        lowPaise: paise(Math.min(price, close) - 10),
        closePaise: paise(close),
        volume: 1_000 + m,
        oi: null,
        origin: 'historical',
      }),
    );
    price = close;
  }
  await store.bars.upsert('real', bars);
  return {
    accountId,
    date,
    symbol: 'NSE:INFY',
    orders: ORDERS,
    positions: SYMBOLS.length,
    bars: bars.length,
  };
}
