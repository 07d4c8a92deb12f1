// What the order manager persists, as one port: an in-memory implementation serves backtests and tests, the SQL one
// (apps/server, over @kitepilot/store) serves paper and live. Every write is awaited before the next step that
// depends on it — above all, the intent before any broker call (DESIGN.md invariant 3).
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

/** The persisted trading controls: they survive restarts. */
export interface StoredControls {
  readonly killSwitch: boolean;
  /** accountId → reason, for accounts halted on `haltedDay`. */
  readonly halted: Readonly<Record<string, string>>;
  /** The IST date (`YYYY-MM-DD`) the halts apply to; halts of an earlier day are void. */
  readonly haltedDay: string | null;
  /** IST date on which the owner acknowledged live trading (manual-acknowledgement mode), or null. */
  readonly liveAcknowledgedDay: string | null;
}

/** What recovery reads back at start: the state before a crash or restart. */
export interface RecoveredState {
  /** Orders not in a terminal state, oldest first. */
  readonly openOrders: readonly Order[];
  /** Every stored position of the account (flat ones included: they carry the day's realised P&L). */
  readonly positions: readonly Position[];
  /** The intents of the open orders and of today's orders (for stops and strategy routing). */
  readonly intents: readonly OrderIntent[];
  /** Intents stored but without any order yet (a crash between persisting the intent and sending it). */
  readonly intentsWithoutOrder: readonly OrderIntent[];
  /** Fills of the IST day (epoch ms range given by the caller). */
  readonly fillsToday: readonly Fill[];
}

/** Persistence of the trading path. */
export interface OrderStore {
  insertIntent(intent: OrderIntent): Promise<InsertOutcome<OrderIntent>>;
  insertRiskDecision(decision: RiskDecision): Promise<void>;
  insertSignal(signal: Signal): Promise<void>;
  /** Inserts or replaces the order by client order id. */
  saveOrder(order: Order): Promise<void>;
  /** Appends a raw broker message (stored verbatim, also when malformed or unmatched). */
  appendOrderEvent(accountId: AccountId, event: NewOrderEvent): Promise<void>;
  /** Inserts the fill; the same venue trade id twice is stored once (`created: false`). */
  insertFill(fill: Fill): Promise<InsertOutcome<Fill>>;
  savePosition(position: Position): Promise<void>;
  getIntent(accountId: AccountId, id: IntentId): Promise<OrderIntent | null>;
  getOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Order | null>;
  getOrderByVenueId(accountId: AccountId, venueOrderId: VenueOrderId): Promise<Order | null>;
  listOrdersByIntent(accountId: AccountId, intentId: IntentId): Promise<Order[]>;
  /** Reads the state to recover; `dayStartMs`/`dayEndMs` bound "today" (IST day in UTC ms). */
  loadState(accountId: AccountId, dayStartMs: number, dayEndMs: number): Promise<RecoveredState>;
  loadControls(): Promise<StoredControls>;
  saveControls(controls: StoredControls): Promise<void>;
}
