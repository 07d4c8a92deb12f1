// The strategy SDK (issue "Trading engine" item 1): a strategy is config + state + handlers that see only a
// StrategyContext. Handlers are synchronous and must not read wall time, Math.random or timers: everything comes
// through the context, so backtest, paper and live run the same code and a recorded day replays exactly.
import type {
  AccountId,
  Bar,
  BarInterval,
  InstrumentTick,
  Instrument,
  InstrumentId,
  IntentId,
  Logger,
  NseCalendar,
  Order,
  OrderLifecycleEvent,
  OrderType,
  Paise,
  Product,
  RunId,
  Side,
  SignalDirection,
  SignalId,
  StrategyId,
  Tick,
  Validity,
} from '@kitepilot/core';

/** A parameter value as given on the command line or in config (`--param fast=10`). */
export type ParamValue = number | string | boolean;

/** How one strategy parameter is parsed and validated. */
export interface ParamSpec {
  /** `time` is an IST wall time `HH:MM` (kept as the string). `integer` refuses fractions. */
  readonly type: 'number' | 'integer' | 'string' | 'boolean' | 'time';
  /** The default, or null when the parameter is required. */
  readonly default: ParamValue | null;
  readonly description: string;
  /** Inclusive bounds for numbers. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for strings. */
  readonly choices?: readonly string[];
}

/** Parsed, validated parameters (defaults applied). */
export type StrategyParams = Readonly<Record<string, ParamValue>>;

/** A built-in or user strategy: its name, parameters and a factory for a fresh instance (fresh state). */
export interface StrategyDefinition<P extends StrategyParams = StrategyParams> {
  /** Kebab-case name used on the command line (`sma-cross`). */
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /**
   * Returns a new strategy for validated `params`; throws StrategyConfigError when the parameters are valid one by
   * one but not together (e.g. fast ≥ slow).
   */
  create(params: P): Strategy;
}

/** A strategy instance; every handler is optional. An exception halts this strategy only. */
export interface Strategy {
  onStart?(ctx: StrategyContext): void;
  /** A tick of a subscribed instrument (only when subscribed with `ticks: true`). */
  onTick?(ctx: StrategyContext, tick: InstrumentTick): void;
  /** A closed bar of a subscribed instrument and interval (never a bar that has not closed). */
  onBar?(ctx: StrategyContext, bar: Bar): void;
  /** Something happened to one of this strategy's intents or orders (denied, accepted, filled, cancelled, …). */
  onOrderUpdate?(ctx: StrategyContext, update: StrategyOrderUpdate): void;
  /** A timer this strategy set fired. */
  onTimer?(ctx: StrategyContext, name: string): void;
  onStop?(ctx: StrategyContext): void;
}

/** An order event for one of the strategy's intents. */
export interface StrategyOrderUpdate {
  readonly intentId: IntentId;
  /** The order after the event, or null when there is none (the intent was denied before an order existed). */
  readonly order: Order | null;
  readonly event: OrderLifecycleEvent;
}

/** What a strategy asks for when it wants to trade; the kernel turns it into an OrderIntent. */
export interface IntentRequest {
  readonly instrumentId: InstrumentId;
  readonly side: Side;
  readonly qty: number;
  readonly orderType: OrderType;
  /** Default `MIS`. */
  readonly product?: Product;
  /** Default `DAY`. */
  readonly validity?: Validity;
  readonly limitPricePaise?: Paise | null;
  readonly triggerPricePaise?: Paise | null;
  /** The protective stop the risk engine sizes worst-case loss with; mandatory for entries when the profile says so. */
  readonly stopLossPaise: Paise | null;
  /** Why (journal and audit). */
  readonly reason: string;
}

/** A change to a working order; absent fields stay as they are. */
export interface ModifyRequest {
  readonly qty?: number;
  readonly limitPricePaise?: Paise;
  readonly triggerPricePaise?: Paise;
}

/** A strategy's decision, recorded as a Signal. */
export interface SignalRequest {
  readonly instrumentId: InstrumentId;
  readonly direction: SignalDirection;
  readonly strength?: number | null;
  readonly reason: string;
}

/** A position as a strategy sees it (net of the account for that instrument and product). */
export interface PositionView {
  readonly instrumentId: InstrumentId;
  readonly product: Product;
  /** Signed: > 0 long, < 0 short, 0 flat. */
  readonly netQty: number;
  /** Average open price, or null when flat. */
  readonly averagePricePaise: Paise | null;
  readonly realisedPnlPaise: Paise;
  /** At the last traded price, or null when flat or no price is known. */
  readonly unrealisedPnlPaise: Paise | null;
  /** The protective stop of the open position (from the intent that opened it), or null when flat or none. */
  readonly stopPaise: Paise | null;
  /** The strategy whose order opened the position, or null when flat or unknown (e.g. opened outside KitePilot). */
  readonly openedBy: StrategyId | null;
}

/** Everything a strategy can see and do. */
export interface StrategyContext {
  readonly strategyId: StrategyId;
  readonly runId: RunId;
  readonly accountId: AccountId;
  /** Logs with the strategy id bound. */
  readonly log: Logger;
  /** The NSE calendar (sessions in IST, holidays). */
  readonly calendar: NseCalendar;
  /** Returns the kernel clock's time (epoch ms, UTC). */
  now(): number;
  /** Returns the instrument for `NSE:INFY`, `INFY.NSE` or an InstrumentId, or null when unknown. */
  instrument(symbol: string): Instrument | null;
  /** Asks for bars of `bars` intervals (default `['1m']`) and, when `ticks`, every tick of the instrument. */
  subscribe(
    instrumentId: InstrumentId,
    options?: { readonly ticks?: boolean; readonly bars?: readonly BarInterval[] },
  ): void;
  /** Returns the last tick of the instrument, or null. */
  lastTick(instrumentId: InstrumentId): Tick | null;
  /** Returns up to `count` (default all kept, at least 500) closed bars, oldest first. */
  bars(instrumentId: InstrumentId, interval: BarInterval, count?: number): readonly Bar[];
  /** Returns the account's position in the instrument for `product` (default MIS). */
  position(instrumentId: InstrumentId, product?: Product): PositionView;
  /** Returns this strategy's orders that are not terminal, optionally for one instrument, oldest first. */
  openOrders(instrumentId?: InstrumentId): readonly Order[];
  /** Records a signal and returns its id. */
  signal(request: SignalRequest): SignalId;
  /**
   * Asks to trade: returns the new intent's id at once; risk and the order's fate arrive later through
   * onOrderUpdate (an invalid request — bad quantity or prices — throws, which halts the strategy).
   */
  submit(request: IntentRequest): IntentId;
  /** Asks to modify the working order of an intent (at most 25 modifications per order at Kite). */
  modify(intentId: IntentId, changes: ModifyRequest): void;
  /** Asks to cancel the working order of an intent. */
  cancel(intentId: IntentId, reason: string): void;
  /** Sets (or replaces) this strategy's timer `name` at `atMs`; it fires through onTimer. */
  setTimer(name: string, atMs: number): void;
  /** Cancels this strategy's timer `name`. */
  cancelTimer(name: string): void;
}

/** Thrown by StrategyDefinition.create and parameter parsing when a strategy's configuration is invalid. */
export class StrategyConfigError extends Error {
  override readonly name = 'StrategyConfigError';
}
