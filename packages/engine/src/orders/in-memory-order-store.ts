// The OrderStore for backtests and tests: the same semantics as the SQL store (idempotent intent insert, fill
// dedupe by venue trade id per account, one live order per intent), held in maps.
import {
  InvariantError,
  isTerminalStatus,
  type AccountId,
  type ClientOrderId,
  type Fill,
  type InsertOutcome,
  type IntentId,
  type NewOrderEvent,
  type Order,
  type OrderIntent,
  type Position,
  type RiskDecision,
  type Signal,
  type StoredOrderEvent,
  type VenueOrderId,
} from '@kitepilot/core';
import type { OrderStore, RecoveredState, StoredControls } from './order-store.ts';

/** The controls of a store that never saved any: nothing halted, kill switch off. */
export const DEFAULT_STORED_CONTROLS: StoredControls = {
  killSwitch: false,
  halted: {},
  haltedDay: null,
  liveAcknowledgedDay: null,
};

function key(...parts: readonly string[]): string {
  return parts.join('\u0000');
}

/** An OrderStore in memory; rows are kept per account and read back in insertion order. */
export class InMemoryOrderStore implements OrderStore {
  readonly #intents = new Map<string, OrderIntent>();
  readonly #decisions: RiskDecision[] = [];
  readonly #signals: Signal[] = [];
  readonly #orders = new Map<string, Order>();
  /** The non-terminal order of each account × intent (its clientOrderId), so a save checks it in O(1). */
  readonly #liveByIntent = new Map<string, ClientOrderId>();
  readonly #byVenueId = new Map<string, Order>();
  readonly #events: StoredOrderEvent[] = [];
  readonly #fills = new Map<string, Fill>();
  readonly #positions = new Map<string, Position>();
  #controls: StoredControls = DEFAULT_STORED_CONTROLS;
  readonly #keepOrderEvents: boolean;
  #orderEventCount = 0;

  /** `keepOrderEvents: false` (backtests) counts raw order messages instead of keeping them. */
  constructor(options: { readonly keepOrderEvents?: boolean } = {}) {
    this.#keepOrderEvents = options.keepOrderEvents ?? true;
  }

  /** Inserts the intent; the same id again returns the stored intent with `created: false`. */
  async insertIntent(intent: OrderIntent): Promise<InsertOutcome<OrderIntent>> {
    const k = key(intent.accountId, intent.id);
    const stored = this.#intents.get(k);
    if (stored !== undefined) return { value: stored, created: false };
    this.#intents.set(k, intent);
    return { value: intent, created: true };
  }

  /** Appends the decision. */
  async insertRiskDecision(decision: RiskDecision): Promise<void> {
    this.#decisions.push(decision);
  }

  /** Appends the signal. */
  async insertSignal(signal: Signal): Promise<void> {
    this.#signals.push(signal);
  }

  /**
   * Inserts or replaces the order; throws InvariantError when its intent is unknown or when another non-terminal
   * order of the same intent exists (DESIGN.md invariant 3).
   */
  async saveOrder(order: Order): Promise<void> {
    if (!this.#intents.has(key(order.accountId, order.intentId))) {
      throw new InvariantError(`order ${order.clientOrderId}: intent ${order.intentId} was never stored`);
    }
    const intentKey = key(order.accountId, order.intentId);
    const live = this.#liveByIntent.get(intentKey);
    if (!isTerminalStatus(order.status)) {
      if (live !== undefined && live !== order.clientOrderId) {
        const other = this.#orders.get(key(order.accountId, live));
        throw new InvariantError(
          `intent ${order.intentId} already has live order ${live} (${other?.status ?? '?'}); cannot save ${order.clientOrderId}`,
        );
      }
      this.#liveByIntent.set(intentKey, order.clientOrderId);
    } else if (live === order.clientOrderId) {
      this.#liveByIntent.delete(intentKey);
    }
    this.#orders.set(key(order.accountId, order.clientOrderId), order);
    if (order.venueOrderId !== null) this.#byVenueId.set(key(order.accountId, order.venueOrderId), order);
  }

  /** Appends the raw message with the next id. */
  async appendOrderEvent(accountId: AccountId, event: NewOrderEvent): Promise<void> {
    this.#orderEventCount++;
    if (this.#keepOrderEvents) this.#events.push({ ...event, id: this.#orderEventCount, accountId });
  }

  /** Returns how many raw order messages were appended (kept or not). */
  get orderEventCount(): number {
    return this.#orderEventCount;
  }

  /** Inserts the fill unless the account already has its venue trade id. */
  async insertFill(fill: Fill): Promise<InsertOutcome<Fill>> {
    const k = key(fill.accountId, fill.venueTradeId);
    const stored = this.#fills.get(k);
    if (stored !== undefined) return { value: stored, created: false };
    this.#fills.set(k, fill);
    return { value: fill, created: true };
  }

  /** Inserts or replaces the position of account × instrument × product. */
  async savePosition(position: Position): Promise<void> {
    this.#positions.set(key(position.accountId, position.instrumentId, position.product), position);
  }

  /** Returns the intent, or null. */
  async getIntent(accountId: AccountId, id: IntentId): Promise<OrderIntent | null> {
    return this.#intents.get(key(accountId, id)) ?? null;
  }

  /** Returns the order, or null. */
  async getOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Order | null> {
    return this.#orders.get(key(accountId, clientOrderId)) ?? null;
  }

  /** Returns the order the broker knows as `venueOrderId`, or null. */
  async getOrderByVenueId(accountId: AccountId, venueOrderId: VenueOrderId): Promise<Order | null> {
    const indexed = this.#byVenueId.get(key(accountId, venueOrderId));
    // The index holds the order as saved when it got the venue id; the latest save is in #orders.
    return indexed === undefined ? null : (this.#orders.get(key(accountId, indexed.clientOrderId)) ?? null);
  }

  /** Returns the orders of an intent, oldest first. */
  async listOrdersByIntent(accountId: AccountId, intentId: IntentId): Promise<Order[]> {
    return this.#accountOrders(accountId).filter((o) => o.intentId === intentId);
  }

  /**
   * Reads open orders, positions, the intents of open and today's orders, today's intents that have neither an order
   * nor a denial, and today's fills (by tsEvent).
   */
  async loadState(accountId: AccountId, dayStartMs: number, dayEndMs: number): Promise<RecoveredState> {
    const orders = this.#accountOrders(accountId);
    const openOrders = orders.filter((o) => !isTerminalStatus(o.status));
    const intentIds = new Set<IntentId>();
    for (const o of orders) {
      if (!isTerminalStatus(o.status) || (o.createdAt >= dayStartMs && o.createdAt < dayEndMs)) {
        intentIds.add(o.intentId);
      }
    }
    const withOrder = new Set(orders.map((o) => o.intentId));
    const denied = new Set(
      this.#decisions
        .filter((d) => d.accountId === accountId && d.decision === 'deny')
        .map((d) => d.intentId),
    );
    const accountIntents = [...this.#intents.values()]
      .filter((i) => i.accountId === accountId)
      .sort((a, b) => a.tsEvent - b.tsEvent);
    const fillsToday = [...this.#fills.values()]
      .filter((f) => f.accountId === accountId && f.tsEvent >= dayStartMs && f.tsEvent < dayEndMs)
      .sort((a, b) => a.tsEvent - b.tsEvent);
    return {
      openOrders,
      positions: [...this.#positions.values()].filter((p) => p.accountId === accountId),
      intents: accountIntents.filter((i) => intentIds.has(i.id)),
      // A denied intent never gets an order by design: it is not an abandoned one.
      intentsWithoutOrder: accountIntents.filter(
        (i) => !withOrder.has(i.id) && !denied.has(i.id) && i.tsEvent >= dayStartMs && i.tsEvent < dayEndMs,
      ),
      fillsToday,
    };
  }

  /** Returns the saved controls, or the defaults. */
  async loadControls(): Promise<StoredControls> {
    return this.#controls;
  }

  /** Replaces the controls. */
  async saveControls(controls: StoredControls): Promise<void> {
    this.#controls = { ...controls, halted: { ...controls.halted } };
  }

  /** Returns the account's raw order messages in arrival order (for tests and reports). */
  orderEvents(accountId: AccountId): readonly StoredOrderEvent[] {
    return this.#events.filter((e) => e.accountId === accountId);
  }

  /** Returns the account's risk decisions in insertion order. */
  riskDecisions(accountId: AccountId): readonly RiskDecision[] {
    return this.#decisions.filter((d) => d.accountId === accountId);
  }

  /** Returns every stored signal in insertion order. */
  signals(): readonly Signal[] {
    return [...this.#signals];
  }

  /** Returns the account's orders in the order they were first saved. */
  orders(accountId: AccountId): readonly Order[] {
    return this.#accountOrders(accountId);
  }

  /** Returns the account's fills in insertion order. */
  fills(accountId: AccountId): readonly Fill[] {
    return [...this.#fills.values()].filter((f) => f.accountId === accountId);
  }

  /** Returns the account's stored positions. */
  positions(accountId: AccountId): readonly Position[] {
    return [...this.#positions.values()].filter((p) => p.accountId === accountId);
  }

  #accountOrders(accountId: AccountId): Order[] {
    return [...this.#orders.values()].filter((o) => o.accountId === accountId);
  }
}
