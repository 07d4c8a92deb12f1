// The backtest environment (DESIGN.md §3, environment "backtest"): the real kernel — strategy host, RiskEngine,
// OrderManager, Portfolio with the fee model, TradingScheduler with the square-off cutoff — on a TestClock moved by
// the data, with the SimExecutionClient as the venue and an in-memory order store. The runners (run-backtest.ts for
// bars, run-tick-backtest.ts for ticks) feed it in time order; it keeps the trade ledger, the daily and thinned
// equity curves and builds the result.
import { createHash } from 'node:crypto';
import {
  canonicalJson,
  formatIst,
  istDate,
  noopLogger,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  SeededRandom,
  TestClock,
  TimeRandomIdGenerator,
  type FeeModel,
  type Instrument,
  type InstrumentId,
  type JsonValue,
  type NseCalendar,
  type Order,
  type Paise,
} from '@kitepilot/core';
import {
  DefaultRiskEngine,
  DeferredTradingTimers,
  InMemoryOrderStore,
  InProcessBus,
  Kernel,
  KernelClock,
  makeRiskLimits,
  MapInstrumentCatalog,
  OrderManager,
  parseStrategyParams,
  Portfolio,
  TradingScheduler,
  type ParamValue,
  type RiskLimits,
  type StrategyDefinition,
  type StrategyParams,
} from '@kitepilot/engine';
import { SimExecutionClient, type LatencyModel, type SimFillOptions } from '@kitepilot/sim';
import type { BarSeries } from '../bars/bar-series.ts';
import { dataCalendar } from '../bars/data-calendar.ts';
import { computeMetrics } from '../metrics/compute-metrics.ts';
import type { BacktestResult, DailyEquity, EquityPoint } from './backtest-result.ts';
import { TradeLedger } from './trade-ledger.ts';

const IST_OFFSET_MS = 19_800_000;
const DAY_MS = 86_400_000;
/** The account every backtest trades for inside its own kernel (nothing is stored under it). */
export const BACKTEST_ACCOUNT = parseAccountId('acc_backtest');
const STRATEGY_ID = parseStrategyId('str_backtest');

/** What runBacktest takes. */
export interface BacktestOptions {
  readonly runId: string;
  readonly series: BarSeries;
  readonly instrument: Instrument;
  readonly strategy: StrategyDefinition<never>;
  /**
   * Raw strategy parameters (`--param k=v`); `symbol` defaults to the instrument, `qty` and `product` to the
   * options below when the strategy has such parameters.
   */
  readonly params: Readonly<Record<string, string | ParamValue>>;
  readonly qty?: number;
  /** MIS (default): squared off at the cutoff every day; CNC/NRML: held across days. */
  readonly product?: 'MIS' | 'CNC' | 'NRML';
  readonly startingCashPaise: number;
  /** The fee model, or null for no charges; `chargesLabel` names it in the configuration (`zerodha`, `pct:0.03`). */
  readonly fees: FeeModel | null;
  readonly chargesLabel: string;
  /** Venue options: bar fill policy, slippage, limit touch rule, participation cap. */
  readonly fill: SimFillOptions;
  /** A short name of the fill policy and slippage for the configuration (e.g. `next-open`, `bps:5`). */
  readonly fillLabel: string;
  readonly slippageLabel?: string;
  readonly latency?: LatencyModel;
  readonly latencyLabel?: string;
  /** Risk limits beyond the defaults; the daily loss cap defaults to 5 % of the starting cash. */
  readonly risk?: Partial<RiskLimits>;
  /** The square-off cutoff, IST `HH:MM` (default 15:20). */
  readonly squareOffCutoff?: string;
  /** The NSE calendar, to warn about data on its holidays (the data decides what traded). */
  readonly referenceCalendar: NseCalendar;
  /** Where the data came from, for the configuration (path, symbol and range, or store query). */
  readonly data: Readonly<Record<string, JsonValue>>;
  /** At most this many points in the stored equity curve (default 2000). */
  readonly equityPoints?: number;
  /** Seed of the id generator (default 1): runs with equal inputs give equal ids and results. */
  readonly seed?: number;
}

/** The configuration a run is hashed by (everything that changes its result). */
export function backtestConfig(
  options: BacktestCommonOptions,
  params: StrategyParams,
  data: Pick<BacktestDataShape, 'interval' | 'inputs'>,
): Record<string, JsonValue> {
  return {
    data: options.data,
    instrument: {
      id: options.instrument.id,
      tickSizePaise: options.instrument.tickSizePaise,
      lotSize: options.instrument.lotSize,
    },
    interval: data.interval,
    bars: data.inputs,
    strategy: options.strategy.name,
    params: { ...params },
    product: options.product ?? 'MIS',
    startingCashPaise: options.startingCashPaise,
    charges: options.chargesLabel,
    fill: options.fillLabel,
    slippage: options.slippageLabel ?? 'none',
    latency: options.latencyLabel ?? 'none',
    risk: JSON.parse(JSON.stringify(options.risk ?? {})) as JsonValue,
    squareOffCutoff: options.squareOffCutoff ?? '15:20',
    seed: options.seed ?? 1,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Returns the raw parameters with symbol / qty / product filled in where the strategy takes them. */
function strategyParams(options: BacktestCommonOptions): StrategyParams {
  const raw: Record<string, string | ParamValue> = { ...options.params };
  const specs = options.strategy.params;
  if ('symbol' in specs && raw['symbol'] === undefined) raw['symbol'] = options.instrument.id;
  if ('qty' in specs && options.qty !== undefined) raw['qty'] = options.qty;
  if ('product' in specs && options.product !== undefined) raw['product'] = options.product;
  return parseStrategyParams(options.strategy, raw);
}

/** The IST midnight (epoch ms) after the instant `ms`. */
function nextIstMidnight(ms: number): number {
  return Math.floor((ms + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS + DAY_MS;
}

/** The parts of BacktestOptions that do not depend on the kind of data. */
export type BacktestCommonOptions = Omit<BacktestOptions, 'series'>;

/** What the data looks like to the environment: its first instant and its trading days. */
export interface BacktestDataShape {
  /** The first bar start or tick time (epoch ms). */
  readonly firstMs: number;
  /** The IST dates with data, ascending. */
  readonly days: readonly string[];
  /** False for daily bars: no MIS square-off, entries at any hour. */
  readonly intraday: boolean;
  /** How many inputs (bars or ticks) will be handled, to thin the equity curve. */
  readonly inputs: number;
  /** The data's bar interval or `tick`, for the configuration. */
  readonly interval: string;
}

/**
 * One backtest's kernel, venue and books on a TestClock, driven input by input by a runner (bars or ticks). Build
 * with openBacktest, feed with the methods below in time order, then finish.
 */
export interface BacktestEnvironment {
  readonly clock: TestClock;
  readonly kernel: Kernel;
  readonly sim: SimExecutionClient;
  /** Moves the clock to `to`, firing the timers due by then (inclusive) or before it (exclusive), one at a time. */
  advance(to: number, inclusive: boolean): Promise<void>;
  /** Pushes an input into the kernel at the clock's time and waits until it and what it caused are handled. */
  push(input: Parameters<Kernel['push']>[0]): Promise<void>;
  /** Records the end of handling input `index` at `atMs` with the instrument marked at `markPaise`. */
  record(index: number, atMs: number, markPaise: number): void;
  /** Stops the kernel and returns the result (`loopSeconds`: the time of the feeding loop). */
  finish(loopSeconds: number): Promise<BacktestResult>;
}

/** Checks the options, builds the kernel and its ports, starts the strategy and arms the scheduler. */
export async function openBacktest(
  options: BacktestCommonOptions,
  data: BacktestDataShape,
): Promise<BacktestEnvironment> {
  const startedAtMs = Date.now();
  const { instrument } = options;
  const product = options.product ?? 'MIS';
  if (product === 'MIS' && !data.intraday) {
    throw new RangeError('MIS squares off every day at the cutoff: it needs intraday bars, not 1d (use CNC)');
  }
  const params = strategyParams(options);
  // A fee model that cannot price the first day (rates not tabled that far back) is refused now, not mid-run.
  if (options.fees !== null) {
    try {
      options.fees.charges({
        tradeDate: istDate(data.firstMs),
        exchange: instrument.exchange,
        segment:
          instrument.type === 'EQ' ? 'equity-intraday' : instrument.type === 'FUT' ? 'futures' : 'options',
        orders: [],
      });
    } catch (error) {
      throw new RangeError(
        `charges ${options.chargesLabel} cannot price this data: ${(error as Error).message} (use --charges pct:X or none)`,
      );
    }
  }
  const config = backtestConfig(options, params, data);
  const configHash = sha256(canonicalJson(config));
  const { calendar, warnings: calendarWarnings } = dataCalendar(data.days, options.referenceCalendar);
  const warnings = [...calendarWarnings];

  const clock = new TestClock(nextIstMidnight(data.firstMs) - DAY_MS);
  const kernelClock = new KernelClock(clock);
  const ids = new TimeRandomIdGenerator(kernelClock, new SeededRandom(options.seed ?? 1));
  const runId = parseRunId(options.runId);
  const accountId = BACKTEST_ACCOUNT;
  const catalog = new MapInstrumentCatalog([instrument]);
  const lookup = (id: InstrumentId): Instrument | null => catalog.byId(id);
  const bus = new InProcessBus(noopLogger);
  const store = new InMemoryOrderStore({ keepOrderEvents: false });
  const portfolio = new Portfolio({
    accountId,
    clock: kernelClock,
    instrument: lookup,
    ...(options.fees === null ? {} : { feeModel: options.fees }),
    startingCashPaise: paise(options.startingCashPaise),
  });
  const sim = new SimExecutionClient({
    clock: kernelClock,
    instrument: lookup,
    fill: options.fill,
    rawReports: false,
    ...(options.latency === undefined ? {} : { latency: options.latency }),
  });
  const limits = makeRiskLimits({
    dailyLossCapPaise: paise(Math.floor(options.startingCashPaise / 20)),
    // Daily bars close at midnight IST: entries are decided then.
    ...(data.intraday ? {} : { entryWindow: { start: '00:00', end: '23:59' } }),
    ...options.risk,
  });
  const timers = new DeferredTradingTimers();
  const orders = new OrderManager({
    accountId,
    runId,
    clock: kernelClock,
    ids,
    bus,
    store,
    risk: new DefaultRiskEngine(limits),
    execution: sim,
    instrument: lookup,
    calendar,
    portfolio,
    timers,
    logger: noopLogger,
    markOnBars: data.interval !== 'tick',
  });
  const kernel = new Kernel({
    accountId,
    runId,
    clock: kernelClock,
    ids,
    bus,
    trading: orders,
    instruments: catalog,
    calendar,
    logger: noopLogger,
    signals: store,
  });
  timers.bind(kernel.tradingTimers());
  sim.setHandler((report) => kernel.push({ kind: 'execution', report }));
  const scheduler = data.intraday
    ? new TradingScheduler({
        clock: kernelClock,
        calendar,
        accountId,
        kernel,
        preflight: [],
        squareOff: { cutoff: options.squareOffCutoff ?? '15:20', product: 'MIS' },
        logger: noopLogger,
      })
    : null;

  const ledger = new TradeLedger(options.startingCashPaise);
  let inputIndex = 0;
  let chargesSeen = 0;
  let denials = 0;
  const halts: string[] = [];
  bus.subscribe('fill', (fill) => {
    const total = portfolio.chargesTotalPaise();
    const charge = total - chargesSeen;
    chargesSeen = total;
    ledger.onFill(fill, charge, options.strategy.name, inputIndex);
  });
  bus.subscribe('risk-decision', (d) => {
    if (d.decision === 'deny') denials++;
  });
  bus.subscribe('strategy-halted', (h) => halts.push(`${h.handler}: ${h.error}`));

  await orders.recover();
  kernel.addStrategy(STRATEGY_ID, options.strategy.name, options.strategy.create(params as never));
  await kernel.start();
  scheduler?.arm(clock.now());

  const advance = async (to: number, inclusive: boolean): Promise<void> => {
    const limit = inclusive ? to : to - 1;
    for (;;) {
      const next = clock.nextTimerAtMs();
      if (next === null || next > limit) break;
      clock.advanceTo(Math.max(next, clock.now()));
      if (kernel.busy) await kernel.idle();
    }
    if (inclusive) clock.advanceTo(Math.max(to, clock.now()));
    else clock.advanceBefore(Math.max(to, clock.now()));
  };

  const daily: DailyEquity[] = [];
  const every = Math.max(1, Math.ceil(data.inputs / (options.equityPoints ?? 2000)));
  const equity: EquityPoint[] = [];
  let dayEnd = nextIstMidnight(data.firstMs);
  let lastEquity = options.startingCashPaise;
  let lastAt = data.firstMs;
  let inMarket = 0;
  let recorded = 0;

  return {
    clock,
    kernel,
    sim,
    advance,
    push: async (input) => {
      kernel.push(input);
      if (kernel.busy) await kernel.idle();
    },
    record: (index, atMs, markPaise) => {
      inputIndex = index + 1;
      if (atMs >= dayEnd) {
        daily.push({ date: istDate(dayEnd - DAY_MS), equityPaise: lastEquity });
        dayEnd = nextIstMidnight(atMs - 1);
      }
      ledger.mark(instrument.id, markPaise);
      lastEquity = ledger.equityPaise();
      lastAt = atMs;
      recorded++;
      if (ledger.inMarket) inMarket++;
      if (index % every === 0 || index === data.inputs - 1) equity.push({ atMs, equityPaise: lastEquity });
    },
    finish: async (loopSeconds) => {
      daily.push({ date: istDate(Math.max(lastAt - 1, dayEnd - DAY_MS)), equityPaise: lastEquity });
      await kernel.stop();
      for (const p of ledger.openPositions()) {
        warnings.push(
          `a position of ${p.netQty} (${p.key}) is still open at the end of the data; it is marked at ₹${(p.markPaise / 100).toFixed(2)} in the final equity and is not in the trade list`,
        );
      }
      for (const h of halts) warnings.push(`the strategy halted: ${h}`);
      const allOrders = store.orders(accountId);
      const totals = ledger.totals();
      const metrics = computeMetrics({
        startingCashPaise: options.startingCashPaise,
        daily,
        trades: ledger.trades,
        chargesPaise: totals.chargesPaise,
        tradedValuePaise: totals.tradedValuePaise,
        bars: recorded,
        barsInMarket: inMarket,
      });
      return {
        runId,
        strategy: options.strategy.name,
        params: { ...params },
        configHash,
        config,
        metrics,
        finalEquityPaise: lastEquity,
        trades: ledger.trades,
        daily,
        equity,
        counts: {
          bars: recorded,
          orders: allOrders.length,
          fills: totals.fills,
          denials,
          rejections: allOrders.filter((o) => o.status === 'REJECTED').length,
        },
        orderListHash: orderListHash(allOrders),
        warnings,
        startedAtMs,
        finishedAtMs: Date.now(),
        barsPerSecond: loopSeconds > 0 ? Math.round(recorded / loopSeconds) : 0,
      };
    },
  };
}

/**
 * Returns the SHA-256 of the canonical order list: for every order in creation order, its time (IST), side,
 * quantity, type, product, prices, final status, filled quantity and filled value. Equal trading gives an equal hash.
 */
export function orderListHash(orders: readonly Order[]): string {
  const list = [...orders]
    .sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : 1))
    .map((o) => [
      formatIst(o.createdAt),
      o.instrumentId,
      o.side,
      o.qty,
      o.orderType,
      o.product,
      o.limitPricePaise,
      o.triggerPricePaise,
      o.status,
      o.filledQty,
      o.filledValuePaise as Paise,
    ]);
  return sha256(canonicalJson(list as JsonValue));
}
