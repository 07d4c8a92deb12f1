// The order manager's in-memory view of its orders: every order of the session by client order id, the live
// (non-terminal) order of each intent, the venue id index, intents, slice children and the trade ids applied.
import {
  isTerminalStatus,
  type ClientOrderId,
  type IntentId,
  type Order,
  type OrderIntent,
  type VenueOrderId,
  type VenueTradeId,
} from '@kitepilot/core';

/** Orders and intents of one account, indexed for report resolution. */
export class OrderBook {
  readonly #orders = new Map<ClientOrderId, Order>();
  readonly #byVenue = new Map<VenueOrderId, ClientOrderId>();
  readonly #liveByIntent = new Map<IntentId, ClientOrderId>();
  readonly #intents = new Map<IntentId, OrderIntent>();
  readonly #children = new Map<IntentId, IntentId[]>();
  readonly #tradeIds = new Set<VenueTradeId>();

  /** Adds or replaces an order (its latest state). */
  put(order: Order): void {
    this.#orders.set(order.clientOrderId, order);
    if (order.venueOrderId !== null) this.#byVenue.set(order.venueOrderId, order.clientOrderId);
    if (isTerminalStatus(order.status)) {
      if (this.#liveByIntent.get(order.intentId) === order.clientOrderId)
        this.#liveByIntent.delete(order.intentId);
    } else {
      this.#liveByIntent.set(order.intentId, order.clientOrderId);
    }
  }

  /** Returns the order, or null when this session does not know it. */
  get(clientOrderId: ClientOrderId): Order | null {
    return this.#orders.get(clientOrderId) ?? null;
  }

  /** Returns the order the broker knows as `venueOrderId`, or null. */
  byVenueId(venueOrderId: VenueOrderId): Order | null {
    const id = this.#byVenue.get(venueOrderId);
    return id === undefined ? null : this.get(id);
  }

  /** Returns the non-terminal order of an intent, or null. */
  liveOf(intentId: IntentId): Order | null {
    const id = this.#liveByIntent.get(intentId);
    return id === undefined ? null : this.get(id);
  }

  /** Returns the non-terminal orders, oldest first. */
  working(): Order[] {
    const out: Order[] = [];
    for (const o of this.#orders.values()) if (!isTerminalStatus(o.status)) out.push(o);
    return out;
  }

  /** Forgets terminal orders (at the day change; the store keeps them). */
  dropTerminal(): void {
    for (const [id, o] of this.#orders) {
      if (!isTerminalStatus(o.status)) continue;
      this.#orders.delete(id);
      if (o.venueOrderId !== null) this.#byVenue.delete(o.venueOrderId);
    }
  }

  /** Remembers an intent. */
  addIntent(intent: OrderIntent): void {
    this.#intents.set(intent.id, intent);
  }

  /** Returns a known intent, or null. */
  intent(id: IntentId): OrderIntent | null {
    return this.#intents.get(id) ?? null;
  }

  /** Records that `child` is a slice of `parent`. */
  addChild(parent: IntentId, child: IntentId): void {
    this.#children.set(parent, [...(this.#children.get(parent) ?? []), child]);
  }

  /** Returns the slices of an intent (empty when it was not sliced). */
  children(parent: IntentId): readonly IntentId[] {
    return this.#children.get(parent) ?? [];
  }

  /** Returns true when a fill with this venue trade id was applied. */
  hasTrade(id: VenueTradeId): boolean {
    return this.#tradeIds.has(id);
  }

  /** Records an applied venue trade id. */
  addTrade(id: VenueTradeId): void {
    this.#tradeIds.add(id);
  }
}
