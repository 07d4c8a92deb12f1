// A StrategyContext for strategy unit tests: instruments from a list, a TestClock, and a small order model built on
// core's order state machine, so that accept/fill/reject/cancel produce the same lifecycle events (orderOutcomes)
// the kernel delivers. Everything the strategy asks for is recorded for assertions.
import {
  intervalMs,
  isTerminalStatus,
  makeIntent,
  makeTick,
  noopLogger,
  NseCalendar,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  SequentialIdGenerator,
  TestClock,
  type AccountId,
  type Bar,
  type BarInterval,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  type IntentId,
  type Logger,
  type Order,
  type Product,
  type RunId,
  type SignalId,
  type StrategyId,
  type Tick,
} from '@kitepilot/core';
import type {
  IntentRequest,
  ModifyRequest,
  PositionView,
  SignalRequest,
  Strategy,
  StrategyContext,
  StrategyOrderUpdate,
} from '../strategy.ts';
import { istMs } from './builders.ts';
import { FakeAccount } from './fake-account.ts';

/** A signal the strategy recorded. */
export interface RecordedSignal {
  readonly id: SignalId;
  readonly at: number;
  readonly request: SignalRequest;
}

/** An intent the strategy submitted. */
export interface RecordedSubmit {
  readonly intentId: IntentId;
  readonly at: number;
  readonly request: IntentRequest;
}

/** A modification the strategy asked for. */
export interface RecordedModify {
  readonly intentId: IntentId;
  readonly at: number;
  readonly changes: ModifyRequest;
}

/** A cancellation the strategy asked for. */
export interface RecordedCancel {
  readonly intentId: IntentId;
  readonly at: number;
  readonly reason: string;
}

/** A subscription the strategy made. */
export interface RecordedSubscription {
  readonly instrumentId: InstrumentId;
  readonly ticks: boolean;
  readonly bars: readonly BarInterval[];
}

/** Options of FakeStrategyContext; every field has a default. */
export interface FakeStrategyContextOptions {
  /** Instruments `instrument()` resolves (default none). */
  readonly instruments?: readonly Instrument[];
  /** The clock's start (default 09:00 IST on TEST_DAY); ignored when `clock` is given. */
  readonly startMs?: number;
  readonly clock?: TestClock;
  readonly calendar?: NseCalendar;
  readonly ids?: IdGenerator;
  readonly log?: Logger;
  readonly strategyId?: StrategyId;
  readonly runId?: RunId;
  readonly accountId?: AccountId;
}

const TIMER_PREFIX = 'strategy:';

/** A StrategyContext that records what a strategy does and lets a test feed it bars, ticks and order events. */
export class FakeStrategyContext implements StrategyContext {
  readonly strategyId: StrategyId;
  readonly runId: RunId;
  readonly accountId: AccountId;
  readonly log: Logger;
  readonly calendar: NseCalendar;
  /** The clock behind now() and the strategy's timers. */
  readonly clock: TestClock;
  /** Every signal, submit, modify, cancel and subscription, in order. */
  readonly signals: RecordedSignal[] = [];
  readonly submits: RecordedSubmit[] = [];
  readonly modifies: RecordedModify[] = [];
  readonly cancels: RecordedCancel[] = [];
  readonly subscriptions: RecordedSubscription[] = [];
  /** Every order update delivered to the strategy, in order. */
  readonly updates: StrategyOrderUpdate[] = [];

  readonly #ids: IdGenerator;
  readonly #instruments = new Map<InstrumentId, Instrument>();
  readonly #account: FakeAccount;
  readonly #lastTicks = new Map<InstrumentId, Tick>();
  readonly #bars = new Map<string, Bar[]>();
  #strategy: Strategy | null = null;

  /** Creates a context; call start(strategy) to attach a strategy and run its onStart. */
  constructor(options: FakeStrategyContextOptions = {}) {
    this.clock = options.clock ?? new TestClock(options.startMs ?? istMs('09:00'));
    this.calendar = options.calendar ?? new NseCalendar();
    this.#ids = options.ids ?? new SequentialIdGenerator();
    this.log = options.log ?? noopLogger;
    this.strategyId = options.strategyId ?? parseStrategyId('str_test');
    this.runId = options.runId ?? parseRunId('run_test');
    this.accountId = options.accountId ?? parseAccountId('acc_test');
    for (const instrument of options.instruments ?? []) this.#instruments.set(instrument.id, instrument);
    this.#account = new FakeAccount(this.accountId, this.#ids, () => this.clock.now());
  }

  // ── StrategyContext ────────────────────────────────────────────────────────────────────────────────

  /** Returns the TestClock's time. */
  now(): number {
    return this.clock.now();
  }

  /** Returns the instrument for `NSE:INFY`, `INFY.NSE` or an id, or null when it is not in the list. */
  instrument(symbol: string): Instrument | null {
    const colon = symbol.indexOf(':');
    const id = colon < 0 ? symbol : `${symbol.slice(colon + 1)}.${symbol.slice(0, colon)}`;
    return this.#instruments.get(id as InstrumentId) ?? null;
  }

  /** Records the subscription; bars and ticks are delivered only to what was subscribed. */
  subscribe(
    instrumentId: InstrumentId,
    options: { readonly ticks?: boolean; readonly bars?: readonly BarInterval[] } = {},
  ): void {
    this.subscriptions.push({ instrumentId, ticks: options.ticks ?? false, bars: options.bars ?? ['1m'] });
  }

  /** Returns the last tick fed for the instrument, or null. */
  lastTick(instrumentId: InstrumentId): Tick | null {
    return this.#lastTicks.get(instrumentId) ?? null;
  }

  /** Returns the last `count` bars fed for the instrument and interval, oldest first. */
  bars(instrumentId: InstrumentId, interval: BarInterval, count?: number): readonly Bar[] {
    const all = this.#bars.get(`${instrumentId}|${interval}`) ?? [];
    return count === undefined ? [...all] : all.slice(Math.max(0, all.length - count));
  }

  /** Returns the fake account's position (fills and externalFill change it). */
  position(instrumentId: InstrumentId, product: Product = 'MIS'): PositionView {
    const last = this.#lastTicks.get(instrumentId)?.lastPricePaise ?? null;
    return this.#account.positionView(instrumentId, product, last);
  }

  /** Returns the strategy's orders that are not terminal, oldest first. */
  openOrders(instrumentId?: InstrumentId): readonly Order[] {
    return this.#account.openOrders(instrumentId);
  }

  /** Records the signal and returns a new id. */
  signal(request: SignalRequest): SignalId {
    const id = this.#ids.next('signal');
    this.signals.push({ id, at: this.now(), request });
    return id;
  }

  /**
   * Records the intent and, like the kernel, builds it with makeIntent (a bad request throws); its order is
   * created at once in SUBMITTED with a venue order id, waiting for the test to accept, fill, deny, reject or cancel it.
   */
  submit(request: IntentRequest): IntentId {
    const at = this.now();
    const intent = makeIntent({
      id: this.#ids.next('intent'),
      accountId: this.accountId,
      strategyId: this.strategyId,
      runId: this.runId,
      instrumentId: request.instrumentId,
      side: request.side,
      qty: request.qty,
      orderType: request.orderType,
      product: request.product ?? 'MIS',
      validity: request.validity ?? 'DAY',
      validityTtlMinutes: null,
      limitPricePaise: request.limitPricePaise ?? null,
      triggerPricePaise: request.triggerPricePaise ?? null,
      stopLossPaise: request.stopLossPaise,
      reason: request.reason,
      tsEvent: at,
      tsInit: at,
    });
    this.#account.submit(intent);
    this.submits.push({ intentId: intent.id, at, request });
    return intent.id;
  }

  /** Records the modification (the order itself is not changed). */
  modify(intentId: IntentId, changes: ModifyRequest): void {
    this.modifies.push({ intentId, at: this.now(), changes });
  }

  /** Records the cancellation and moves the order to PENDING_CANCEL; confirm it with cancelled(). */
  cancel(intentId: IntentId, reason: string): void {
    this.cancels.push({ intentId, at: this.now(), reason });
    const order = this.#account.find(intentId);
    if (order !== undefined && !isTerminalStatus(order.status))
      this.#deliver(this.#account.requestCancel(intentId));
  }

  /** Sets (or replaces) the timer `name` on the TestClock; it fires the strategy's onTimer. */
  setTimer(name: string, atMs: number): void {
    this.clock.setTimer(TIMER_PREFIX + name, atMs, () => this.#strategy?.onTimer?.(this, name));
  }

  /** Cancels the timer `name`. */
  cancelTimer(name: string): void {
    this.clock.cancelTimer(TIMER_PREFIX + name);
  }

  // ── Driving the strategy ───────────────────────────────────────────────────────────────────────────

  /** Attaches `strategy` and calls its onStart. */
  start(strategy: Strategy): void {
    this.#strategy = strategy;
    strategy.onStart?.(this);
  }

  /** Calls the strategy's onStop. */
  stop(): void {
    this.#strategy?.onStop?.(this);
  }

  /** Returns the strategy's pending timers (name and time), earliest first. */
  pendingTimers(): readonly { readonly name: string; readonly atMs: number }[] {
    return this.clock
      .pendingTimers()
      .filter((t) => t.name.startsWith(TIMER_PREFIX))
      .map((t) => ({ name: t.name.slice(TIMER_PREFIX.length), atMs: t.atMs }));
  }

  /** Moves the clock to `ms`, firing due timers. */
  advanceTo(ms: number): void {
    this.clock.advanceTo(ms);
  }

  /**
   * Moves the clock to the bar's close (start + interval) if it is not there yet, stores the bar, and delivers it
   * when the strategy subscribed to its instrument and interval; returns whether it was delivered.
   */
  feedBar(bar: Bar): boolean {
    const end = bar.start + intervalMs(bar.interval);
    if (this.clock.now() < end) this.clock.advanceTo(end);
    const key = `${bar.instrumentId}|${bar.interval}`;
    const history = this.#bars.get(key) ?? [];
    history.push(bar);
    this.#bars.set(key, history);
    const subscribed = this.subscriptions.some(
      (s) => s.instrumentId === bar.instrumentId && s.bars.includes(bar.interval),
    );
    if (subscribed) this.#strategy?.onBar?.(this, bar);
    return subscribed;
  }

  /** Feeds the bars in order. */
  feedBars(bars: readonly Bar[]): void {
    for (const bar of bars) this.feedBar(bar);
  }

  /**
   * Moves the clock to `atMs` (default now), stores a tick at `pricePaise` and delivers it when the strategy
   * subscribed to the instrument's ticks; returns whether it was delivered.
   */
  feedTick(instrumentId: InstrumentId, pricePaise: number, atMs: number = this.now()): boolean {
    if (this.clock.now() < atMs) this.clock.advanceTo(atMs);
    const instrument = this.#instruments.get(instrumentId);
    const tick = makeTick({
      token: instrument?.token ?? 1,
      tradable: instrument?.type !== 'INDEX',
      mode: 'ltp',
      lastPricePaise: paise(pricePaise),
      exchangeTs: atMs,
      tsInit: atMs,
    });
    this.#lastTicks.set(instrumentId, tick);
    const subscribed = this.subscriptions.some((s) => s.instrumentId === instrumentId && s.ticks);
    if (subscribed) this.#strategy?.onTick?.(this, { instrumentId, tick });
    return subscribed;
  }

  /** Returns the submit recorded last; throws when there is none. */
  lastSubmit(): RecordedSubmit {
    const last = this.submits[this.submits.length - 1];
    if (last === undefined) throw new Error('the strategy has submitted nothing');
    return last;
  }

  /** Returns the order of an intent; throws when the intent has none (never submitted, or denied). */
  order(intentId: IntentId): Order {
    return this.#account.order(intentId);
  }

  /** The broker acknowledges the order as OPEN (OrderAccepted is delivered). */
  accept(intentId: IntentId): void {
    this.#deliver(this.#account.venueStatus(intentId, 'OPEN', null));
  }

  /**
   * The order fills `qty` (default all that is left) at `pricePaise`: the order, the position and the strategy
   * (OrderAccepted when first acknowledged, OrderFilled) see it.
   */
  fill(intentId: IntentId, pricePaise: number, qty?: number): void {
    if (this.order(intentId).status === 'SUBMITTED') this.accept(intentId);
    this.#deliver(this.#account.fill(intentId, pricePaise, qty));
  }

  /** The risk engine denies the intent: its order disappears and OrderDenied (order null) is delivered. */
  deny(intentId: IntentId, reason: string): void {
    this.#deliver([this.#account.deny(intentId, this.strategyId, reason)]);
  }

  /** The broker rejects the order (OrderRejected is delivered). */
  reject(intentId: IntentId, reason: string): void {
    this.#deliver(this.#account.venueStatus(intentId, 'REJECTED', reason));
  }

  /** The broker cancels what is left of the order (OrderCancelled is delivered). */
  cancelled(intentId: IntentId, reason = 'cancelled'): void {
    this.#deliver(this.#account.venueStatus(intentId, 'CANCELLED', reason));
  }

  /**
   * Someone other than the strategy (platform flatten, square-off, manual trade) trades `qty` of the instrument at
   * `pricePaise`: only the position changes; no order update reaches the strategy.
   */
  externalFill(
    instrumentId: InstrumentId,
    side: 'BUY' | 'SELL',
    qty: number,
    pricePaise: number,
    product: Product = 'MIS',
  ): void {
    this.#account.externalFill(instrumentId, product, side, qty, paise(pricePaise));
  }

  /**
   * Gives the account a position as the platform recovers it after a restart: opened by `openedBy` (default this
   * strategy) with the stop `stopPaise`, while the strategy itself starts with fresh state.
   */
  restorePosition(
    instrumentId: InstrumentId,
    side: 'BUY' | 'SELL',
    qty: number,
    pricePaise: number,
    stopPaise: number | null,
    options: { readonly openedBy?: StrategyId | null; readonly product?: Product } = {},
  ): void {
    this.#account.restorePosition(
      instrumentId,
      options.product ?? 'MIS',
      side,
      qty,
      paise(pricePaise),
      stopPaise === null ? null : paise(stopPaise),
      options.openedBy === undefined ? this.strategyId : options.openedBy,
    );
  }

  /** Closes the position at `pricePaise` as the platform's square-off would (see externalFill). */
  flattenExternally(instrumentId: InstrumentId, pricePaise: number, product: Product = 'MIS'): void {
    const net = this.#account.netQty(instrumentId, product);
    if (net !== 0)
      this.externalFill(instrumentId, net > 0 ? 'SELL' : 'BUY', Math.abs(net), pricePaise, product);
  }

  #deliver(updates: readonly StrategyOrderUpdate[]): void {
    for (const update of updates) {
      this.updates.push(update);
      this.#strategy?.onOrderUpdate?.(this, update);
    }
  }
}
