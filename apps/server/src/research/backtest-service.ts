// Runs a BacktestSpec: loads the bars (CSV, Parquet or the store), resolves the instrument (the instruments master
// when a store is open, else the spec's tick and lot size), builds fees, fills, slippage and latency, runs the real
// kernel through runBacktest and, when a store is given, stores the run (`runs` + `backtest_results`).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { NseCalendar } from '@kitepilot/core';
import {
  istDate,
  istToEpochMs,
  makeInstrument,
  paise,
  parseRunId,
  parseStrategyId,
  type AccountId,
  type Instrument,
  type InstrumentId,
  type InstrumentTick,
  type JsonValue,
} from '@kitepilot/core';
import { parseInstrumentSymbol } from '@kitepilot/market-data';
import {
  barSeriesFromBars,
  parseBarCsv,
  parseBarParquet,
  runBacktest,
  runTickBacktest,
  type BacktestResult,
  type BarSeries,
  type BacktestCommonOptions,
} from '@kitepilot/research';
import type { Store } from '@kitepilot/store';
import type { StrategyRegistry } from '@kitepilot/engine';
import {
  BacktestSpecError,
  feeModelOf,
  fillOptionsOf,
  latencyOf,
  slippageOf,
  type BacktestSpec,
} from './backtest-spec.ts';

/** What a backtest needs from its surroundings. */
export interface BacktestServices {
  readonly registry: StrategyRegistry;
  readonly calendar: NseCalendar;
  /** The store to read bars and instruments from and to save the run in; null for a file-only run. */
  readonly store: Store | null;
  readonly accountId: AccountId;
  /** Returns a fresh run id. */
  readonly newRunId: () => string;
}

/** Bars and where they came from. */
export interface LoadedBars {
  readonly series: BarSeries;
  readonly instrumentId: InstrumentId;
  readonly data: Record<string, JsonValue>;
  /** Seconds spent reading and parsing. */
  readonly loadSeconds: number;
}

/** Loads the bars of a spec (not for tick data: see loadTicks). */
export async function loadBars(spec: BacktestSpec, store: Store | null): Promise<LoadedBars> {
  const t0 = performance.now();
  const instrumentId = symbolOf(spec.symbol);
  const interval = spec.interval;
  if (spec.data.kind === 'ticks')
    throw new BacktestSpecError('tick data is loaded with loadTicks, not as bars');
  if (spec.data.kind === 'store') {
    if (store === null)
      throw new BacktestSpecError('backtesting stored bars needs the store (no --data file given)');
    const { from, to } = spec.data;
    const fromMs = istToEpochMs(from, '00:00');
    const toMs = istToEpochMs(to, '00:00') + 86_400_000;
    if (!(fromMs < toMs)) throw new BacktestSpecError(`--from ${from} must not be after --to ${to}`);
    const bars = await store.bars.read('real', instrumentId, spec.data.interval, fromMs, toMs);
    if (bars.length === 0) {
      throw new BacktestSpecError(
        `the store has no ${spec.data.interval} bars of ${instrumentId} from ${from} to ${to}; backfill them first (kitepilot backfill)`,
      );
    }
    return {
      series: barSeriesFromBars(bars),
      instrumentId,
      data: { source: 'store', symbol: instrumentId, interval: spec.data.interval, from, to },
      loadSeconds: (performance.now() - t0) / 1000,
    };
  }
  const { path } = spec.data;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new BacktestSpecError(
      `cannot read --data ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const options = { source: path, ...(interval === undefined ? {} : { interval }) };
  const series =
    spec.data.kind === 'csv'
      ? parseBarCsv(bytes, options)
      : await parseBarParquet(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
          options,
        );
  const first = series.start[0] as number;
  const last = series.start[series.length - 1] as number;
  return {
    series,
    instrumentId,
    data: {
      source: spec.data.kind,
      file: basename(path),
      symbol: instrumentId,
      interval: series.interval,
      from: istDate(first),
      to: istDate(last),
      bars: series.length,
    },
    loadSeconds: (performance.now() - t0) / 1000,
  };
}

/** Recorded ticks of one instrument and where they came from. */
export interface LoadedTicks {
  readonly ticks: readonly InstrumentTick[];
  readonly instrumentId: InstrumentId;
  readonly data: Record<string, JsonValue>;
  readonly loadSeconds: number;
}

/** Loads the recorded ticks of a `ticks` spec from the store. */
export async function loadTicks(spec: BacktestSpec, store: Store | null): Promise<LoadedTicks> {
  const t0 = performance.now();
  if (spec.data.kind !== 'ticks') throw new BacktestSpecError('loadTicks needs tick data (--ticks)');
  if (store === null) throw new BacktestSpecError('backtesting recorded ticks needs the store');
  const { from, to, namespace } = spec.data;
  const instrumentId = symbolOf(spec.data.symbol);
  const fromMs = istToEpochMs(from, '00:00');
  const toMs = istToEpochMs(to, '00:00') + 86_400_000;
  if (!(fromMs < toMs)) throw new BacktestSpecError(`--from ${from} must not be after --to ${to}`);
  const ticks = await store.ticks.read(namespace, instrumentId, fromMs, toMs);
  if (ticks.length === 0) {
    throw new BacktestSpecError(
      `the store has no ${namespace} ticks of ${instrumentId} from ${from} to ${to}; record them first (kitepilot ingest${namespace === 'simulated' ? ' --demo' : ''})`,
    );
  }
  return {
    ticks,
    instrumentId,
    data: { source: 'ticks', namespace, symbol: instrumentId, from, to, ticks: ticks.length },
    loadSeconds: (performance.now() - t0) / 1000,
  };
}

/** Returns the instrument id of a `NSE:INFY` / `INFY.NSE` symbol; refuses others with the accepted forms. */
export function symbolOf(text: string): InstrumentId {
  try {
    return parseInstrumentSymbol(text);
  } catch (error) {
    throw new BacktestSpecError(`--symbol ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
}

/** Returns the instrument: from the instruments master when the store knows it, else an equity with the spec's grid. */
export async function instrumentOf(
  spec: BacktestSpec,
  instrumentId: InstrumentId,
  store: Store | null,
  onDate: string,
): Promise<Instrument> {
  if (store !== null && spec.tickSizeRupees === undefined && spec.lotSize === undefined) {
    const known = await store.instruments.get('real', instrumentId, onDate);
    if (known !== null) return known;
  }
  const dot = instrumentId.lastIndexOf('.');
  const tick = Math.round((spec.tickSizeRupees ?? 0.05) * 100);
  if (!Number.isSafeInteger(tick) || tick <= 0) {
    throw new BacktestSpecError(
      `--tick-size ${spec.tickSizeRupees} must be a positive amount of whole paise`,
    );
  }
  try {
    return makeInstrument({
      exchange: instrumentId.slice(dot + 1) as Instrument['exchange'],
      type: 'EQ',
      tradingSymbol: instrumentId.slice(0, dot),
      name: instrumentId.slice(0, dot),
      token: 1,
      exchangeToken: 1,
      tickSizePaise: paise(tick),
      lotSize: spec.lotSize ?? 1,
      freezeQty: null,
      expiry: null,
      strikePaise: null,
      underlying: null,
    });
  } catch (error) {
    throw new BacktestSpecError(
      `${instrumentId} cannot be backtested as an equity here (${(error as Error).message}); sync the instruments master for derivatives`,
    );
  }
}

/** The options of a spec shared by bar and tick runs (everything but the data and the venue's fill policy). */
async function commonOptions(
  spec: BacktestSpec,
  services: BacktestServices,
  instrumentId: InstrumentId,
  firstMs: number,
  data: Record<string, JsonValue>,
): Promise<Omit<BacktestCommonOptions, 'fill' | 'fillLabel'>> {
  const definition = services.registry.get(spec.strategy);
  const instrument = await instrumentOf(spec, instrumentId, services.store, istDate(firstMs));
  if (!Number.isFinite(spec.cashRupees) || spec.cashRupees <= 0) {
    throw new BacktestSpecError(`--cash ${spec.cashRupees} must be a positive amount of rupees`);
  }
  const lossCap = spec.dailyLossCapRupees;
  return {
    runId: services.newRunId(),
    instrument,
    strategy: definition as never,
    params: spec.params,
    ...(spec.qty === undefined ? {} : { qty: spec.qty }),
    product: spec.product,
    startingCashPaise: Math.round(spec.cashRupees * 100),
    fees: feeModelOf(spec.charges),
    chargesLabel: spec.charges,
    slippageLabel: spec.slippage,
    ...(spec.latencyMs > 0
      ? { latency: latencyOf(spec.latencyMs) as never, latencyLabel: `${spec.latencyMs}ms` }
      : {}),
    ...(lossCap === undefined ? {} : { risk: { dailyLossCapPaise: paise(Math.round(lossCap * 100)) } }),
    referenceCalendar: services.calendar,
    data,
  };
}

/** Runs the spec and, with a store, saves it; returns the result and the seconds spent loading. */
export async function runBacktestSpec(
  spec: BacktestSpec,
  services: BacktestServices,
  loaded?: LoadedBars,
): Promise<{ readonly result: BacktestResult; readonly loadSeconds: number }> {
  if (spec.data.kind === 'ticks') return runTickSpec(spec, services);
  const bars = loaded ?? (await loadBars(spec, services.store));
  const common = await commonOptions(
    spec,
    services,
    bars.instrumentId,
    bars.series.start[0] as number,
    bars.data,
  );
  const result = await runBacktest({
    ...common,
    series: bars.series,
    fill: fillOptionsOf(spec),
    fillLabel: spec.fill,
  });
  if (services.store !== null) await saveBacktest(services.store, services.accountId, result, bars);
  return { result, loadSeconds: bars.loadSeconds };
}

/** Runs a `ticks` spec: recorded ticks, the venue matching on their depth, bars built from them for strategies. */
async function runTickSpec(
  spec: BacktestSpec,
  services: BacktestServices,
): Promise<{ readonly result: BacktestResult; readonly loadSeconds: number }> {
  const loaded = await loadTicks(spec, services.store);
  const first = loaded.ticks[0] as InstrumentTick;
  const last = loaded.ticks[loaded.ticks.length - 1] as InstrumentTick;
  const firstMs = first.tick.exchangeTs ?? first.tick.tsInit;
  const common = await commonOptions(spec, services, loaded.instrumentId, firstMs, loaded.data);
  const slippage = slippageOf(spec.slippage);
  const result = await runTickBacktest({
    ...common,
    ticks: loaded.ticks,
    barIntervals: [spec.interval ?? '1m'],
    fill: slippage === null ? {} : { slippage },
    fillLabel: 'tick',
  });
  if (services.store !== null) {
    await saveBacktest(services.store, services.accountId, result, {
      fromMs: firstMs,
      toMs: (last.tick.exchangeTs ?? last.tick.tsInit) + 1,
    });
  }
  return { result, loadSeconds: loaded.loadSeconds };
}

/** Stores a finished run: its `runs` row (environment backtest) and the full result. */
export async function saveBacktest(
  store: Store,
  accountId: AccountId,
  result: BacktestResult,
  range: Pick<LoadedBars, 'series'> | { readonly fromMs: number; readonly toMs: number },
): Promise<void> {
  const runId = parseRunId(result.runId);
  if ((await store.accounts.get(accountId)) === null) {
    await store.accounts.create({ id: accountId, name: 'default', createdAt: result.startedAtMs });
  }
  await store.runs.create(accountId, {
    id: runId,
    environment: 'backtest',
    strategyId: parseStrategyId('str_backtest'),
    config: result.config as JsonValue,
    startedAt: result.startedAtMs,
  });
  await store.runs.finish(accountId, runId, {
    status: 'completed',
    finishedAt: result.finishedAtMs,
    summary: result.metrics as unknown as JsonValue,
  });
  const [dataFrom, dataTo] =
    'series' in range
      ? [range.series.start[0] as number, (range.series.start[range.series.length - 1] as number) + 1]
      : [range.fromMs, range.toMs];
  await store.backtests.save(accountId, {
    runId,
    strategy: result.strategy,
    params: result.params as JsonValue,
    metrics: result.metrics as unknown as JsonValue,
    result: result as unknown as JsonValue,
    orderListHash: result.orderListHash,
    dataFrom,
    dataTo,
    createdAt: result.finishedAtMs,
  });
}
