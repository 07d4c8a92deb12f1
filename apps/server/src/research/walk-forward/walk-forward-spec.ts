// A walk-forward study as a person asks for it (CLI flags, API body) and as the store keeps it. The request is
// checked into a WalkForwardSpec: the backtest settings every run shares (a BacktestSpec), the parameter search, the
// windows and the objective. The stored configuration adds what was resolved when the study started — the
// instrument, a fingerprint of the bars, the windows and the candidates — so that a resume repeats exactly the
// same work on the same data, and refuses other data.
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { WalkForwardRequestBody } from '@kitepilot/api-contract';
import type { Instrument, InstrumentId, JsonValue } from '@kitepilot/core';
import { parseStrategyParams, type StrategyDefinition } from '@kitepilot/engine';
import type { BarSeries } from '@kitepilot/research';
import { intervalOf, type BacktestData, type BacktestSpec } from '../backtest-spec.ts';
import {
  checkWindowOptions,
  DEFAULT_MAX_CANDIDATES,
  gridCandidates,
  objectiveOf,
  randomCandidates,
  type Objective,
  type ParamGrid,
  type ParamRange,
  type ParamSet,
  type WalkForwardWindow,
  type WindowOptions,
} from './walk-forward-research.ts';

/** A walk-forward request that cannot run as given; the message names the field and the value. */
export class WalkForwardSpecError extends Error {
  override readonly name = 'WalkForwardSpecError';
}

/** How candidates are made. */
export type WalkForwardSearch =
  | { readonly kind: 'grid'; readonly grid: ParamGrid; readonly maxCandidates: number }
  | {
      readonly kind: 'random';
      readonly count: number;
      readonly seed: number;
      readonly ranges: Readonly<Record<string, ParamRange>>;
      readonly choices: ParamGrid;
      readonly maxCandidates: number;
    };

/** A checked walk-forward request. */
export interface WalkForwardSpec {
  /** The settings of every backtest of the study; `params` are the fixed (not searched) parameters. */
  readonly backtest: BacktestSpec;
  /** Stored bars come from the simulated namespace. */
  readonly simulated: boolean;
  readonly search: WalkForwardSearch;
  readonly windows: Required<WindowOptions>;
  readonly objective: Objective;
}

/** The configuration a study is stored with (its `config` JSON). */
export interface StudyConfig {
  readonly version: 1;
  readonly spec: WalkForwardSpec;
  readonly instrument: Instrument;
  /** Where the bars came from (file, symbol, range, namespace). */
  readonly data: Readonly<Record<string, JsonValue>>;
  /** sha256 of the bars (interval and every column): a resume refuses other data. */
  readonly dataFingerprint: string;
  readonly windows: readonly WalkForwardWindow[];
  readonly candidates: readonly ParamSet[];
}

/** The defaults of the backtest settings (as `kitepilot backtest`). */
export const WALK_FORWARD_DEFAULTS = {
  product: 'MIS',
  cashRupees: 1_000_000,
  charges: 'zerodha',
  fill: 'next-open',
  slippage: 'none',
  latencyMs: 0,
  seed: 1,
} as const;

function dataOf(body: WalkForwardRequestBody): BacktestData {
  const data = body.data;
  if (typeof data === 'string') {
    const path = isAbsolute(data) ? data : resolve(data);
    return data.toLowerCase().endsWith('.parquet') ? { kind: 'parquet', path } : { kind: 'csv', path };
  }
  if (data.kind === 'store') {
    if (data.from === undefined || data.to === undefined) {
      throw new WalkForwardSpecError('data: stored bars need from and to (IST dates YYYY-MM-DD)');
    }
    for (const [name, value] of [
      ['from', data.from],
      ['to', data.to],
    ] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        throw new WalkForwardSpecError(`data.${name} ${JSON.stringify(value)} is not an IST date YYYY-MM-DD`);
      }
    }
    return {
      kind: 'store',
      symbol: body.symbol,
      interval: intervalOf(data.interval ?? body.interval ?? '1m'),
      from: data.from,
      to: data.to,
    };
  }
  if (data.path === undefined) throw new WalkForwardSpecError(`data: a ${data.kind} file needs its path`);
  return { kind: data.kind, path: isAbsolute(data.path) ? data.path : resolve(data.path) };
}

function searchOf(body: WalkForwardRequestBody): WalkForwardSearch {
  const maxCandidates = body.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const grid = body.grid ?? {};
  const ranges = body.ranges ?? {};
  if (body.random === undefined) {
    if (Object.keys(ranges).length > 0) {
      throw new WalkForwardSpecError(
        'ranges are drawn from by a random search: give random (how many sets) too',
      );
    }
    if (body.seed !== undefined)
      throw new WalkForwardSpecError('seed is for a random search: give random too');
    if (Object.keys(grid).length === 0) {
      throw new WalkForwardSpecError(
        'nothing to search: give grid (values per parameter) or random with ranges',
      );
    }
    return { kind: 'grid', grid, maxCandidates };
  }
  return {
    kind: 'random',
    count: body.random,
    seed: body.seed ?? WALK_FORWARD_DEFAULTS.seed,
    ranges,
    choices: grid,
    maxCandidates,
  };
}

/** Returns the checked spec of a request (API body or CLI flags), defaults applied. */
export function walkForwardSpecOf(body: WalkForwardRequestBody): WalkForwardSpec {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body.params ?? {})) params[name] = String(value);
  const backtest: BacktestSpec = {
    data: dataOf(body),
    symbol: body.symbol,
    ...(body.interval === undefined || typeof body.data !== 'string'
      ? {}
      : { interval: intervalOf(body.interval) }),
    strategy: body.strategy,
    params,
    ...(body.qty === undefined ? {} : { qty: body.qty }),
    product: body.product ?? WALK_FORWARD_DEFAULTS.product,
    cashRupees: body.cashRupees ?? WALK_FORWARD_DEFAULTS.cashRupees,
    charges: body.charges ?? WALK_FORWARD_DEFAULTS.charges,
    fill: body.fill ?? WALK_FORWARD_DEFAULTS.fill,
    slippage: body.slippage ?? WALK_FORWARD_DEFAULTS.slippage,
    latencyMs: body.latencyMs ?? WALK_FORWARD_DEFAULTS.latencyMs,
    ...(body.tickSizeRupees === undefined ? {} : { tickSizeRupees: body.tickSizeRupees }),
    ...(body.lotSize === undefined ? {} : { lotSize: body.lotSize }),
    ...(body.dailyLossCapRupees === undefined ? {} : { dailyLossCapRupees: body.dailyLossCapRupees }),
  };
  if (!Number.isFinite(backtest.cashRupees) || backtest.cashRupees <= 0) {
    throw new WalkForwardSpecError(`cashRupees ${backtest.cashRupees} must be a positive amount of rupees`);
  }
  const search = searchOf(body);
  const searched =
    search.kind === 'grid'
      ? Object.keys(search.grid)
      : [...Object.keys(search.ranges), ...Object.keys(search.choices)];
  const both = searched.filter((name) => Object.hasOwn(params, name));
  if (both.length > 0) {
    throw new WalkForwardSpecError(
      `parameter ${both.join(', ')} is both fixed (params) and searched; give it once`,
    );
  }
  if (body.simulated === true && backtest.data.kind !== 'store') {
    throw new WalkForwardSpecError(
      'simulated reads stored bars: it needs data { kind: "store", … }, not a file',
    );
  }
  return {
    backtest,
    simulated: body.simulated === true,
    search,
    windows: checkWindowOptions({
      trainDays: body.trainDays,
      testDays: body.testDays,
      ...(body.stepDays === undefined ? {} : { stepDays: body.stepDays }),
      anchored: body.anchored ?? false,
    }),
    objective: objectiveOf(body.objective),
  };
}

/** Returns the candidates of a search, in their deterministic order. */
export function candidatesOf(search: WalkForwardSearch): ParamSet[] {
  if (search.kind === 'grid') return gridCandidates(search.grid, search.maxCandidates);
  return randomCandidates({
    ranges: search.ranges,
    choices: search.choices,
    count: search.count,
    seed: search.seed,
    maxCandidates: search.maxCandidates,
  });
}

/** Returns the raw parameters of one run: the fixed ones, the candidate's, and symbol / qty / product where taken. */
export function runParams(
  spec: BacktestSpec,
  candidate: ParamSet,
): Record<string, string | number | boolean> {
  return { ...spec.params, ...candidate };
}

/**
 * Throws WalkForwardSpecError naming the first candidate the strategy refuses (a value out of its bounds, an
 * unknown parameter), so that a typo fails the request instead of every backtest.
 */
export function checkCandidates(
  definition: Pick<StrategyDefinition, 'name' | 'params'>,
  spec: BacktestSpec,
  instrumentId: InstrumentId,
  candidates: readonly ParamSet[],
): void {
  const specs = definition.params;
  candidates.forEach((candidate, i) => {
    const raw: Record<string, string | number | boolean> = runParams(spec, candidate);
    if ('symbol' in specs && raw['symbol'] === undefined) raw['symbol'] = instrumentId;
    if ('qty' in specs && spec.qty !== undefined) raw['qty'] = spec.qty;
    if ('product' in specs) raw['product'] = spec.product;
    try {
      parseStrategyParams(definition, raw);
    } catch (error) {
      throw new WalkForwardSpecError(
        `candidate ${i} (${describeParams(candidate)}): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  });
}

/** Returns `fast=5 slow=30` for a parameter set, names sorted. */
export function describeParams(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join(' ');
}

/** Returns the sha256 of a series' interval, length and columns. */
export function barsFingerprint(series: BarSeries): string {
  const hash = createHash('sha256').update(
    `${series.interval}:${series.length}:${series.oi === null ? 'no-oi' : 'oi'}`,
  );
  const columns = [series.start, series.open, series.high, series.low, series.close, series.volume];
  if (series.oi !== null) columns.push(series.oi);
  for (const column of columns)
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  return hash.digest('hex');
}

/** Returns the configuration as JSON (undefined fields dropped, as the store requires). */
export function studyConfigJson(config: StudyConfig): JsonValue {
  return JSON.parse(JSON.stringify(config)) as JsonValue;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the configuration of a stored study; throws WalkForwardSpecError when it is not one this code wrote. */
export function studyConfigOf(id: string, json: JsonValue): StudyConfig {
  const ok =
    isObject(json) &&
    json['version'] === 1 &&
    isObject(json['spec']) &&
    isObject(json['instrument']) &&
    typeof json['dataFingerprint'] === 'string' &&
    Array.isArray(json['windows']) &&
    Array.isArray(json['candidates']) &&
    json['candidates'].length > 0;
  if (!ok) {
    throw new WalkForwardSpecError(
      `walk-forward study ${id} has no configuration this version can read (expected version 1 with spec, ` +
        'instrument, dataFingerprint, windows and candidates)',
    );
  }
  return json as unknown as StudyConfig;
}
