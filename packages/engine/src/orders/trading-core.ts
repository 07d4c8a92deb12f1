// The contract between the kernel and the order manager: the kernel turns strategy requests, execution reports,
// ticks and operator commands into these calls, one at a time and in input order.
import type {
  AccountId,
  Bar,
  ExecutionReport,
  InstrumentId,
  InstrumentTick,
  IntentId,
  IntentOrigin,
  Order,
  OrderIntent,
  Product,
  StrategyId,
} from '@kitepilot/core';
import type { OperatorCommand } from '../kernel/kernel-input.ts';
import type { TradingControls } from '../kernel/topics.ts';
import type { ModifyRequest, PositionView } from '../sdk/strategy.ts';

/**
 * Timers of the order manager: the kernel sets them on its clock and, when one fires, feeds a `timer` input with
 * owner `trading` back through the ordered stream, which calls TradingCore.onTimer.
 */
export interface TradingTimers {
  set(name: string, atMs: number): void;
  cancel(name: string): void;
}

/**
 * Signal → OrderIntent → risk → Order → ExecutionClient, and back: execution reports → order state machine →
 * fills → positions. Publishes `intent`, `risk-decision`, `order`, `fill`, `position`, `alert` and `controls` on the
 * bus. Calls that return a promise must be awaited before the kernel handles the next input.
 */
export interface TradingCore {
  /** Persists the intent, risk-checks it (decision persisted), and if allowed creates, persists and sends its order. */
  submit(intent: OrderIntent, origin: IntentOrigin): Promise<void>;
  /** Modifies the working order of an intent (refused with an alert past 25 modifications). */
  modify(accountId: AccountId, intentId: IntentId, changes: ModifyRequest): Promise<void>;
  /** Cancels the working order of an intent. */
  cancel(accountId: AccountId, intentId: IntentId, reason: string): Promise<void>;
  /** Applies a report from the execution client (de-duplicated; raw message stored first). */
  onExecutionReport(report: ExecutionReport): Promise<void>;
  /** Updates marks; runs the post-trade monitor. Returns a promise only when it acts (e.g. loss cap hit). */
  onTick(tick: InstrumentTick): void | Promise<void>;
  /**
   * A closed bar entered the kernel (before strategies see it). Marks positions at its close and runs the monitor
   * only where bars are the market (backtests over bars); elsewhere ticks mark and this does nothing.
   */
  onBar?(bar: Bar): void | Promise<void>;
  /** A timer the order manager set through its TradingTimers (e.g. a square-off escalation) fired. */
  onTimer(name: string): Promise<void>;
  /** Kill switch, flatten, cancel all, halt, resume, acknowledge live. */
  handleCommand(command: OperatorCommand): Promise<void>;
  /** Reads the account's position (flat view when none). */
  position(accountId: AccountId, instrumentId: InstrumentId, product: Product): PositionView;
  /** The strategy's non-terminal orders, oldest first. */
  openOrders(accountId: AccountId, strategyId: StrategyId, instrumentId?: InstrumentId): readonly Order[];
  controls(): TradingControls;
}
