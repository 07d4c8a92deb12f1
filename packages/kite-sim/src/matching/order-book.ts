// The simulated OMS and exchange: validates, matches and reports orders against the synthetic market's book.
// Statuses follow kite-connect.md §7: PUT ORDER REQ RECEIVED → VALIDATION PENDING → OPEN PENDING → OPEN /
// TRIGGER PENDING → … → COMPLETE / CANCELLED / REJECTED, and MODIFY VALIDATION PENDING → MODIFY PENDING →
// MODIFIED → OPEN for modifications. Every state change is recorded in the order's history and published.
import { istDate } from '@kitepilot/core';
import { inputError, KiteApiError } from '../kite-api-error.ts';
import { dayOfMinute, minuteStartMs, SESSION_MINUTES, sessionPoint } from '../market/session-time.ts';
import type { DepthLevel, SyntheticMarket } from '../market/synthetic-market.ts';
import type { InstrumentModel } from '../market/universe.ts';
import { marginFor } from './margin-model.ts';
import { insufficientFunds, rejectionReason } from './order-checks.ts';
import { newOrder } from './new-order.ts';
import type { ModifyRequest, PlaceRequest } from './order-request.ts';
import type { Portfolio } from './portfolio.ts';
import { orderJson, tradeJson, type SimOrder, type SimOrderStatus, type SimTrade } from './sim-order.ts';

/** Kite's cap on modifications of one order (kite-connect.md §2.4). */
export const MAX_MODIFICATIONS = 25;
/** Market protection used for `market_protection = -1` (automatic), in percent. */
export const AUTO_MARKET_PROTECTION = 2;

/** What the order book needs from the simulator. */
export interface OrderBookDeps {
  readonly market: SyntheticMarket;
  readonly portfolio: Portfolio;
  readonly userId: string;
  readonly cashPaise: number;
  /** Receives every state change as a Kite order object (status `UPDATE` for fills that leave it open). */
  readonly publish: (order: Record<string, unknown>) => void;
}

const LIVE: ReadonlySet<SimOrderStatus> = new Set(['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED']);

/** The account's orders, trades and matching engine. */
export class OrderBook {
  readonly #deps: OrderBookDeps;
  readonly #orders = new Map<string, SimOrder>();
  readonly #history = new Map<string, Record<string, unknown>[]>();
  readonly #trades: SimTrade[] = [];
  readonly #consumed = new Map<string, number>();
  #seq = 0;
  #tradeSeq = 0;

  /** Creates an empty order book. */
  constructor(deps: OrderBookDeps) {
    this.#deps = deps;
  }

  #model(order: SimOrder): InstrumentModel {
    const model = this.#deps.market.modelByToken(order.instrument.instrumentToken);
    if (model === undefined)
      throw new Error(`order ${order.orderId}: unknown token ${order.instrument.instrumentToken}`);
    return model;
  }

  #record(order: SimOrder, atMs: number, publishAs?: SimOrderStatus): void {
    order.orderTimestampMs = atMs;
    if (order.exchangeOrderId !== null) order.exchangeUpdateTimestampMs = atMs;
    const entry = orderJson(order);
    this.#history.get(order.orderId)?.push(entry);
    this.#deps.publish(publishAs === undefined ? entry : orderJson(order, publishAs));
  }

  #newOrderId(nowMs: number): string {
    this.#seq += 1;
    const date = istDate(nowMs).replaceAll('-', '').slice(2);
    return `1${date}${String(this.#seq).padStart(12, '0')}`;
  }

  /** Returns the margin (paise) still available for new orders. */
  availableMargin(nowMs: number): number {
    let blocked = this.#deps.portfolio.marginUsed();
    for (const o of this.#orders.values()) {
      if (LIVE.has(o.status)) blocked += this.#orderMargin(o, o.quantity - o.filledQuantity, nowMs);
    }
    return this.#deps.cashPaise - blocked;
  }

  #orderMargin(
    o: SimOrder | (PlaceRequest & { readonly side: SimOrder['side'] }),
    quantity: number,
    nowMs: number,
  ): number {
    const net = this.#deps.portfolio.netQuantity(o.instrument, o.product);
    // An order that only reduces an open position blocks no new margin.
    if ((o.side === 'SELL' && net >= quantity) || (o.side === 'BUY' && -net >= quantity)) return 0;
    const model = this.#deps.market.modelByToken(o.instrument.instrumentToken);
    const last = model === undefined ? 0 : this.#deps.market.snapshot(model, nowMs).lastPricePaise;
    const price = o.orderType === 'LIMIT' || o.orderType === 'SL' ? o.pricePaise : last;
    return marginFor(o.instrument, o.product, o.side, quantity, Math.round(price)).total;
  }

  /** Places an order and returns its id; RMS failures give a REJECTED order, malformed ones throw. */
  place(req: PlaceRequest, nowMs: number): string {
    this.advance(nowMs);
    const orderId = this.#newOrderId(nowMs);
    const order = newOrder(req, orderId, this.#deps.userId, nowMs);
    this.#orders.set(orderId, order);
    this.#history.set(orderId, []);
    this.#record(order, nowMs);
    order.status = 'VALIDATION PENDING';
    this.#record(order, nowMs);
    const point = sessionPoint(nowMs);
    const snapshot = this.#deps.market.snapshot(this.#model(order), nowMs);
    let reason = rejectionReason(order, snapshot);
    if (reason === null && req.variety === 'auction') reason = 'No auction session is open in the simulator.';
    if (reason === null && req.variety === 'amo' && point.trading) {
      reason = 'AMO orders are accepted only outside market hours.';
    }
    if (reason === null && req.variety !== 'amo' && !point.trading) {
      reason = 'Markets are closed right now. Use GTT for placing long standing orders instead.';
    }
    if (reason === null) {
      const required = this.#orderMargin(order, order.quantity, nowMs);
      const available = this.availableMargin(nowMs);
      if (required > available) reason = insufficientFunds(required, available);
    }
    if (reason !== null) {
      order.status = 'REJECTED';
      order.statusMessage = reason;
      this.#record(order, nowMs);
      return orderId;
    }
    if (req.variety === 'amo') {
      order.status = 'AMO REQ RECEIVED';
      this.#record(order, nowMs);
      return orderId;
    }
    this.#activate(order, nowMs);
    return orderId;
  }

  #activate(order: SimOrder, nowMs: number): void {
    const point = sessionPoint(nowMs);
    order.status = 'OPEN PENDING';
    this.#record(order, nowMs);
    this.#seq += 1;
    order.exchangeOrderId = `13${String(this.#seq).padStart(14, '0')}`;
    order.exchangeTimestampMs = nowMs;
    order.lastMatchedSecond = point.minute * 60 + point.second;
    if (order.orderType === 'SL' || order.orderType === 'SL-M') {
      order.status = 'TRIGGER PENDING';
      this.#record(order, nowMs);
    } else {
      order.status = 'OPEN';
      if (order.orderType === 'MARKET') this.#setProtection(order, point.minute, point.second);
      this.#record(order, nowMs);
    }
    this.#matchAt(order, point.minute, point.second, nowMs, true);
  }

  #setProtection(order: SimOrder, minute: number, second: number): void {
    const view = this.#deps.market.book(this.#model(order), minute, second);
    const pct = order.marketProtection < 0 ? AUTO_MARKET_PROTECTION : order.marketProtection;
    const tick = order.instrument.tickSizePaise;
    const raw =
      order.side === 'BUY' ? view.lastPricePaise * (1 + pct / 100) : view.lastPricePaise * (1 - pct / 100);
    order.protectionLimitPaise =
      order.side === 'BUY' ? Math.floor(raw / tick) * tick : Math.max(tick, Math.ceil(raw / tick) * tick);
  }

  /** Matches one order at one market second; `first` marks its first chance (MARKET and IOC cancel the rest). */
  #matchAt(order: SimOrder, minute: number, second: number, atMs: number, first: boolean): void {
    const secondIndex = minute * 60 + second;
    order.lastMatchedSecond = secondIndex;
    const view = this.#deps.market.book(this.#model(order), minute, second);
    let immediate = first;
    if (order.status === 'TRIGGER PENDING') {
      const touched =
        order.side === 'BUY'
          ? view.lastPricePaise >= order.triggerPricePaise
          : view.lastPricePaise <= order.triggerPricePaise;
      if (!touched) return;
      order.status = 'OPEN';
      if (order.orderType === 'SL-M') this.#setProtection(order, minute, second);
      this.#record(order, atMs);
      immediate = true;
    }
    if (order.status !== 'OPEN') return;
    const marketLike = order.orderType === 'MARKET' || order.orderType === 'SL-M';
    const limit = marketLike ? order.protectionLimitPaise : order.pricePaise;
    const levels: readonly DepthLevel[] = order.side === 'BUY' ? view.sell : view.buy;
    let filledNow = 0;
    for (let i = 0; i < levels.length; i++) {
      const remaining = order.quantity - order.filledQuantity;
      const level = levels[i];
      if (remaining <= 0 || level === undefined || level.quantity === 0) break;
      const crosses = order.side === 'BUY' ? level.pricePaise <= limit : level.pricePaise >= limit;
      if (!crosses) break;
      const key = `${order.instrument.instrumentToken}:${secondIndex}:${order.side}:${i}`;
      const used = this.#consumed.get(key) ?? 0;
      const take = Math.min(remaining, level.quantity - used);
      if (take <= 0) continue;
      this.#consumed.set(key, used + take);
      this.#fill(order, take, level.pricePaise, atMs);
      filledNow += take;
    }
    if (this.#consumed.size > 50_000) this.#consumed.clear();
    const remaining = order.quantity - order.filledQuantity;
    if (remaining === 0) {
      order.status = 'COMPLETE';
      this.#record(order, atMs);
      if (order.variety === 'co' && order.parentOrderId === null) this.#placeCoverLeg(order, atMs);
      return;
    }
    if (filledNow > 0) this.#record(order, atMs, 'UPDATE');
    if (immediate && (marketLike || order.validity === 'IOC')) {
      const why = marketLike
        ? `Remaining quantity ${remaining} could not be filled within the market protection limit ${(limit / 100).toFixed(2)} and was cancelled.`
        : `IOC order: unfilled quantity ${remaining} was cancelled.`;
      this.#finishCancel(order, atMs, why);
    }
  }

  #fill(order: SimOrder, quantity: number, pricePaise: number, atMs: number): void {
    order.filledQuantity += quantity;
    order.filledValuePaise += quantity * pricePaise;
    this.#tradeSeq += 1;
    const trade: SimTrade = {
      tradeId: String(10_000_000 + this.#tradeSeq),
      orderId: order.orderId,
      exchangeOrderId: order.exchangeOrderId ?? '',
      instrument: order.instrument,
      product: order.product,
      pricePaise,
      quantity,
      side: order.side,
      fillTimestampMs: atMs,
      orderTimestampMs: order.exchangeTimestampMs ?? atMs,
    };
    this.#trades.push(trade);
    this.#deps.portfolio.applyTrade(trade);
  }

  #placeCoverLeg(parent: SimOrder, atMs: number): void {
    const orderId = this.#newOrderId(atMs);
    const leg: SimOrder = {
      ...parent,
      orderId,
      parentOrderId: parent.orderId,
      status: 'TRIGGER PENDING',
      statusMessage: null,
      side: parent.side === 'BUY' ? 'SELL' : 'BUY',
      orderType: 'SL-M',
      pricePaise: 0,
      triggerPricePaise: parent.coverTriggerPaise,
      filledQuantity: 0,
      filledValuePaise: 0,
      cancelledQuantity: 0,
      marketProtection: AUTO_MARKET_PROTECTION,
      guid: `sim-${orderId}`,
      modifications: 0,
      modified: false,
      coverTriggerPaise: 0,
    };
    this.#orders.set(orderId, leg);
    this.#history.set(orderId, []);
    this.#record(leg, atMs);
  }

  #finishCancel(order: SimOrder, atMs: number, message: string | null): void {
    order.cancelledQuantity = order.quantity - order.filledQuantity;
    order.status = 'CANCELLED';
    order.statusMessage = message;
    this.#record(order, atMs);
  }

  /** Matches every live order through each market second up to `nowMs` and expires DAY/TTL orders. */
  advance(nowMs: number): void {
    const point = sessionPoint(nowMs);
    const target = point.minute * 60 + point.second;
    for (const order of [...this.#orders.values()]) {
      if (order.status === 'AMO REQ RECEIVED') {
        if (point.trading) this.#activate(order, nowMs);
        continue;
      }
      if (order.status !== 'OPEN' && order.status !== 'TRIGGER PENDING') continue;
      const day = dayOfMinute(Math.floor(order.lastMatchedSecond / 60));
      const dayLast = (day * SESSION_MINUTES + SESSION_MINUTES - 1) * 60 + 59;
      const ttlEndMs =
        order.validity === 'TTL'
          ? (order.exchangeTimestampMs ?? nowMs) + order.validityTtl * 60_000
          : Infinity;
      for (let s = order.lastMatchedSecond + 1; s <= Math.min(target, dayLast); s++) {
        const minute = Math.floor(s / 60);
        const atMs = minuteStartMs(minute) + (s % 60) * 1000;
        if (atMs >= ttlEndMs) {
          this.#finishCancel(order, ttlEndMs, `TTL of ${order.validityTtl} minutes expired.`);
          break;
        }
        this.#matchAt(order, minute, s % 60, atMs, false);
        if (order.status !== 'OPEN' && order.status !== 'TRIGGER PENDING') break;
      }
      const closeMs = minuteStartMs(day * SESSION_MINUTES + SESSION_MINUTES - 1) + 60_000;
      if ((order.status === 'OPEN' || order.status === 'TRIGGER PENDING') && nowMs >= closeMs) {
        this.#finishCancel(order, closeMs, 'Order cancelled at the end of the trading session.');
      }
    }
  }

  #get(orderId: string): SimOrder {
    const order = this.#orders.get(orderId);
    if (order === undefined)
      throw new KiteApiError(400, 'InputException', `Couldn't find that \`order_id\` ${orderId}.`);
    return order;
  }

  /** Modifies an open order; throws an InputException for a finished order, the 25-modification cap or a failed check. */
  modify(orderId: string, req: ModifyRequest, nowMs: number): string {
    this.advance(nowMs);
    const order = this.#get(orderId);
    if (!LIVE.has(order.status)) {
      throw inputError(`Order ${orderId} cannot be modified as it is ${order.status.toLowerCase()}.`);
    }
    if (order.modifications >= MAX_MODIFICATIONS) {
      throw inputError(
        `Maximum allowed order modifications (${MAX_MODIFICATIONS}) exceeded for order ${orderId}.`,
      );
    }
    const next = {
      instrument: order.instrument,
      side: order.side,
      orderType: req.orderType ?? order.orderType,
      quantity: req.quantity ?? order.quantity,
      pricePaise: req.pricePaise ?? order.pricePaise,
      triggerPricePaise: req.triggerPricePaise ?? order.triggerPricePaise,
    };
    if (next.quantity <= order.filledQuantity) {
      throw inputError(`Quantity ${next.quantity} must exceed the filled quantity ${order.filledQuantity}.`);
    }
    if ((next.orderType === 'MARKET' || next.orderType === 'SL-M') && order.marketProtection === 0) {
      throw inputError('Market orders without market protection are not allowed via API.');
    }
    const snapshot = this.#deps.market.snapshot(this.#model(order), nowMs);
    const reason = rejectionReason(next, snapshot);
    if (reason !== null) throw inputError(reason);
    order.status = 'MODIFY VALIDATION PENDING';
    this.#record(order, nowMs);
    order.status = 'MODIFY PENDING';
    this.#record(order, nowMs);
    order.orderType = next.orderType;
    order.quantity = next.quantity;
    order.pricePaise = next.orderType === 'LIMIT' || next.orderType === 'SL' ? next.pricePaise : 0;
    order.triggerPricePaise =
      next.orderType === 'SL' || next.orderType === 'SL-M' ? next.triggerPricePaise : 0;
    if (req.validity !== undefined) order.validity = req.validity;
    if (req.disclosedQuantity !== undefined) order.disclosedQuantity = req.disclosedQuantity;
    order.modifications += 1;
    order.modified = true;
    order.status = 'MODIFIED';
    this.#record(order, nowMs, 'UPDATE');
    const point = sessionPoint(nowMs);
    const triggerType = order.orderType === 'SL' || order.orderType === 'SL-M';
    order.status = triggerType ? 'TRIGGER PENDING' : 'OPEN';
    if (order.orderType === 'MARKET') this.#setProtection(order, point.minute, point.second);
    this.#record(order, nowMs);
    if (point.trading) this.#matchAt(order, point.minute, point.second, nowMs, true);
    return orderId;
  }

  /** Cancels an open order (or exits a cover order's stop leg at market). */
  cancel(orderId: string, nowMs: number): string {
    this.advance(nowMs);
    const order = this.#get(orderId);
    if (!LIVE.has(order.status)) {
      throw inputError(`Order ${orderId} cannot be cancelled as it is ${order.status.toLowerCase()}.`);
    }
    if (order.parentOrderId !== null && order.variety === 'co') {
      const point = sessionPoint(nowMs);
      order.orderType = 'MARKET';
      order.triggerPricePaise = 0;
      order.status = 'OPEN';
      this.#setProtection(order, point.minute, point.second);
      this.#record(order, nowMs);
      this.#matchAt(order, point.minute, point.second, nowMs, true);
      return orderId;
    }
    order.status = 'CANCEL PENDING';
    this.#record(order, nowMs);
    this.#finishCancel(order, nowMs, null);
    return orderId;
  }

  /** Returns the latest state of every order of the day, oldest first. */
  orders(): Record<string, unknown>[] {
    return [...this.#orders.values()].map((o) => orderJson(o));
  }

  /** Returns the orders placed with a tag. */
  ordersByTag(tag: string): readonly SimOrder[] {
    return [...this.#orders.values()].filter((o) => o.tag === tag);
  }

  /** Returns an order's history, one entry per state change. */
  history(orderId: string): Record<string, unknown>[] {
    this.#get(orderId);
    return [...(this.#history.get(orderId) ?? [])];
  }

  /** Returns every trade of the day. */
  trades(): Record<string, unknown>[] {
    return this.#trades.map(tradeJson);
  }

  /** Returns the trades of one order. */
  orderTrades(orderId: string): Record<string, unknown>[] {
    this.#get(orderId);
    return this.#trades.filter((t) => t.orderId === orderId).map(tradeJson);
  }

  /** Returns an order by id, or undefined. */
  find(orderId: string): SimOrder | undefined {
    return this.#orders.get(orderId);
  }
}
