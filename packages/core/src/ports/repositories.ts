import type { Bar, BarInterval } from '../model/bar.ts';
import type { Fill } from '../model/fill.ts';
import type {
  AccountId,
  ClientOrderId,
  IntentId,
  JobRunId,
  RunId,
  StrategyId,
  VenueOrderId,
  VenueTradeId,
} from '../model/ids.ts';
import type { Instrument } from '../model/instrument.ts';
import type { InstrumentId } from '../model/instrument-id.ts';
import type { Product } from '../model/order-enums.ts';
import type { OrderIntent } from '../model/order-intent.ts';
import type { Order } from '../model/order.ts';
import type { Position } from '../model/position.ts';
import type { Tick } from '../model/tick.ts';

// Store ports (DESIGN.md §5). Every method on an account-owned table takes the AccountId explicitly and only ever
// sees that account's rows; times are epoch ms (UTC); money is integer paise.

/** A JSON value as stored in a jsonb column. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Which market data a row belongs to; simulated data never mixes with real data (DESIGN.md invariant 9). */
export type DataNamespace = 'real' | 'simulated';

/** A trading account (one broker login). */
export interface Account {
  readonly id: AccountId;
  readonly name: string;
  readonly createdAt: number;
}

/** Stores accounts. */
export interface AccountRepository {
  /** Inserts the account; throws when the id exists. */
  create(account: Account): Promise<Account>;
  /** Returns the account, or null. */
  get(id: AccountId): Promise<Account | null>;
  /** Returns every account, by id. */
  list(): Promise<Account[]>;
}

/** Stores the daily versions of the instrument master (one row per instrument per version date). */
export interface InstrumentRepository {
  /**
   * Stores `instruments` in `namespace` as the version valid from `validFrom` (`YYYY-MM-DD`), replacing rows of
   * that version; a simulated universe never mixes with the real master (DESIGN.md invariant 9).
   */
  saveVersion(
    namespace: DataNamespace,
    validFrom: string,
    instruments: readonly Instrument[],
  ): Promise<number>;
  /** Returns the instrument as of `onDate`: its row from the latest version on or before that date, or null. */
  get(namespace: DataNamespace, id: InstrumentId, onDate: string): Promise<Instrument | null>;
  /** Returns the instrument whose broker token is `token` as of `onDate`, or null. */
  getByToken(namespace: DataNamespace, token: number, onDate: string): Promise<Instrument | null>;
  /** Returns every instrument of the latest version on or before `onDate`, by id. */
  listVersion(namespace: DataNamespace, onDate: string): Promise<Instrument[]>;
  /** Returns the latest version date stored in `namespace`, or null when none. */
  latestVersion(namespace: DataNamespace): Promise<string | null>;
}

/** A tick together with the instrument it is for (a Tick carries only the broker token). */
export interface InstrumentTick {
  readonly instrumentId: InstrumentId;
  readonly tick: Tick;
}

/** Stores ticks, append-only, partitioned by UTC day; the time of a tick is its exchange time, else its receive time. */
export interface TickRepository {
  /** Appends ticks in one batch to `namespace`; returns how many were written. */
  append(namespace: DataNamespace, ticks: readonly InstrumentTick[]): Promise<number>;
  /** Returns the ticks of one instrument with time in [fromMs, toMs), oldest first, in arrival order on ties. */
  read(
    namespace: DataNamespace,
    instrumentId: InstrumentId,
    fromMs: number,
    toMs: number,
    limit?: number,
  ): Promise<InstrumentTick[]>;
  /** Creates the partition of UTC day `day` (`YYYY-MM-DD`) if missing; returns true when it created it. */
  ensureDayPartition(day: string): Promise<boolean>;
}

/** Stores bars, one per namespace × instrument × interval × start. */
export interface BarRepository {
  /** Inserts the bars or replaces the stored bar with the same key; returns how many were written. */
  upsert(namespace: DataNamespace, bars: readonly Bar[]): Promise<number>;
  /** Returns bars with start in [fromMs, toMs), oldest first. */
  read(
    namespace: DataNamespace,
    instrumentId: InstrumentId,
    interval: BarInterval,
    fromMs: number,
    toMs: number,
  ): Promise<Bar[]>;
}

/** The outcome of an idempotent insert. */
export interface InsertOutcome<T> {
  /** The stored row: the new one, or the one that already had this key. */
  readonly value: T;
  /** False when a row with the same key existed and nothing was written. */
  readonly created: boolean;
}

/** Stores order intents; persisting an intent before any broker call makes retries idempotent (invariant 3). */
export interface OrderIntentRepository {
  /** Inserts the intent; a second insert of the same id returns the stored intent and writes nothing. */
  insert(accountId: AccountId, intent: OrderIntent): Promise<InsertOutcome<OrderIntent>>;
  /** Returns the intent, or null. */
  get(accountId: AccountId, id: IntentId): Promise<OrderIntent | null>;
  /** Returns the intents of a run, oldest first. */
  listByRun(accountId: AccountId, runId: RunId): Promise<OrderIntent[]>;
}

/** Stores orders (the current state of each; raw broker messages go to OrderEventRepository). */
export interface OrderRepository {
  /** Inserts or replaces the order with this client order id. */
  save(accountId: AccountId, order: Order): Promise<Order>;
  /** Returns the order, or null. */
  get(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Order | null>;
  /** Returns the order the broker knows as `venueOrderId`, or null. */
  getByVenueOrderId(accountId: AccountId, venueOrderId: VenueOrderId): Promise<Order | null>;
  /** Returns the orders of an intent, oldest first. */
  listByIntent(accountId: AccountId, intentId: IntentId): Promise<Order[]>;
  /** Returns the orders not in a terminal state (FILLED, CANCELLED, REJECTED, EXPIRED), oldest first. */
  listNonTerminal(accountId: AccountId): Promise<Order[]>;
  /** Returns the orders with createdAt in [fromMs, toMs), oldest first. */
  listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<Order[]>;
  /** Returns the ids of the intents with tsEvent in [fromMs, toMs) that have no order at all, oldest first. */
  listIntentIdsWithoutOrder(accountId: AccountId, fromMs: number, toMs: number): Promise<IntentId[]>;
}

/** Where a raw broker message about an order came from. */
export type OrderEventSource = 'postback' | 'websocket' | 'orderbook' | 'rest';

/** A raw broker message about an order, to be stored verbatim. */
export interface NewOrderEvent {
  readonly clientOrderId: ClientOrderId | null;
  readonly venueOrderId: VenueOrderId | null;
  readonly source: OrderEventSource;
  readonly venueStatus: string | null;
  readonly payload: JsonValue;
  readonly receivedAt: number;
}

/** A stored raw broker message. */
export interface StoredOrderEvent extends NewOrderEvent {
  /** Increases in insertion order. */
  readonly id: number;
  readonly accountId: AccountId;
}

/** Stores every raw broker message about orders, append-only. */
export interface OrderEventRepository {
  /** Appends the message and returns it with its id. */
  append(accountId: AccountId, event: NewOrderEvent): Promise<StoredOrderEvent>;
  /** Returns the messages about one of our orders, in arrival order. */
  listByOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<StoredOrderEvent[]>;
  /** Returns the messages about one broker order id, in arrival order. */
  listByVenueOrder(accountId: AccountId, venueOrderId: VenueOrderId): Promise<StoredOrderEvent[]>;
}

/** Stores fills; the broker's trade id is unique per account, so the same trade arriving twice is stored once. */
export interface FillRepository {
  /** Inserts the fill; when the account already has this venue trade id, returns the stored fill. */
  insert(accountId: AccountId, fill: Fill): Promise<InsertOutcome<Fill>>;
  /** Returns the fill with this venue trade id, or null. */
  getByVenueTradeId(accountId: AccountId, venueTradeId: VenueTradeId): Promise<Fill | null>;
  /** Returns the fills of an order, oldest first. */
  listByOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Fill[]>;
  /** Returns the fills with tsEvent in [fromMs, toMs), oldest first. */
  listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<Fill[]>;
}

/** Stores one position per account × instrument × product (invariant 2). */
export interface PositionRepository {
  /** Inserts or replaces the position with this key. */
  save(accountId: AccountId, position: Position): Promise<Position>;
  /** Returns the position, or null. */
  get(accountId: AccountId, instrumentId: InstrumentId, product: Product): Promise<Position | null>;
  /** Returns the account's positions by instrument and product; only non-flat ones when `openOnly`. */
  list(accountId: AccountId, options?: { readonly openOnly?: boolean }): Promise<Position[]>;
}

/** The environment a run executes in (DESIGN.md §3). */
export type RunEnvironment = 'backtest' | 'paper' | 'live';

/** The state of a run. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'aborted';

/** A run to be started: its exact configuration is stored with it. */
export interface NewRun {
  readonly id: RunId;
  readonly environment: RunEnvironment;
  readonly strategyId: StrategyId;
  readonly config: JsonValue;
  readonly startedAt: number;
}

/** A stored run; `configHash` is the sha256 (hex) of the canonical JSON of `config` (keys sorted). */
export interface Run extends NewRun {
  readonly accountId: AccountId;
  readonly configHash: string;
  readonly status: RunStatus;
  readonly finishedAt: number | null;
  readonly summary: JsonValue | null;
}

/** Stores runs with their configuration snapshot and hash. */
export interface RunRepository {
  /** Stores a new run in status `running`, computing its config hash. */
  create(accountId: AccountId, run: NewRun): Promise<Run>;
  /** Returns the run, or null. */
  get(accountId: AccountId, id: RunId): Promise<Run | null>;
  /** Marks a running run finished; throws when it is unknown or already finished. */
  finish(
    accountId: AccountId,
    id: RunId,
    outcome: {
      readonly status: Exclude<RunStatus, 'running'>;
      readonly finishedAt: number;
      readonly summary: JsonValue | null;
    },
  ): Promise<Run>;
  /** Returns the account's most recent runs, newest first. */
  listRecent(accountId: AccountId, limit: number): Promise<Run[]>;
}

/** An audit record to append. */
export interface NewAuditEvent {
  /** The account concerned, or null for a system event. */
  readonly accountId: AccountId | null;
  readonly ts: number;
  readonly kind: string;
  /** Who caused it: a user id, `system`, a strategy id, … */
  readonly actor: string;
  readonly payload: JsonValue;
}

/** A stored audit record, linked to its predecessor by hash (DESIGN.md invariant 8). */
export interface AuditEvent extends NewAuditEvent {
  /** 1, 2, 3, … without gaps. */
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** The result of verifying the audit hash chain. */
export type AuditVerification =
  | { readonly ok: true; readonly count: number; readonly lastHash: string }
  | { readonly ok: false; readonly seq: number; readonly reason: string };

/** Stores the append-only, hash-chained audit log. */
export interface AuditRepository {
  /** Appends one record after the current last one and returns it with its seq and hashes. */
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /** Returns up to `limit` records with seq > `afterSeq`, in seq order. */
  read(afterSeq: number, limit: number): Promise<AuditEvent[]>;
  /** Returns up to `limit` records of one account with seq > `afterSeq`, in seq order. */
  readByAccount(accountId: AccountId, afterSeq: number, limit: number): Promise<AuditEvent[]>;
  /** Recomputes every hash from the first record and reports the first break, if any. */
  verify(): Promise<AuditVerification>;
}

/** One phase of a scheduled job run (seed "JobRunLog"). */
export interface JobRunPhase {
  readonly jobRunId: JobRunId;
  readonly job: string;
  readonly phase: string;
  readonly message: string;
  readonly isError: boolean;
  readonly retries: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
}

/** Stores the phases of scheduled job runs. */
export interface JobRunRepository {
  /** Records that a phase started. */
  startPhase(phase: {
    readonly jobRunId: JobRunId;
    readonly job: string;
    readonly phase: string;
    readonly startedAt: number;
    readonly message?: string;
  }): Promise<JobRunPhase>;
  /** Records how a started phase finished; throws when the phase was not started or already finished. */
  finishPhase(
    jobRunId: JobRunId,
    phase: string,
    outcome: {
      readonly finishedAt: number;
      readonly message: string;
      readonly isError: boolean;
      readonly retries: number;
    },
  ): Promise<JobRunPhase>;
  /** Returns the phases of one job run, in start order. */
  listByRun(jobRunId: JobRunId): Promise<JobRunPhase[]>;
  /** Returns the latest phases, newest first, of one job or of all jobs when `job` is null. */
  listRecent(job: string | null, limit: number): Promise<JobRunPhase[]>;
}
