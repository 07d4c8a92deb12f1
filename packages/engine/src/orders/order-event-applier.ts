// Applies order events — broker reports and our own modify/cancel requests — through core's state machine: raw
// message stored first, trades de-duplicated by venue trade id, the order persisted, fills turned into positions,
// every outcome published. A report the state machine refuses is stored and alerted, never applied.
import {
  applyOrderEvent,
  IllegalTransitionError,
  InvariantError,
  isTerminalStatus,
  orderOutcomes,
  UnknownVenueStatusError,
  type AccountId,
  type Clock,
  type IdGenerator,
  type Order,
  type OrderEvent,
  type OrderEventSource,
  type OrderUpdateReceived,
  type StrategyId,
} from '@kitepilot/core';
import type { AlertLevel, Bus } from '../kernel/topics.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { MissedUpdateDetector } from './missed-update-detector.ts';
import type { OrderBook } from './order-book.ts';
import { orderEventJson } from './order-event-json.ts';
import type { OrderStore } from './order-store.ts';
import type { TradingStatsCounter } from './trading-stats.ts';

/** What happened to one event. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'rejected';

/** The alert code of a broker report the state machine refused. */
export const REPORT_REJECTED = 'order-update-rejected';

/** What the applier needs from the order manager. */
export interface OrderEventApplierDeps {
  readonly accountId: AccountId;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly store: OrderStore;
  readonly book: OrderBook;
  readonly portfolio: Portfolio;
  readonly bus: Bus;
  readonly stats: TradingStatsCounter;
  readonly missed: MissedUpdateDetector;
  readonly alert: (level: AlertLevel, code: string, message: string, strategyId: StrategyId | null) => void;
  /** Called once when an order reaches a terminal state. */
  readonly onTerminal: (order: Order) => Promise<void>;
  /** Called after fills were applied (the post-trade monitor); returns a promise only when it acts. */
  readonly afterFill: () => Promise<void> | undefined;
}

function eventVenueOrderId(event: OrderEvent): Order['venueOrderId'] {
  return event.type === 'submit' || event.type === 'venue-status' ? event.venueOrderId : null;
}

/** Applies order events for one account. */
export class OrderEventApplier {
  readonly #d: OrderEventApplierDeps;

  /** Creates an applier over the order manager's state. */
  constructor(deps: OrderEventApplierDeps) {
    this.#d = deps;
  }

  /** Stores the raw report, resolves its order (client id, venue id, then the intent's live order) and applies it. */
  async onOrderUpdate(report: OrderUpdateReceived): Promise<void> {
    const d = this.#d;
    const update = report.update;
    const source = report.source ?? 'rest';
    const order = report.accountId === d.accountId ? await this.#resolve(report) : null;
    await d.store.appendOrderEvent(report.accountId, {
      clientOrderId: order?.clientOrderId ?? report.clientOrderId,
      venueOrderId: report.venueOrderId ?? eventVenueOrderId(update) ?? order?.venueOrderId ?? null,
      source,
      venueStatus: update.type === 'venue-status' ? update.status : null,
      payload: report.raw ?? orderEventJson(update),
      receivedAt: d.clock.now(),
    });
    if (order === null) {
      d.stats.inc('unknownReports');
      const status = update.type === 'venue-status' ? ` ${update.status}` : '';
      d.alert(
        'warning',
        'unknown-order',
        `${source} update ${update.id} (${update.type}${status}) of account ${report.accountId} names no known order (client ${String(report.clientOrderId)}, venue ${String(report.venueOrderId)}, intent ${String(report.intentId)}): stored, not applied`,
        null,
      );
      return;
    }
    await this.apply(order, update, report.tsEvent, source, REPORT_REJECTED);
  }

  /**
   * Applies one event to an order: the state machine (a refusal becomes an alert with `refusedCode`), fill dedupe
   * by venue trade id, persistence (fill, order, position), publications, then terminal and fill follow-ups.
   */
  async apply(
    order: Order,
    event: OrderEvent,
    tsEvent: number,
    source: OrderEventSource,
    refusedCode: string,
  ): Promise<ApplyOutcome> {
    const d = this.#d;
    if (event.type === 'fill' && d.book.hasTrade(event.venueTradeId)) {
      d.stats.inc('duplicateFills');
      return 'duplicate';
    }
    let after: Order;
    try {
      after = applyOrderEvent(order, event);
    } catch (error) {
      // A broker message the state machine cannot take is bad input: stored already, reported, never applied.
      if (!(error instanceof InvariantError)) throw error;
      const expected = error instanceof IllegalTransitionError || error instanceof UnknownVenueStatusError;
      d.stats.inc(refusedCode === REPORT_REJECTED ? 'rejectedReports' : 'refusedRequests');
      d.alert(
        expected ? 'warning' : 'critical',
        refusedCode,
        `${error.message}: not applied`,
        order.strategyId,
      );
      return 'rejected';
    }
    if (after === order) {
      d.stats.inc('duplicateUpdates');
      return 'duplicate';
    }
    const now = d.clock.now();
    const outcomes = orderOutcomes(order, after, event, {
      tsEvent,
      tsInit: now,
      newFillId: () => d.ids.next('fill'),
    });
    for (const e of outcomes) {
      if (e.type !== 'OrderFilled') continue;
      const { created } = await d.store.insertFill(e.fill);
      d.book.addTrade(e.fill.venueTradeId);
      if (!created) {
        d.stats.inc('duplicateFills');
        return 'duplicate';
      }
    }
    if (d.missed.observe(order, after, event, source)) {
      d.stats.inc('missedUpdates');
      const what = event.type === 'fill' ? `fill ${event.venueTradeId}` : `status ${after.status}`;
      d.alert(
        'warning',
        'missed-order-update',
        `orderbook poll found ${what} of order ${after.clientOrderId} that no postback or WebSocket update reported`,
        after.strategyId,
      );
    }
    await d.store.saveOrder(after);
    d.book.put(after);
    let filled = false;
    for (const e of outcomes) {
      if (e.type === 'OrderFilled') {
        filled = true;
        d.stats.inc('fills');
        const stop = d.book.intent(after.intentId)?.stopLossPaise ?? null;
        const { position } = d.portfolio.applyFill(e.fill, stop, after.strategyId);
        await d.store.savePosition(position);
        d.bus.publish('fill', e.fill);
        d.bus.publish('position', position);
      }
      d.bus.publish('order', { event: e, order: after });
    }
    if (isTerminalStatus(after.status) && !isTerminalStatus(order.status)) await d.onTerminal(after);
    if (filled) await d.afterFill();
    return 'applied';
  }

  async #resolve(report: OrderUpdateReceived): Promise<Order | null> {
    const { book, store, accountId } = this.#d;
    if (report.clientOrderId !== null) {
      const o = book.get(report.clientOrderId) ?? (await store.getOrder(accountId, report.clientOrderId));
      if (o !== null) return o;
    }
    const venueId = report.venueOrderId ?? eventVenueOrderId(report.update);
    if (venueId !== null) {
      const o = book.byVenueId(venueId) ?? (await store.getOrderByVenueId(accountId, venueId));
      if (o !== null) return o;
    }
    if (report.intentId !== null) {
      const live = book.liveOf(report.intentId);
      if (live !== null) return live;
      const all = await store.listOrdersByIntent(accountId, report.intentId);
      const candidate = all.find((o) => !isTerminalStatus(o.status)) ?? all.at(-1) ?? null;
      if (candidate !== null) return book.get(candidate.clientOrderId) ?? candidate;
    }
    return null;
  }
}
