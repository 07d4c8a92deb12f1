// The composition of one trading environment (DESIGN.md §3): the same kernel, risk engine, order manager and
// portfolio for paper and live; only the execution client differs. Paper trades the SimExecutionClient, fed by the
// kernel's own ticks; live trades the broker. Everything is stored under a run with its configuration snapshot, and
// every kernel input is journaled to <dataDir>/journal/<runId>.jsonl so the day can be replayed.
import type { Logger as PinoLogger } from 'pino';
import {
  formatIst,
  istDate,
  parseAccountId,
  parseStrategyId,
  paiseToRupeesString,
  rupeesToPaise,
  SeededRandom,
  TimeRandomIdGenerator,
  type AccountId,
  type Bar,
  type Clock,
  type ExecutionClient,
  type FeeModel,
  type Instrument,
  type InstrumentId,
  type JsonValue,
  type Logger,
  type NseCalendar,
  type RunId,
  type StrategyId,
  type Tick,
} from '@kitepilot/core';
import {
  DefaultRiskEngine,
  encodeKernelInput,
  InProcessBus,
  Kernel,
  KernelClock,
  MapInstrumentCatalog,
  OrderManager,
  parseStrategyParams,
  Portfolio,
  TradingScheduler,
  type Alert,
  type Bus,
  type OperatorCommand,
  type PreflightCheck,
  type RiskLimits,
  type SchedulerStatus,
  type TradingControls,
  type TradingStats,
} from '@kitepilot/engine';
import { FixedLatency, SimExecutionClient } from '@kitepilot/sim';
import { SqlAuditRepository, type Store } from '@kitepilot/store';
import { AuditSink } from '../audit/audit-sink.ts';
import { subscribeTradingAudit } from '../audit/trading-audit.ts';
import type { Config } from '../config/config-schema.ts';
import { builtinStrategies } from './builtin-strategies.ts';
import { journalFilePath, JsonlJournalFile } from './journal-file.ts';
import { riskLimitsFromConfig } from './risk-limits-from-config.ts';
import { SqlOrderStore } from './sql-order-store.ts';
import { TradingSummaryCollector, type TradingSummary } from './trading-summary.ts';

/** One strategy to run: a built-in name and its parameters (strings from the command line, or typed from TOML). */
export interface StrategySpec {
  readonly name: string;
  readonly id?: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/** What startTradingEnvironment takes. */
export interface TradingEnvironmentOptions {
  readonly mode: 'paper' | 'live';
  /** True when the market is the simulator's (demo): everything is flagged simulated. */
  readonly simulated: boolean;
  readonly store: Store;
  readonly config: Config;
  readonly calendar: NseCalendar;
  /** The market clock (the simulated clock in demo mode). */
  readonly clock: Clock;
  readonly logger: PinoLogger;
  /** The instruments master in force (tradable and watch-only). */
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly StrategySpec[];
  /** The broker's execution client; paper mode builds a SimExecutionClient when absent. */
  readonly execution?: ExecutionClient;
  /** Where the journal goes (`<dataDir>/journal`); null keeps no journal. */
  readonly dataDir: string | null;
  /** Checks besides the built-in ones (trading day, instruments, risk profile, square-off armed). */
  readonly preflight?: readonly PreflightCheck[];
  readonly feeModel?: FeeModel;
  /** The account traded (default `[trading] account`); the demo trades its own simulated account. */
  readonly accountId?: AccountId;
  /**
   * Runs after the order manager recovered the stored state and before the strategies start: live trading
   * reconciles with the broker here (pushing the plan's reports into the kernel) so that no new order goes out first.
   */
  readonly beforeStart?: (parts: { readonly kernel: Kernel; readonly orders: OrderManager }) => Promise<void>;
  /** Seed of the id generator (recorded in the run so a replay makes the same ids); default from the clock. */
  readonly seed?: number;
}

/** A running trading environment. */
export interface TradingEnvironment {
  readonly mode: 'paper' | 'live';
  readonly simulated: boolean;
  readonly accountId: AccountId;
  readonly runId: RunId;
  readonly journalPath: string | null;
  readonly kernel: Kernel;
  readonly orders: OrderManager;
  readonly portfolio: Portfolio;
  readonly scheduler: TradingScheduler;
  readonly bus: Bus;
  readonly limits: RiskLimits;
  /** Writes this environment's audit records (order events, risk decisions, commands, alerts) in order. */
  readonly audit: AuditSink;
  /** The strategies run, with their parsed parameters. */
  readonly strategies: readonly { readonly id: StrategyId; readonly name: string }[];
  /** Feeds an accepted tick (from the ingest service) into the kernel. */
  onTick(instrumentId: InstrumentId, tick: Tick): void;
  /** Feeds a closed bar into the kernel. */
  onBar(bar: Bar): void;
  /** Pushes an operator command and resolves when the kernel has handled it. */
  command(command: OperatorCommand): Promise<void>;
  controls(): TradingControls;
  schedulerStatus(): SchedulerStatus;
  stats(): TradingStats;
  summary(): TradingSummary;
  /** Stops the strategies, waits for the kernel, closes the journal, finishes the run; returns the summary. */
  close(status?: 'completed' | 'failed' | 'aborted'): Promise<TradingSummary>;
}

/** Returns the strategy id of a spec: its `id`, else `str_` + the name without dashes + its position. */
export function strategyIdOf(spec: StrategySpec, index: number): StrategyId {
  if (spec.id !== undefined) return parseStrategyId(spec.id);
  return parseStrategyId(`str_${spec.name.replace(/[^0-9A-Za-z]/g, '')}${index + 1}`);
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/**
 * Builds and starts a trading environment: stores the run, recovers the account's open orders, positions and
 * controls, arms the scheduler (pre-flight, square-off, end of day) and starts the strategies. Throws on a bad
 * strategy name or parameter before anything is stored.
 */
export async function startTradingEnvironment(
  options: TradingEnvironmentOptions,
): Promise<TradingEnvironment> {
  const { store, config, calendar, logger } = options;
  const log = logger.child({ component: 'trading', mode: options.mode, simulated: options.simulated });
  const registry = builtinStrategies();
  const planned = options.strategies.map((spec, i) => {
    const definition = registry.get(spec.name);
    const params = parseStrategyParams(definition, spec.params);
    return { id: strategyIdOf(spec, i), name: definition.name, definition, params };
  });
  const ids = new Set<string>();
  for (const p of planned) {
    if (ids.has(p.id)) throw new RangeError(`strategy id ${p.id} is used twice`);
    ids.add(p.id);
  }
  const limits = riskLimitsFromConfig(config.risk);
  const accountId = options.accountId ?? parseAccountId(config.trading.account);
  if ((await store.accounts.get(accountId)) === null) {
    const name = options.simulated ? 'demo (simulated market)' : 'default';
    await store.accounts.create({ id: accountId, name, createdAt: options.clock.now() });
  }

  const kernelClock = new KernelClock(options.clock);
  const seed = options.seed ?? options.clock.now() % 2 ** 31;
  // The kernel's ids come from their own seeded generator so that a replay of the journal makes the same ones; the
  // run id is drawn from another, which the replay does not need.
  const idGenerator = new TimeRandomIdGenerator(kernelClock, new SeededRandom(seed));
  const runId = new TimeRandomIdGenerator(options.clock, new SeededRandom(seed + 1)).next('run');
  const startedAt = options.clock.now();
  await store.runs.create(accountId, {
    id: runId,
    environment: options.mode,
    strategyId: planned[0]?.id ?? parseStrategyId('str_system'),
    config: toJson({
      mode: options.mode,
      simulated: options.simulated,
      seed,
      strategies: planned.map((p) => ({ id: p.id, name: p.name, params: p.params })),
      risk: config.risk,
      trading: { ...config.trading, strategies: undefined },
    }),
    startedAt,
  });

  const catalog = new MapInstrumentCatalog(options.instruments);
  const instrument = (id: InstrumentId): Instrument | null => catalog.byId(id);
  const bus = new InProcessBus(log as unknown as Logger);
  const orderStore = new SqlOrderStore(store);
  const portfolio = new Portfolio({
    accountId,
    clock: kernelClock,
    instrument,
    ...(options.feeModel === undefined ? {} : { feeModel: options.feeModel }),
    ...(options.mode === 'paper'
      ? { startingCashPaise: rupeesToPaise(config.trading.paperStartingCash, 'half-up') }
      : {}),
  });
  const execution =
    options.execution ??
    new SimExecutionClient({
      clock: kernelClock,
      instrument,
      ...(config.trading.paperLatencyMs > 0
        ? { latency: new FixedLatency(config.trading.paperLatencyMs) }
        : {}),
    });
  const sim = execution instanceof SimExecutionClient ? execution : null;
  let kernelRef: Kernel | null = null;
  const kernelOf = (): Kernel => {
    if (kernelRef === null) throw new Error('trading timers used before the kernel exists');
    return kernelRef;
  };
  const orders = new OrderManager({
    accountId,
    runId,
    clock: kernelClock,
    ids: idGenerator,
    bus,
    store: orderStore,
    risk: new DefaultRiskEngine(limits),
    execution,
    instrument,
    calendar,
    portfolio,
    timers: {
      set: (name, atMs) => kernelOf().tradingTimers().set(name, atMs),
      cancel: (name) => kernelOf().tradingTimers().cancel(name),
    },
    logger: log as unknown as Logger,
    squareOff: {
      limitOffsetTicks: config.trading.squareOffLimitOffsetTicks,
      timeoutMs: config.trading.squareOffTimeoutSeconds * 1000,
    },
    manualAck: options.mode === 'live' && config.trading.manualAcknowledgement,
  });

  let journal: JsonlJournalFile | null = null;
  let journalPath: string | null = null;
  if (options.dataDir !== null) {
    journalPath = journalFilePath(options.dataDir, runId);
    journal = await JsonlJournalFile.open(journalPath, {
      clock: options.clock,
      onError: (error) => log.error({ err: error, journalPath }, 'journal write failed'),
    });
  }
  const journalFile = journal;
  const kernel = new Kernel({
    accountId,
    runId,
    clock: kernelClock,
    ids: idGenerator,
    bus,
    trading: orders,
    instruments: catalog,
    calendar,
    logger: log as unknown as Logger,
    signals: orderStore,
    ...(journalFile === null
      ? {}
      : { journal: { append: (input) => journalFile.append(encodeKernelInput(input)) } }),
  });
  kernelRef = kernel;
  execution.setHandler((report) => kernel.push({ kind: 'execution', report }));
  if (sim !== null) bus.subscribe('tick', (t) => sim.onTick(t.instrumentId, t.tick));

  const summary = new TradingSummaryCollector(bus);
  // Audit records go through one sink: appended in kernel order, never blocking the kernel, failures alerted.
  const auditSink = new AuditSink({
    appender: new SqlAuditRepository(store.driver),
    logger: log,
    alert: (level, code, message) =>
      bus.publish('alert', { level, code, message, strategyId: null, ts: options.clock.now() }),
  });
  const audit = (kind: string, actor: string, payload: JsonValue): void =>
    auditSink.enqueue({ accountId, ts: options.clock.now(), kind, actor, payload });
  subscribeTradingAudit(bus, auditSink, { accountId, runId });
  bus.subscribe('alert', (alert: Alert) => {
    const line = { code: alert.code, strategyId: alert.strategyId, at: formatIst(alert.ts) };
    if (alert.level === 'critical') log.error(line, alert.message);
    else if (alert.level === 'warning') log.warn(line, alert.message);
    else log.info(line, alert.message);
    audit(`trading.alert.${alert.code}`, alert.strategyId ?? 'system', toJson({ ...alert, runId }));
  });
  bus.subscribe('controls', (controls) =>
    audit('trading.controls', 'system', toJson({ ...controls, runId })),
  );
  bus.subscribe('command', (command) =>
    audit('trading.command', command.actor, toJson({ ...command, runId })),
  );

  await orders.recover();
  for (const p of planned) kernel.addStrategy(p.id, p.name, p.definition.create(p.params));
  await options.beforeStart?.({ kernel, orders });
  await kernel.idle();

  const checks: PreflightCheck[] = [
    {
      name: 'trading day',
      run: async () => {
        const day = istDate(kernelClock.now());
        if (calendar.isTradingDay(day)) return { ok: true, detail: `${day} is an NSE trading day` };
        const holiday = calendar.holidayName(day);
        return { ok: false, detail: `${day} is not a trading day${holiday === null ? '' : ` (${holiday})`}` };
      },
    },
    {
      name: 'instruments synced',
      run: async () => ({
        ok: catalog.all().length > 0,
        detail: `${catalog.all().length} instruments in the master`,
      }),
    },
    {
      name: 'risk profile loaded',
      run: async () => ({
        ok: true,
        detail: `daily loss cap ₹${paiseToRupeesString(limits.dailyLossCapPaise)}, ${limits.maxOrdersPerSecond} orders/s`,
      }),
    },
    {
      name: 'square-off armed',
      run: async () => {
        const next = scheduler.status().nextCutoff;
        return next === null
          ? { ok: false, detail: 'no square-off cutoff is armed' }
          : { ok: true, detail: `square-off at ${formatIst(next)}` };
      },
    },
    ...(options.preflight ?? []),
  ];
  const scheduler = new TradingScheduler({
    clock: kernelClock,
    calendar,
    accountId,
    kernel,
    preflight: checks,
    squareOff: { cutoff: config.trading.squareOffCutoff, product: 'MIS' },
    controls: () => orders.controls(),
    logger: log as unknown as Logger,
  });
  await kernel.start();
  scheduler.arm(kernelClock.now());
  await scheduler.idle();
  await kernel.idle();
  audit(
    'trading.started',
    'system',
    toJson({ runId, mode: options.mode, simulated: options.simulated, journalPath }),
  );
  log.warn(
    { runId, strategies: planned.map((p) => `${p.name} (${p.id})`), journalPath },
    options.mode === 'live' ? 'LIVE trading started: orders go to the broker' : 'paper trading started',
  );

  let closed: Promise<TradingSummary> | null = null;
  return {
    mode: options.mode,
    simulated: options.simulated,
    accountId,
    runId,
    journalPath,
    kernel,
    orders,
    portfolio,
    scheduler,
    bus,
    limits,
    audit: auditSink,
    strategies: planned.map((p) => ({ id: p.id, name: p.name })),
    onTick: (instrumentId, tick) => kernel.push({ kind: 'tick', tick: { instrumentId, tick } }),
    onBar: (bar) => kernel.push({ kind: 'bar', bar }),
    command: async (command) => {
      kernel.push({ kind: 'command', command });
      await kernel.idle();
    },
    controls: () => orders.controls(),
    schedulerStatus: () => scheduler.status(),
    stats: () => orders.stats(),
    summary: () => summary.summary(portfolio, orders.stats(), kernel),
    close: (status = 'completed') => {
      closed ??= (async () => {
        await kernel.stop();
        const result = summary.summary(portfolio, orders.stats(), kernel);
        await journalFile?.close();
        await store.runs.finish(accountId, runId, {
          status,
          finishedAt: options.clock.now(),
          summary: toJson(result),
        });
        audit('trading.stopped', 'system', toJson({ runId, status }));
        await auditSink.close();
        return result;
      })();
      return closed;
    },
  };
}
