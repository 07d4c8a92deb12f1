// The kernel (DESIGN.md §3): one ordered inbound stream handled one input at a time. Each input is stamped with
// the clock's time when handled, journaled, then dispatched to the trading core and the strategies; everything it
// causes — awaited trading calls, order updates to strategies, the actions they queue — completes before the next
// input. The tick path stays synchronous unless the trading core returns a promise.
import {
  InvariantError,
  intervalMs,
  type AccountId,
  type Bar,
  type InstrumentId,
  type InstrumentTick,
  type Logger,
  type StrategyId,
  type Tick,
} from '@kitepilot/core';
import type { JournalSink } from '../journal/journal-sink.ts';
import type { TradingCore, TradingTimers } from '../orders/trading-core.ts';
import type { Strategy } from '../sdk/strategy.ts';
import { StrategyActionQueue } from '../strategy-host/strategy-action-queue.ts';
import {
  StrategyHost,
  type HostSubscriptions,
  type HostedStrategyStatus,
} from '../strategy-host/strategy-host.ts';
import { BarHistory } from './bar-history.ts';
import { KernelClock } from './kernel-clock.ts';
import { KernelTimers } from './kernel-timers.ts';
import type { KernelInputWithoutAt, KernelOptions, KernelStats, TimerHandler } from './kernel-options.ts';
import type { KernelInput, KernelInputKind } from './kernel-input.ts';
import type { Bus } from './topics.ts';

type InternalStep = () => Promise<void> | undefined;

const LIVE = 0;
const RECORDED = 1;
const INTERNAL = 2;
const STRATEGY_OWNER = 'strategy:';

function isPromise(value: unknown): value is Promise<void> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** The single ordered event loop shared by backtest, paper and live. */
export class Kernel {
  readonly #accountId: AccountId;
  readonly #clock: KernelClock;
  readonly #bus: Bus;
  readonly #trading: TradingCore;
  readonly #journal: JournalSink | undefined;
  readonly #replay: boolean;
  readonly #log: Logger;
  readonly #host: StrategyHost;
  readonly #queue: StrategyActionQueue;
  readonly #barHistory: BarHistory;
  readonly #lastTicks = new Map<InstrumentId, Tick>();
  // The inbound queue as parallel arrays with a moving head: no wrapper object per input.
  readonly #items: unknown[] = [];
  readonly #flags: number[] = [];
  #head = 0;
  #busy = false;
  #failure: { readonly error: unknown } | null = null;
  #startRequested = false;
  readonly #idleWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  readonly #timers: KernelTimers;
  #stopped = false;
  #ignoredAfterStop = 0;
  readonly #timerOwners = new Map<string, TimerHandler>();
  readonly #counts: Record<KernelInputKind, number> = { tick: 0, bar: 0, execution: 0, timer: 0, command: 0 };
  #queueHighWater = 0;
  #staleBars = 0;

  /** Creates a kernel; nothing runs until inputs are pushed or start() is called. */
  constructor(options: KernelOptions) {
    this.#accountId = options.accountId;
    this.#clock = options.clock instanceof KernelClock ? options.clock : new KernelClock(options.clock);
    this.#bus = options.bus;
    this.#trading = options.trading;
    this.#journal = options.journal;
    this.#replay = options.replay ?? false;
    this.#log = options.logger.child({ component: 'kernel', runId: options.runId });
    this.#barHistory = new BarHistory(options.barHistoryCapacity);
    this.#timers = new KernelTimers(this.#clock, this.#replay, (owner, name) => {
      if (this.#failure !== null) {
        this.#log.warn({ owner, name }, `timer ${owner}:${name} fired after the kernel stopped; ignored`);
        return;
      }
      this.push({ kind: 'timer', owner, name });
    });
    this.#queue = new StrategyActionQueue({
      accountId: options.accountId,
      trading: options.trading,
      signals: options.signals,
      deliver: (strategyId, update) => this.#host.deliverOrderUpdate(strategyId, update),
    });
    this.#host = new StrategyHost({
      accountId: options.accountId,
      runId: options.runId,
      clock: this.#clock,
      ids: options.ids,
      bus: options.bus,
      calendar: options.calendar,
      logger: options.logger,
      instruments: options.instruments,
      trading: options.trading,
      lastTick: (id) => this.#lastTicks.get(id) ?? null,
      bars: (id, interval, count) => this.#barHistory.bars(id, interval, count),
      enqueue: (action) => this.#queue.push(action),
      actionMark: () => this.#queue.mark(),
      discardActionsSince: (mark) => this.#queue.discardSince(mark),
      setTimer: (owner, name, atMs) => this.#timers.set(owner, name, atMs),
      cancelTimer: (owner, name) => this.#timers.cancel(owner, name),
    });
    // Only updates caused while the kernel handles an input reach strategies; those published outside (e.g. by
    // recovery before start) describe the past and are not replayed to them.
    this.#bus.subscribe('order', (update) => {
      if (this.#busy) this.#queue.collect(update);
    });
  }

  /** Returns the kernel clock (reads the handled input's time while one is handled). */
  get clock(): KernelClock {
    return this.#clock;
  }

  /** Returns the bus the kernel publishes on. */
  get bus(): Bus {
    return this.#bus;
  }

  /** Returns the account the kernel trades for. */
  get accountId(): AccountId {
    return this.#accountId;
  }

  /** Adds a strategy; only before start(). */
  addStrategy(strategyId: StrategyId, name: string, strategy: Strategy): void {
    if (this.#startRequested) throw new InvariantError(`strategy ${strategyId} (${name}) added after start`);
    this.#host.add(strategyId, name, strategy);
  }

  /** Calls every strategy's onStart (in the ordered stream) and resolves when the kernel is idle. */
  start(): Promise<void> {
    if (this.#startRequested) throw new InvariantError('kernel started twice');
    this.#startRequested = true;
    this.#enqueue(() => {
      this.#host.start();
      return this.#queue.settle();
    }, INTERNAL);
    return this.idle();
  }

  /** Calls every running strategy's onStop (in the ordered stream) and resolves when the kernel is idle. */
  stop(): Promise<void> {
    this.#enqueue(() => {
      this.#host.stop();
      const settled = this.#queue.settle();
      const finish = (): void => {
        this.#stopped = true;
        this.#timers.cancelAll();
      };
      if (settled === undefined) {
        finish();
        return undefined;
      }
      return settled.then(finish);
    }, INTERNAL);
    return this.idle();
  }

  /** Queues an input; the kernel stamps `at` when it handles it. Throws once the kernel has failed. */
  push(input: KernelInputWithoutAt): void {
    this.#enqueue(input, LIVE);
  }

  /** Queues a recorded input (replay): its recorded `at` is kept. */
  pushRecorded(input: KernelInput): void {
    this.#enqueue(input, RECORDED);
  }

  /** Resolves when the queue is empty and nothing is being handled; rejects once the kernel has failed. */
  idle(): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure.error as Error);
    if (!this.#busy && this.#head >= this.#items.length) return Promise.resolve();
    return new Promise((resolve, reject) => this.#idleWaiters.push({ resolve, reject }));
  }

  /** Returns true while an input is being handled or inputs are queued (false: a push is handled at once). */
  get busy(): boolean {
    return this.#busy;
  }

  /** Returns true once an error stopped the kernel. */
  get failed(): boolean {
    return this.#failure !== null;
  }

  /** Returns the timers the order manager sets: they come back as `timer` inputs with owner `trading`. */
  tradingTimers(): TradingTimers {
    return this.#timers.port('trading');
  }

  /** Registers `onTimer` for timer inputs of `owner` (e.g. `scheduler`) and returns that owner's timers. */
  timerPort(owner: string, onTimer: TimerHandler): TradingTimers {
    if (owner === 'trading' || owner.startsWith(STRATEGY_OWNER) || this.#timerOwners.has(owner)) {
      throw new InvariantError(`timer owner ${owner} is reserved or already registered`);
    }
    this.#timerOwners.set(owner, onTimer);
    return this.#timers.port(owner);
  }

  /** Returns the ticks and bars the running strategies subscribed to. */
  subscriptions(): HostSubscriptions {
    return this.#host.subscriptions();
  }

  /** Returns each strategy's state. */
  strategies(): readonly HostedStrategyStatus[] {
    return this.#host.status();
  }

  /** Returns up to `count` stored closed bars, oldest first. */
  bars(instrumentId: InstrumentId, interval: Bar['interval'], count?: number): readonly Bar[] {
    return this.#barHistory.bars(instrumentId, interval, count);
  }

  /** Returns the counters since creation. */
  stats(): KernelStats {
    return {
      inputs: { ...this.#counts },
      strategies: this.#host.status().length,
      strategiesHalted: this.#host.haltedCount(),
      queueHighWater: this.#queueHighWater,
      queued: this.#items.length - this.#head,
      strategyActions: this.#queue.runCount,
      staleTimers: this.#timers.stale,
      staleBars: this.#staleBars,
      ignoredAfterStop: this.#ignoredAfterStop,
    };
  }

  #enqueue(item: unknown, flag: number): void {
    if (this.#failure !== null) {
      const error = this.#failure.error;
      const message = error instanceof Error ? error.message : String(error);
      throw new InvariantError(`kernel stopped after a failure (${message}); new input refused`, {
        cause: error,
      });
    }
    if (!this.#busy && this.#items.length === 0) {
      // Idle with an empty queue (the common case of a backtest bar): handle at once, without queueing.
      if (this.#queueHighWater === 0) this.#queueHighWater = 1;
      this.#busy = true;
      this.#run(item, flag);
      return;
    }
    this.#items.push(item);
    this.#flags.push(flag);
    const queued = this.#items.length - this.#head;
    if (queued > this.#queueHighWater) this.#queueHighWater = queued;
    if (!this.#busy) this.#drain();
  }

  /** Handles one input while busy; continues with the queue (or goes idle) when it is done. */
  #run(item: unknown, flag: number): void {
    if (this.#step(item, flag)) this.#drain();
  }

  /**
   * Handles one input. Returns true when it finished synchronously; false when a promise continues the drain once
   * it settles, or when the input crashed the kernel.
   */
  #step(item: unknown, flag: number): boolean {
    let pending: Promise<void> | undefined;
    try {
      pending = this.#handle(item, flag);
    } catch (error) {
      this.#crash(error);
      return false;
    }
    if (pending !== undefined) {
      pending.then(
        () => {
          this.#clock.release();
          this.#drain();
        },
        (error: unknown) => this.#crash(error),
      );
      return false;
    }
    this.#clock.release();
    return true;
  }

  #drain(): void {
    this.#busy = true;
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head];
      const flag = this.#flags[this.#head] ?? LIVE;
      this.#items[this.#head] = undefined;
      this.#head++;
      if (!this.#step(item, flag)) return;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items.splice(0, this.#head);
        this.#flags.splice(0, this.#head);
        this.#head = 0;
      }
    }
    if (this.#items.length !== 0) {
      this.#items.length = 0;
      this.#flags.length = 0;
    }
    this.#head = 0;
    this.#busy = false;
    if (this.#idleWaiters.length > 0) for (const waiter of this.#idleWaiters.splice(0)) waiter.resolve();
  }

  #crash(error: unknown): void {
    if (this.#failure !== null) return;
    this.#failure = { error };
    this.#clock.release();
    this.#busy = true;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#log.error({ err: error }, `kernel stopped: ${message}`);
    for (const waiter of this.#idleWaiters.splice(0)) waiter.reject(error);
    try {
      this.#bus.publish('alert', {
        level: 'critical',
        code: 'kernel-stopped',
        message: `the kernel stopped: ${message}`,
        strategyId: null,
        ts: this.#clock.now(),
      });
    } catch (alertError) {
      this.#log.error({ err: alertError }, 'publishing the kernel-stopped alert failed');
    }
  }

  #handle(item: unknown, flag: number): Promise<void> | undefined {
    if (flag === INTERNAL) {
      this.#clock.freeze(this.#clock.base.now());
      return (item as InternalStep)();
    }
    const input = item as KernelInputWithoutAt;
    if (this.#stopped) {
      // After stop() nothing is handled or journaled: the run is over (late ticks, reports, timers are counted).
      this.#ignoredAfterStop++;
      return undefined;
    }
    const at = flag === RECORDED ? (item as KernelInput).at : this.#clock.base.now();
    if (!Number.isSafeInteger(at)) throw new InvariantError(`input ${input.kind} time ${at} is not epoch ms`);
    this.#clock.freeze(at);
    this.#counts[input.kind]++;
    if (this.#journal !== undefined) {
      this.#journal.append(flag === RECORDED ? (item as KernelInput) : ({ ...input, at } as KernelInput));
    }
    switch (input.kind) {
      case 'tick': {
        const instrumentTick = input.tick;
        this.#lastTicks.set(instrumentTick.instrumentId, instrumentTick.tick);
        this.#bus.publish('tick', instrumentTick);
        const result = this.#trading.onTick(instrumentTick);
        if (isPromise(result)) return result.then(() => this.#afterTradingTick(instrumentTick));
        return this.#afterTradingTick(instrumentTick);
      }
      case 'bar':
        return this.#handleBar(input.bar, at);
      case 'execution':
        return this.#afterTrading(this.#trading.onExecutionReport(input.report));
      case 'timer':
        return this.#handleTimer(input.owner, input.name, at);
      case 'command':
        this.#bus.publish('command', input.command);
        return this.#afterTrading(this.#trading.handleCommand(input.command));
    }
  }

  #afterTradingTick(instrumentTick: InstrumentTick): Promise<void> | undefined {
    // Order updates caused by the trading core's tick handling reach strategies before the tick itself.
    const pending = this.#queue.settle();
    if (pending !== undefined) {
      return pending.then(() => {
        this.#host.deliverTick(instrumentTick);
        return this.#queue.settle();
      });
    }
    this.#host.deliverTick(instrumentTick);
    return this.#queue.settle();
  }

  #handleBar(bar: Bar, at: number): Promise<void> | undefined {
    const end = bar.start + intervalMs(bar.interval);
    if (end > at) {
      throw new InvariantError(
        `bar ${bar.instrumentId} ${bar.interval} @${bar.start} closes at ${end}, after the kernel time ${at}: only closed bars may enter`,
      );
    }
    const outcome = this.#barHistory.append(bar);
    if (outcome === 'stale') {
      this.#staleBars++;
      this.#log.warn(
        { instrumentId: bar.instrumentId, interval: bar.interval, start: bar.start },
        `bar ${bar.instrumentId} ${bar.interval} @${bar.start} is older than the newest stored bar; ignored`,
      );
      return undefined;
    }
    // The trading core marks at the bar (where bars are the market) before strategies see it.
    const marked = this.#trading.onBar?.(bar);
    if (isPromise(marked)) return marked.then(() => this.#deliverBar(bar, outcome === 'appended'));
    return this.#deliverBar(bar, outcome === 'appended');
  }

  #deliverBar(bar: Bar, appended: boolean): Promise<void> | undefined {
    this.#bus.publish('bar', bar);
    // A repaired bar replaces the stored one but is not delivered again: strategies see each bar once.
    if (appended) this.#host.deliverBar(bar);
    return this.#queue.settle();
  }

  #handleTimer(owner: string, name: string, at: number): Promise<void> | undefined {
    if (!this.#timers.consume(owner, name, at)) {
      this.#log.debug({ owner, name, at }, `timer ${owner}:${name} is not armed for ${at}; ignored`);
      return undefined;
    }
    if (owner === 'trading') return this.#afterTrading(this.#trading.onTimer(name));
    if (owner.startsWith(STRATEGY_OWNER)) {
      this.#host.deliverTimer(owner.slice(STRATEGY_OWNER.length) as StrategyId, name);
      return this.#queue.settle();
    }
    const handler = this.#timerOwners.get(owner);
    if (handler === undefined) {
      this.#log.warn({ owner, name }, `timer ${owner}:${name} has no registered owner; ignored`);
      return undefined;
    }
    return this.#afterTrading(handler(name));
  }

  #afterTrading(result: Promise<void> | void): Promise<void> | undefined {
    if (isPromise(result)) return result.then(() => this.#queue.settle());
    return this.#queue.settle();
  }
}
