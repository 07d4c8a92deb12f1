// The OrderStore of paper and live trading over the SQL store (PGlite or PostgreSQL). Every method is one awaited
// write or read, so the order manager's "persist before the broker call" holds (DESIGN.md invariant 3).
import type {
  AccountId,
  ClientOrderId,
  Fill,
  InsertOutcome,
  IntentId,
  NewOrderEvent,
  Order,
  OrderIntent,
  Position,
  RiskDecision,
  Signal,
  VenueOrderId,
} from '@kitepilot/core';
import type { OrderStore, RecoveredState, StoredControls } from '@kitepilot/engine';
import { StoreQueryError, type Store } from '@kitepilot/store';

/** Persists the trading path in the SQL store; the controls are the store's single trading_controls record. */
export class SqlOrderStore implements OrderStore {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async insertIntent(intent: OrderIntent): Promise<InsertOutcome<OrderIntent>> {
    return this.#store.intents.insert(intent.accountId, intent);
  }

  async insertRiskDecision(decision: RiskDecision): Promise<void> {
    await this.#store.riskDecisions.insert(decision.accountId, decision);
  }

  async insertSignal(signal: Signal): Promise<void> {
    await this.#store.signals.insert(signal.accountId, signal);
  }

  async saveOrder(order: Order): Promise<void> {
    await this.#store.orders.save(order.accountId, order);
  }

  async appendOrderEvent(accountId: AccountId, event: NewOrderEvent): Promise<void> {
    try {
      await this.#store.orderEvents.append(accountId, event);
    } catch (error) {
      // A message naming a client order id we never stored (another app's order, a forged postback) must still be
      // kept verbatim: the id stays in the payload, the link to orders is dropped.
      if (!(error instanceof StoreQueryError && error.code === 'FOREIGN_KEY_VIOLATION')) throw error;
      if (event.clientOrderId === null) throw error;
      await this.#store.orderEvents.append(accountId, { ...event, clientOrderId: null });
    }
  }

  async insertFill(fill: Fill): Promise<InsertOutcome<Fill>> {
    return this.#store.fills.insert(fill.accountId, fill);
  }

  async savePosition(position: Position): Promise<void> {
    await this.#store.positions.save(position.accountId, position);
  }

  getIntent(accountId: AccountId, id: IntentId): Promise<OrderIntent | null> {
    return this.#store.intents.get(accountId, id);
  }

  getOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Order | null> {
    return this.#store.orders.get(accountId, clientOrderId);
  }

  getOrderByVenueId(accountId: AccountId, venueOrderId: VenueOrderId): Promise<Order | null> {
    return this.#store.orders.getByVenueOrderId(accountId, venueOrderId);
  }

  listOrdersByIntent(accountId: AccountId, intentId: IntentId): Promise<Order[]> {
    return this.#store.orders.listByIntent(accountId, intentId);
  }

  /**
   * Reads the state to recover. `intentsWithoutOrder` holds the intents of the day that have no order and were not
   * denied by risk: a denied intent never gets an order by design, so it is not an abandoned one.
   */
  async loadState(accountId: AccountId, dayStartMs: number, dayEndMs: number): Promise<RecoveredState> {
    const { orders, positions, intents, fills, riskDecisions } = this.#store;
    const openOrders = await orders.listNonTerminal(accountId);
    const todaysOrders = await orders.listBetween(accountId, dayStartMs, dayEndMs);
    const intentIds = new Set<IntentId>([...openOrders, ...todaysOrders].map((o) => o.intentId));
    const linked: OrderIntent[] = [];
    for (const id of intentIds) {
      const intent = await intents.get(accountId, id);
      if (intent !== null) linked.push(intent);
    }
    linked.sort(byEventTime);
    const withoutOrder: OrderIntent[] = [];
    for (const id of await orders.listIntentIdsWithoutOrder(accountId, dayStartMs, dayEndMs)) {
      const decisions = await riskDecisions.listByIntent(accountId, id);
      if (decisions.some((d) => d.decision === 'deny')) continue;
      const intent = await intents.get(accountId, id);
      if (intent !== null) withoutOrder.push(intent);
    }
    return {
      openOrders,
      positions: await positions.list(accountId),
      intents: linked,
      intentsWithoutOrder: withoutOrder,
      fillsToday: await fills.listBetween(accountId, dayStartMs, dayEndMs),
    };
  }

  loadControls(): Promise<StoredControls> {
    return this.#store.tradingControls.load();
  }

  async saveControls(controls: StoredControls): Promise<void> {
    await this.#store.tradingControls.save(controls);
  }
}

function byEventTime(a: OrderIntent, b: OrderIntent): number {
  return a.tsEvent - b.tsEvent || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
