// The order and position model behind FakeStrategyContext: orders move only through core's applyOrderEvent, and
// each step yields the lifecycle events orderOutcomes derives (what the kernel delivers to a strategy); fills
// update positions through core's applyFill.
import {
  applyFill,
  applyOrderEvent,
  averageOpenPricePaise,
  flatPosition,
  isTerminalStatus,
  leavesQty,
  makeFill,
  makeOrder,
  orderOutcomes,
  paise,
  parseVenueOrderId,
  parseVenueTradeId,
  unrealisedPnlPaise,
  type AccountId,
  type IdGenerator,
  type InstrumentId,
  type IntentId,
  type Order,
  type OrderEvent,
  type OrderIntent,
  type Paise,
  type Position,
  type Product,
  type Side,
  type StrategyId,
} from '@kitepilot/core';
import type { PositionView, StrategyOrderUpdate } from '../strategy.ts';

/** One account's orders (by intent) and positions (by instrument and product) for strategy tests. */
export class FakeAccount {
  readonly #accountId: AccountId;
  readonly #ids: IdGenerator;
  readonly #now: () => number;
  readonly #orders = new Map<IntentId, Order>();
  readonly #positions = new Map<string, Position>();
  /** The stop and opening strategy of each open position, as the platform's portfolio keeps them. */
  readonly #owners = new Map<string, { stopPaise: Paise | null; openedBy: StrategyId | null }>();
  readonly #stops = new Map<IntentId, Paise | null>();
  #seq = 0;

  /** Creates an empty account reading time from `now`. */
  constructor(accountId: AccountId, ids: IdGenerator, now: () => number) {
    this.#accountId = accountId;
    this.#ids = ids;
    this.#now = now;
  }

  /** Creates the intent's order and moves it to SUBMITTED with a venue order id. */
  submit(intent: OrderIntent): void {
    const at = this.#now();
    const order = makeOrder(intent, {
      clientOrderId: this.#ids.next('clientOrder'),
      variety: 'regular',
      createdAt: at,
    });
    const id = this.#eventId();
    const venueOrderId = parseVenueOrderId(String(100_000 + this.#seq));
    this.#stops.set(intent.id, intent.stopLossPaise);
    this.#orders.set(intent.id, applyOrderEvent(order, { type: 'submit', id, ts: at, venueOrderId }));
  }

  /** Returns the order of an intent, or undefined. */
  find(intentId: IntentId): Order | undefined {
    return this.#orders.get(intentId);
  }

  /** Returns the order of an intent; throws when it has none (never submitted, or denied). */
  order(intentId: IntentId): Order {
    const order = this.#orders.get(intentId);
    if (order === undefined) throw new Error(`intent ${intentId} has no order`);
    return order;
  }

  /** Returns the orders that are not terminal, optionally of one instrument, oldest first. */
  openOrders(instrumentId?: InstrumentId): readonly Order[] {
    return [...this.#orders.values()].filter(
      (o) => !isTerminalStatus(o.status) && (instrumentId === undefined || o.instrumentId === instrumentId),
    );
  }

  /** Returns the position as a strategy sees it, marked at `lastPaise` when known. */
  positionView(instrumentId: InstrumentId, product: Product, lastPaise: Paise | null): PositionView {
    const p = this.#position(instrumentId, product);
    return {
      instrumentId,
      product,
      netQty: p.netQty,
      averagePricePaise: averageOpenPricePaise(p),
      realisedPnlPaise: p.realisedPnlPaise,
      unrealisedPnlPaise: p.netQty === 0 || lastPaise === null ? null : unrealisedPnlPaise(p, lastPaise),
      stopPaise: p.netQty === 0 ? null : (this.#owners.get(`${instrumentId}|${product}`)?.stopPaise ?? null),
      openedBy: p.netQty === 0 ? null : (this.#owners.get(`${instrumentId}|${product}`)?.openedBy ?? null),
    };
  }

  /** Applies a broker status (`OPEN`, `REJECTED`, `CANCELLED`, …) and returns the updates it causes. */
  venueStatus(intentId: IntentId, status: string, message: string | null): StrategyOrderUpdate[] {
    return this.apply(intentId, {
      type: 'venue-status',
      id: this.#eventId(),
      ts: this.#now(),
      status,
      venueOrderId: this.order(intentId).venueOrderId,
      filledQty: null,
      cancelledQty: null,
      message,
      amendment: null,
    });
  }

  /** Fills `qty` (default all that is left) at `pricePaise` and returns the updates it causes. */
  fill(intentId: IntentId, pricePaise: number, qty?: number): StrategyOrderUpdate[] {
    return this.apply(intentId, {
      type: 'fill',
      id: this.#eventId(),
      ts: this.#now(),
      venueTradeId: parseVenueTradeId(`T${++this.#seq}`),
      qty: qty ?? leavesQty(this.order(intentId)),
      pricePaise: paise(pricePaise),
    });
  }

  /** Applies a cancellation request (PENDING_CANCEL) and returns the updates it causes. */
  requestCancel(intentId: IntentId): StrategyOrderUpdate[] {
    return this.apply(intentId, { type: 'cancel-request', id: this.#eventId(), ts: this.#now() });
  }

  /** Drops a SUBMITTED, unfilled order as a risk denial does and returns the OrderDenied update. */
  deny(intentId: IntentId, strategyId: StrategyId, reason: string): StrategyOrderUpdate {
    const order = this.order(intentId);
    if (order.status !== 'SUBMITTED' || order.filledQty > 0) {
      throw new Error(`intent ${intentId} cannot be denied in state ${order.status}`);
    }
    this.#orders.delete(intentId);
    const at = this.#now();
    return {
      intentId,
      order: null,
      event: {
        type: 'OrderDenied',
        accountId: this.#accountId,
        intentId,
        strategyId,
        reason,
        tsEvent: at,
        tsInit: at,
      },
    };
  }

  /** Applies `event` to the intent's order; fills change the position; returns the updates in order. */
  apply(intentId: IntentId, event: OrderEvent): StrategyOrderUpdate[] {
    const before = this.order(intentId);
    const after = applyOrderEvent(before, event);
    this.#orders.set(intentId, after);
    const at = this.#now();
    const outcomes = orderOutcomes(before, after, event, {
      tsEvent: at,
      tsInit: at,
      newFillId: () => this.#ids.next('fill'),
    });
    for (const outcome of outcomes) {
      if (outcome.type === 'OrderFilled') {
        const key = `${after.instrumentId}|${after.product}`;
        const previous = this.#position(after.instrumentId, after.product);
        const next = applyFill(previous, outcome.fill);
        this.#positions.set(key, next);
        this.#own(key, previous.netQty, next.netQty, this.#stops.get(intentId) ?? null, after.strategyId);
      }
    }
    return outcomes.map((e) => ({ intentId, order: after, event: e }));
  }

  /** Trades `qty` outside any order of the strategy (flatten, square-off, manual): only the position changes. */
  externalFill(
    instrumentId: InstrumentId,
    product: Product,
    side: Side,
    qty: number,
    pricePaise: Paise,
  ): void {
    const at = this.#now();
    const fill = makeFill({
      id: this.#ids.next('fill'),
      clientOrderId: this.#ids.next('clientOrder'),
      venueTradeId: parseVenueTradeId(`X${++this.#seq}`),
      accountId: this.#accountId,
      instrumentId,
      product,
      side,
      qty,
      pricePaise,
      tsEvent: at,
      tsInit: at,
    });
    const key = `${instrumentId}|${product}`;
    const previous = this.#position(instrumentId, product);
    const next = applyFill(previous, fill);
    this.#positions.set(key, next);
    this.#own(key, previous.netQty, next.netQty, null, null);
  }

  /**
   * Sets a position as the platform recovers it after a restart (opened by `openedBy` with `stopPaise`), without any
   * order of the strategy's current state.
   */
  restorePosition(
    instrumentId: InstrumentId,
    product: Product,
    side: Side,
    qty: number,
    pricePaise: Paise,
    stopPaise: Paise | null,
    openedBy: StrategyId | null,
  ): void {
    this.externalFill(instrumentId, product, side, qty, pricePaise);
    this.#owners.set(`${instrumentId}|${product}`, { stopPaise, openedBy });
  }

  #own(
    key: string,
    before: number,
    after: number,
    stopPaise: Paise | null,
    strategyId: StrategyId | null,
  ): void {
    if (after === 0) this.#owners.delete(key);
    else if (Math.sign(after) !== Math.sign(before))
      this.#owners.set(key, { stopPaise, openedBy: strategyId });
  }

  /** Returns the signed net quantity. */
  netQty(instrumentId: InstrumentId, product: Product): number {
    return this.#position(instrumentId, product).netQty;
  }

  #eventId(): string {
    return `evt${++this.#seq}`;
  }

  #position(instrumentId: InstrumentId, product: Product): Position {
    return (
      this.#positions.get(`${instrumentId}|${product}`) ??
      flatPosition(this.#accountId, instrumentId, product, this.#now())
    );
  }
}
