// Recovery after a restart (DESIGN.md invariant 3, "crash-only"): the store's state is read back into the order
// book, the portfolio and the square-off logic. Nothing is sent: INITIALIZED and SUBMITTED orders wait for
// reconciliation with the broker, and intents without an order are reported, never resent.
import {
  istDate,
  istToEpochMs,
  type AccountId,
  type ClientOrderId,
  type IntentId,
  type OrderIntent,
  type Paise,
  type StrategyId,
} from '@kitepilot/core';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { OrderBook } from './order-book.ts';
import { SYSTEM_STRATEGY_ID } from './order-manager-options.ts';
import type { OrderStore, StoredControls } from './order-store.ts';
import type { SquareOff } from './square-off.ts';

const DAY_MS = 86_400_000;
/** Slice intents name their parent in the reason (`slice 2/3 of int_…: …`). */
const SLICE_OF = /^slice \d+\/\d+ of (int_[0-9A-Za-z]+): /;

/** What recovery found besides the state it restored. */
export interface RecoveredTrading {
  readonly controls: StoredControls;
  /** The IST date recovered for. */
  readonly day: string;
  /** Orders in INITIALIZED or SUBMITTED: the broker must confirm or deny them. */
  readonly awaitingReconciliation: readonly ClientOrderId[];
  /** Orders created today that are open or have fills today (a floor for the per-day order count). */
  readonly ordersToday: number;
  /** Intents stored but never sent (parents of slices excluded): reported, never resent. */
  readonly abandoned: readonly OrderIntent[];
  /** Positions (`instrument|product`) whose realised P&L today is an estimate (carried from an earlier day). */
  readonly estimated: readonly string[];
  readonly openOrders: number;
  readonly fillsToday: number;
}

/** What recoverTradingState reads and fills. */
export interface RecoverTradingStateInput {
  readonly accountId: AccountId;
  readonly nowMs: number;
  readonly store: OrderStore;
  readonly book: OrderBook;
  readonly portfolio: Portfolio;
  readonly squareOff: SquareOff;
}

/**
 * Restores controls, intents, open orders (square-off timers re-armed), positions, today's realised P&L and
 * charges, applied trade ids and position stops (the stop of the latest intent that opened each position today).
 */
export async function recoverTradingState(input: RecoverTradingStateInput): Promise<RecoveredTrading> {
  const { accountId, store, book, portfolio, squareOff } = input;
  const controls = await store.loadControls();
  const day = istDate(input.nowMs);
  const dayStart = istToEpochMs(day, '00:00');
  const state = await store.loadState(accountId, dayStart, dayStart + DAY_MS);
  const parents = new Set<IntentId>();
  for (const intent of state.intents) {
    book.addIntent(intent);
    if (intent.strategyId === SYSTEM_STRATEGY_ID) squareOff.markClosing(intent.id);
    const parent = SLICE_OF.exec(intent.reason)?.[1] as IntentId | undefined;
    if (parent !== undefined) {
      parents.add(parent);
      book.addChild(parent, intent.id);
    }
  }
  const today = new Set<ClientOrderId>();
  const awaiting: ClientOrderId[] = [];
  for (const order of state.openOrders) {
    book.put(order);
    if (order.createdAt >= dayStart) today.add(order.clientOrderId);
    if (order.status === 'INITIALIZED' || order.status === 'SUBMITTED') awaiting.push(order.clientOrderId);
    else squareOff.onSent(order);
  }
  const estimated = portfolio.restore(state.positions, state.fillsToday);
  const stops = new Map<string, Paise>();
  const openers = new Map<string, StrategyId | null>();
  for (const fill of state.fillsToday) {
    book.addTrade(fill.venueTradeId);
    today.add(fill.clientOrderId);
    const order = book.get(fill.clientOrderId) ?? (await store.getOrder(accountId, fill.clientOrderId));
    const intent =
      order === null
        ? null
        : (book.intent(order.intentId) ?? (await store.getIntent(accountId, order.intentId)));
    const netQty = portfolio.position(fill.instrumentId, fill.product)?.netQty ?? 0;
    const opens = (netQty > 0 && fill.side === 'BUY') || (netQty < 0 && fill.side === 'SELL');
    const stop = intent?.stopLossPaise ?? null;
    const key = `${fill.instrumentId}|${fill.product}`;
    if (opens && stop !== null) stops.set(key, stop);
    if (opens && order !== null) {
      // The strategy that opened the position today (null once two strategies added to it).
      const before = openers.get(key);
      openers.set(key, before === undefined || before === order.strategyId ? order.strategyId : null);
    }
  }
  for (const p of portfolio.openPositions()) {
    const key = `${p.instrumentId}|${p.product}`;
    portfolio.setStop(p.instrumentId, p.product, stops.get(key) ?? null);
    portfolio.setOpenedBy(p.instrumentId, p.product, openers.get(key) ?? null);
  }
  return {
    controls,
    day,
    awaitingReconciliation: awaiting,
    ordersToday: today.size,
    abandoned: state.intentsWithoutOrder.filter((i) => !parents.has(i.id)),
    estimated,
    openOrders: state.openOrders.length,
    fillsToday: state.fillsToday.length,
  };
}
