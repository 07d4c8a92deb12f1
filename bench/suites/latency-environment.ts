// The paper trading environment of the latency benchmark, wired as apps/server's startTradingEnvironment wires paper
// mode: one KernelClock over a live clock, Kernel, OrderManager with DefaultRiskEngine, Portfolio with Zerodha
// charges, SimExecutionClient fed from the bus `tick` topic with its reports pushed back into the kernel — but with
// an InMemoryOrderStore, no scheduler, a silent logger and, when asked, the journal encoded into a string sink.
// Measurement hooks wrap the ports without changing what they do: the execution client's submit, and the trading
// core's entry points (to know whether the input being handled is a tick).
import {
  noopLogger,
  parseAccountId,
  parseStrategyId,
  SeededRandom,
  TimeRandomIdGenerator,
  type AccountId,
  type Clock,
  type ExecutionClient,
  type Instrument,
  type InstrumentId,
  type NseCalendar,
  type Order,
  type OrderIntent,
  type Paise,
} from '@kitepilot/core';
import {
  DefaultRiskEngine,
  DeferredTradingTimers,
  encodeKernelInput,
  InMemoryOrderStore,
  InProcessBus,
  Kernel,
  KernelClock,
  MapInstrumentCatalog,
  OrderManager,
  Portfolio,
  type Bus,
  type KernelInput,
  type MonitorAction,
  type RiskEngine,
  type RiskLimits,
  type RiskSnapshot,
  type Strategy,
  type TradingCore,
} from '@kitepilot/engine';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import { SimExecutionClient } from '@kitepilot/sim';

const NO_RECENT_ORDERS: readonly number[] = [];

/**
 * The real DefaultRiskEngine with the rolling-second order count hidden from it: every check runs, but the SEBI
 * 10 orders/s limit (makeRiskLimits refuses more) never denies, so that orders flow at the benchmark's rate.
 */
export class UnthrottledRiskEngine implements RiskEngine {
  readonly #inner: RiskEngine;

  /** Wraps `inner`. */
  constructor(inner: RiskEngine) {
    this.#inner = inner;
  }

  /** Decides with an empty list of orders sent in the last second. */
  check(intent: OrderIntent, snapshot: RiskSnapshot): ReturnType<RiskEngine['check']> {
    return this.#inner.check(intent, { ...snapshot, recentOrderTimesMs: NO_RECENT_ORDERS });
  }

  /** Runs the inner monitor. */
  monitor(snapshot: RiskSnapshot): MonitorAction {
    return this.#inner.monitor(snapshot);
  }

  /** Runs the inner per-tick monitor. */
  monitorPnl(pnlPaise: Paise): MonitorAction {
    return this.#inner.monitorPnl(pnlPaise);
  }
}

/** A journal sink that encodes every input as the JSONL journal does and joins lines in batches of 256. */
export class StringJournalSink {
  readonly #batch: string[] = [];
  #lines = 0;
  #chars = 0;

  /** Encodes one handled input. */
  append(input: KernelInput): void {
    this.#batch.push(encodeKernelInput(input));
    if (this.#batch.length >= 256) this.flush();
  }

  /** Joins the buffered lines as one write would (and drops them). */
  flush(): void {
    if (this.#batch.length === 0) return;
    this.#chars += `${this.#batch.join('\n')}\n`.length;
    this.#lines += this.#batch.length;
    this.#batch.length = 0;
  }

  /** Returns the lines and characters written so far. */
  written(): { readonly lines: number; readonly chars: number } {
    return { lines: this.#lines, chars: this.#chars };
  }
}

/** Calls the hooks get while the environment runs. */
export interface LatencyHooks {
  /** The kernel started handling a tick input (called before any other subscriber of the `tick` topic). */
  onTick(): void;
  /** The execution client's submit was called with `order`. */
  onSubmit(order: Order): void;
  /** The kernel started handling an input that is not a tick (execution report, timer, command). */
  onOtherInput(): void;
}

/** What buildLatencyEnvironment takes. */
export interface LatencyEnvironmentOptions {
  readonly clock: Clock;
  readonly calendar: NseCalendar;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly { readonly id: string; readonly strategy: Strategy }[];
  readonly limits: RiskLimits;
  /** Keep the SEBI orders-per-second check in force (else UnthrottledRiskEngine). */
  readonly sebiRateLimit: boolean;
  readonly startingCashPaise: Paise;
  /** Encode every input to a StringJournalSink. */
  readonly journal: boolean;
  readonly seed: number;
  readonly hooks: LatencyHooks;
}

/** A started paper environment. */
export interface LatencyEnvironment {
  readonly accountId: AccountId;
  readonly kernel: Kernel;
  readonly bus: Bus;
  readonly orders: OrderManager;
  readonly sim: SimExecutionClient;
  readonly journal: StringJournalSink | null;
}

/** Returns a TradingCore that reports non-tick inputs to `hooks` and otherwise is `inner`. */
function observedTradingCore(inner: OrderManager, hooks: LatencyHooks): TradingCore {
  return {
    submit: (intent, origin) => inner.submit(intent, origin),
    modify: (accountId, intentId, changes) => inner.modify(accountId, intentId, changes),
    cancel: (accountId, intentId, reason) => inner.cancel(accountId, intentId, reason),
    onExecutionReport: (report) => {
      hooks.onOtherInput();
      return inner.onExecutionReport(report);
    },
    onTick: (tick) => inner.onTick(tick),
    onTimer: (name) => {
      hooks.onOtherInput();
      return inner.onTimer(name);
    },
    handleCommand: (command) => {
      hooks.onOtherInput();
      return inner.handleCommand(command);
    },
    position: (accountId, instrumentId, product) => inner.position(accountId, instrumentId, product),
    openOrders: (accountId, strategyId, instrumentId) =>
      instrumentId === undefined
        ? inner.openOrders(accountId, strategyId)
        : inner.openOrders(accountId, strategyId, instrumentId),
    controls: () => inner.controls(),
  };
}

/** Builds the environment, recovers the (empty) store, adds the strategies and starts the kernel. */
export async function buildLatencyEnvironment(
  options: LatencyEnvironmentOptions,
): Promise<LatencyEnvironment> {
  const { hooks } = options;
  const accountId = parseAccountId('acc_bench');
  const kernelClock = new KernelClock(options.clock);
  const ids = new TimeRandomIdGenerator(kernelClock, new SeededRandom(options.seed));
  const runId = new TimeRandomIdGenerator(options.clock, new SeededRandom(options.seed + 1)).next('run');
  const catalog = new MapInstrumentCatalog(options.instruments);
  const instrument = (id: InstrumentId): Instrument | null => catalog.byId(id);
  const bus = new InProcessBus(noopLogger);
  const store = new InMemoryOrderStore();
  const portfolio = new Portfolio({
    accountId,
    clock: kernelClock,
    instrument,
    feeModel: new ZerodhaFeeModel(),
    startingCashPaise: options.startingCashPaise,
  });
  const sim = new SimExecutionClient({ clock: kernelClock, instrument });
  const execution: ExecutionClient = {
    setHandler: (handler) => sim.setHandler(handler),
    submit: (order) => {
      hooks.onSubmit(order);
      sim.submit(order);
    },
    modify: (command, order) => sim.modify(command, order),
    cancel: (command, order) => sim.cancel(command, order),
  };
  const risk = new DefaultRiskEngine(options.limits);
  const timers = new DeferredTradingTimers();
  const orders = new OrderManager({
    accountId,
    runId,
    clock: kernelClock,
    ids,
    bus,
    store,
    risk: options.sebiRateLimit ? risk : new UnthrottledRiskEngine(risk),
    execution,
    instrument,
    calendar: options.calendar,
    portfolio,
    timers,
    logger: noopLogger,
    manualAck: false,
  });
  const journal = options.journal ? new StringJournalSink() : null;
  const kernel = new Kernel({
    accountId,
    runId,
    clock: kernelClock,
    ids,
    bus,
    trading: observedTradingCore(orders, hooks),
    instruments: catalog,
    calendar: options.calendar,
    logger: noopLogger,
    signals: store,
    ...(journal === null ? {} : { journal }),
  });
  timers.bind(kernel.tradingTimers());
  execution.setHandler((report) => kernel.push({ kind: 'execution', report }));
  bus.subscribe('tick', () => hooks.onTick());
  bus.subscribe('tick', (t) => sim.onTick(t.instrumentId, t.tick));
  await orders.recover();
  for (const s of options.strategies) kernel.addStrategy(parseStrategyId(s.id), 'latency-bench', s.strategy);
  await kernel.start();
  return { accountId, kernel, bus, orders, sim, journal };
}
