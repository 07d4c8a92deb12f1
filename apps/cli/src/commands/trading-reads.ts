// `kitepilot orders|fills|positions [--date YYYY-MM-DD] [--account acc_…] [--json]`: the stored trading records of
// one account — orders created and fills executed on one IST day (default today), and the current positions. The
// table shows rupees with two decimals and IST times; --json gives integer paise and rupee strings side by side.
import {
  averageOpenPricePaise,
  divRound,
  formatIst,
  istDate,
  istToEpochMs,
  mulPaise,
  paise,
  paiseToRupeesString,
  parseAccountId,
  type AccountId,
  type Fill,
  type Order,
  type Paise,
  type Position,
} from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import { stdoutIo, textTable, withStore, type CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot positions`. */
export interface PositionsFlags {
  /** Account id (default: `[trading] account` of the configuration, `acc_default`). */
  readonly account?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** Flags of `kitepilot orders` and `kitepilot fills`. */
export interface TradingDayFlags extends PositionsFlags {
  /** IST date YYYY-MM-DD (default: today in IST). */
  readonly date?: string;
}

/** Where the commands write, the environment and the clock they read (tests pass their own). */
export interface TradingReadsIo extends CommandIo {
  /** Returns the current epoch ms (default: the system clock); only "today" depends on it. */
  readonly now?: () => number;
}

/** An order as the commands print it in JSON (the fields of GET /api/orders). */
export interface OrderJson {
  readonly clientOrderId: string;
  readonly intentId: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly runId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly qty: number;
  readonly orderType: string;
  readonly product: string;
  readonly validity: string;
  readonly variety: string;
  readonly limitPricePaise: number | null;
  readonly limitPrice: string | null;
  readonly triggerPricePaise: number | null;
  readonly triggerPrice: string | null;
  readonly venueOrderId: string | null;
  readonly status: string;
  readonly venueStatus: string | null;
  readonly filledQty: number;
  readonly cancelledQty: number;
  readonly filledValuePaise: number;
  readonly filledValue: string;
  readonly averagePricePaise: number | null;
  readonly averagePrice: string | null;
  readonly statusMessage: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A fill as the commands print it in JSON (the fields of GET /api/fills). */
export interface FillJson {
  readonly id: string;
  readonly clientOrderId: string;
  readonly venueTradeId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly product: string;
  readonly side: string;
  readonly qty: number;
  readonly pricePaise: number;
  readonly price: string;
  readonly valuePaise: number;
  readonly value: string;
  readonly tsEvent: string;
  readonly tsInit: string;
}

/** A position as the commands print it in JSON (the fields of GET /api/positions). */
export interface PositionJson {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly product: string;
  readonly netQty: number;
  readonly averagePricePaise: number | null;
  readonly averagePrice: string | null;
  readonly costBasisPaise: number;
  readonly costBasis: string;
  readonly realisedPnlPaise: number;
  readonly realisedPnl: string;
  readonly updatedAt: string;
}

const DAY_MS = 86_400_000;

const rupees = (p: Paise): string => paiseToRupeesString(p);
const rupeesOrNull = (p: Paise | null): string | null => (p === null ? null : paiseToRupeesString(p));

function orderJson(order: Order): OrderJson {
  const average =
    order.filledQty === 0
      ? null
      : paise(Number(divRound(BigInt(order.filledValuePaise), BigInt(order.filledQty), 'half-up')));
  return {
    clientOrderId: order.clientOrderId,
    intentId: order.intentId,
    accountId: order.accountId,
    strategyId: order.strategyId,
    runId: order.runId,
    instrumentId: order.instrumentId,
    side: order.side,
    qty: order.qty,
    orderType: order.orderType,
    product: order.product,
    validity: order.validity,
    variety: order.variety,
    limitPricePaise: order.limitPricePaise,
    limitPrice: rupeesOrNull(order.limitPricePaise),
    triggerPricePaise: order.triggerPricePaise,
    triggerPrice: rupeesOrNull(order.triggerPricePaise),
    venueOrderId: order.venueOrderId,
    status: order.status,
    venueStatus: order.venueStatus,
    filledQty: order.filledQty,
    cancelledQty: order.cancelledQty,
    filledValuePaise: order.filledValuePaise,
    filledValue: rupees(order.filledValuePaise),
    averagePricePaise: average,
    averagePrice: rupeesOrNull(average),
    statusMessage: order.statusMessage,
    createdAt: formatIst(order.createdAt),
    updatedAt: formatIst(order.updatedAt),
  };
}

function fillJson(fill: Fill): FillJson {
  const value = mulPaise(fill.pricePaise, fill.qty);
  return {
    id: fill.id,
    clientOrderId: fill.clientOrderId,
    venueTradeId: fill.venueTradeId,
    accountId: fill.accountId,
    instrumentId: fill.instrumentId,
    product: fill.product,
    side: fill.side,
    qty: fill.qty,
    pricePaise: fill.pricePaise,
    price: rupees(fill.pricePaise),
    valuePaise: value,
    value: rupees(value),
    tsEvent: formatIst(fill.tsEvent),
    tsInit: formatIst(fill.tsInit),
  };
}

function positionJson(position: Position): PositionJson {
  const average = averageOpenPricePaise(position);
  return {
    accountId: position.accountId,
    instrumentId: position.instrumentId,
    product: position.product,
    netQty: position.netQty,
    averagePricePaise: average,
    averagePrice: rupeesOrNull(average),
    costBasisPaise: position.costBasisPaise,
    costBasis: rupees(position.costBasisPaise),
    realisedPnlPaise: position.realisedPnlPaise,
    realisedPnl: rupees(position.realisedPnlPaise),
    updatedAt: formatIst(position.updatedAt),
  };
}

/** Returns the IST date the flags select and its UTC ms range; throws naming a bad --date. */
function dayOf(flags: TradingDayFlags, io: TradingReadsIo) {
  const date = flags.date ?? istDate((io.now ?? Date.now)());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  let fromMs: number;
  try {
    fromMs = istToEpochMs(date, '00:00');
  } catch (error) {
    throw new Error(`--date ${JSON.stringify(date)} is not a calendar date`, { cause: error });
  }
  return { date, fromMs, toMs: fromMs + DAY_MS };
}

function checkAccountFlag(flags: PositionsFlags): void {
  if (flags.account !== undefined) accountFlag(flags.account);
}

function accountFlag(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    throw new Error(`--account: ${(error as Error).message}`, { cause: error });
  }
}

/** Opens the store, resolves the account (flag or configuration) and checks it exists, then runs `fn`. */
async function withAccount<T>(
  flags: PositionsFlags,
  io: TradingReadsIo,
  fn: (store: Store, account: AccountId) => Promise<T>,
): Promise<T> {
  checkAccountFlag(flags);
  return withStore(flags, io, async (store, config) => {
    const account = accountFlag(flags.account ?? config.trading.account);
    if ((await store.accounts.get(account)) === null) {
      throw new Error(`account ${account} does not exist in this data directory`);
    }
    return fn(store, account);
  });
}

/** `kitepilot orders`: the orders created on the IST day, oldest first, as a table or JSON. */
export async function runOrders(flags: TradingDayFlags, io: TradingReadsIo = stdoutIo): Promise<OrderJson[]> {
  const { date, fromMs, toMs } = dayOf(flags, io);
  return withAccount(flags, io, async (store, account) => {
    const rows = (await store.orders.listBetween(account, fromMs, toMs)).map(orderJson);
    if (flags.json === true) io.write(`${JSON.stringify(rows)}\n`);
    else {
      io.write(
        textTable(
          [
            'CREATED (IST)',
            'ORDER',
            'INSTRUMENT',
            'SIDE',
            'QTY',
            'FILLED',
            'TYPE',
            'PRODUCT',
            'PRICE ₹',
            'AVG ₹',
            'STATUS',
          ],
          rows.map((r) => [
            r.createdAt,
            r.clientOrderId,
            r.instrumentId,
            r.side,
            String(r.qty),
            String(r.filledQty),
            r.orderType,
            r.product,
            r.limitPrice ?? r.triggerPrice ?? '',
            r.averagePrice ?? '',
            r.status,
          ]),
        ),
      );
      io.write(`${rows.length} orders of ${account} on ${date} (IST)\n`);
    }
    return rows;
  });
}

/** `kitepilot fills`: the fills executed on the IST day, oldest first, as a table or JSON. */
export async function runFills(flags: TradingDayFlags, io: TradingReadsIo = stdoutIo): Promise<FillJson[]> {
  const { date, fromMs, toMs } = dayOf(flags, io);
  return withAccount(flags, io, async (store, account) => {
    const rows = (await store.fills.listBetween(account, fromMs, toMs)).map(fillJson);
    if (flags.json === true) io.write(`${JSON.stringify(rows)}\n`);
    else {
      io.write(
        textTable(
          ['TIME (IST)', 'TRADE', 'ORDER', 'INSTRUMENT', 'SIDE', 'QTY', 'PRODUCT', 'PRICE ₹', 'VALUE ₹'],
          rows.map((r) => [
            r.tsEvent,
            r.venueTradeId,
            r.clientOrderId,
            r.instrumentId,
            r.side,
            String(r.qty),
            r.product,
            r.price,
            r.value,
          ]),
        ),
      );
      io.write(`${rows.length} fills of ${account} on ${date} (IST)\n`);
    }
    return rows;
  });
}

/** `kitepilot positions`: the account's positions (flat ones carry the realised P&L) as a table or JSON. */
export async function runPositions(
  flags: PositionsFlags,
  io: TradingReadsIo = stdoutIo,
): Promise<PositionJson[]> {
  return withAccount(flags, io, async (store, account) => {
    const rows = (await store.positions.list(account)).map(positionJson);
    if (flags.json === true) io.write(`${JSON.stringify(rows)}\n`);
    else {
      io.write(
        textTable(
          ['INSTRUMENT', 'PRODUCT', 'NET QTY', 'AVG PRICE ₹', 'REALISED P&L ₹', 'UPDATED (IST)'],
          rows.map((r) => [
            r.instrumentId,
            r.product,
            String(r.netQty),
            r.averagePrice ?? '',
            r.realisedPnl,
            r.updatedAt,
          ]),
        ),
      );
      const open = rows.filter((r) => r.netQty !== 0).length;
      io.write(`${rows.length} positions of ${account} (${open} open)\n`);
    }
    return rows;
  });
}
