import type { AccountId, IntentId, RunId } from '../model/ids.ts';
import type { RiskDecision } from '../model/risk-decision.ts';
import type { Signal } from '../model/signal.ts';
import type { InsertOutcome } from './repositories.ts';

// Store ports of the trading path beyond orders and fills: risk decisions (invariant 1), signals, and the trading
// controls that survive restarts. Account-owned rows are read and written per account; times are epoch ms (UTC).

/** A stored risk decision: the decision with the id the store gave it (increasing in insertion order). */
export interface StoredRiskDecision extends RiskDecision {
  readonly id: number;
}

/** Stores every risk decision, allowed or denied, with its reason and inputs (DESIGN.md invariant 1), append-only. */
export interface RiskDecisionRepository {
  /** Appends the decision (its intent must be stored) and returns it with its id. */
  insert(accountId: AccountId, decision: RiskDecision): Promise<StoredRiskDecision>;
  /** Returns the decisions about one intent, oldest first. */
  listByIntent(accountId: AccountId, intentId: IntentId): Promise<StoredRiskDecision[]>;
  /** Returns the decisions with decidedAt in [fromMs, toMs), oldest first. */
  listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<StoredRiskDecision[]>;
}

/** Stores the signals of strategies; a signal id is stored once. */
export interface SignalRepository {
  /** Inserts the signal; a second insert of the same id returns the stored signal and writes nothing. */
  insert(accountId: AccountId, signal: Signal): Promise<InsertOutcome<Signal>>;
  /** Returns the signals with tsEvent in [fromMs, toMs), oldest first. */
  listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<Signal[]>;
  /** Returns the signals of one run, oldest first. */
  listByRun(accountId: AccountId, runId: RunId): Promise<Signal[]>;
}

/**
 * The trading controls that survive restarts, for the whole process. Same fields as the engine's StoredControls,
 * so either type is assignable to the other.
 */
export interface TradingControls {
  readonly killSwitch: boolean;
  /** accountId → reason, for accounts halted on `haltedDay`. */
  readonly halted: Readonly<Record<string, string>>;
  /** The IST date (`YYYY-MM-DD`) the halts apply to; halts of an earlier day are void. */
  readonly haltedDay: string | null;
  /** The IST date on which the owner acknowledged live trading (manual-acknowledgement mode), or null. */
  readonly liveAcknowledgedDay: string | null;
}

/** The controls before anything was saved: kill switch off, nothing halted, nothing acknowledged. */
export const DEFAULT_TRADING_CONTROLS: TradingControls = Object.freeze({
  killSwitch: false,
  halted: Object.freeze({}),
  haltedDay: null,
  liveAcknowledgedDay: null,
});

/** Stores the trading controls (one record). */
export interface TradingControlsRepository {
  /** Returns the stored controls, or DEFAULT_TRADING_CONTROLS when none were saved. */
  load(): Promise<TradingControls>;
  /** Replaces the stored controls and returns them as stored. */
  save(controls: TradingControls): Promise<TradingControls>;
}
