// Backtest runs of the configured account over the API: `GET /api/backtests` (newest first, with the runs queued,
// running, failed or aborted), `GET /api/backtests/:runId` (the stored result), `…/:runId/report` (the HTML report),
// `GET /api/backtests/compare?ids=…` (rows or HTML), `POST /api/backtests` (start a run: 202 and its id) and
// `DELETE /api/backtests/:runId`.
//
// A started run gets its `runs` row (status running, config `{ startedBy: 'api', spec }`) before the answer; runs
// execute one at a time in the order they were posted (a POST while one runs is queued, up to MAX_QUEUED), each in a
// worker thread so that a long backtest does not stall this process's event loop (the API, postbacks, a trading
// kernel). The worker runs the backtest service unchanged against a store whose calls it forwards to this thread;
// the run becomes `completed` only once its result is stored, else `failed` (or `aborted`) with `{ error }` as its
// summary. A run this server was working on when it stopped is marked aborted at the next start.
import { randomInt } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, extname, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  BACKTEST_DATA_FIELDS,
  BACKTEST_REQUEST_FIELDS,
  BacktestComparisonSchema,
  BacktestCompareQuerySchema,
  BacktestDeletedSchema,
  BacktestListQuerySchema,
  BacktestListResponseSchema,
  BacktestRequestSchema,
  BacktestResultSchema,
  BacktestRunParamsSchema,
  BacktestStartedSchema,
  type BacktestCompareQuery,
  type BacktestComparisonBody,
  type BacktestDeleted,
  type BacktestKeyMetrics,
  type BacktestListQuery,
  type BacktestRequestBody,
  type BacktestRowBody,
  type BacktestRunParams,
  type BacktestStarted,
  type BacktestStatus,
} from '@kitepilot/api-contract';
import {
  formatIst,
  InvalidIdError,
  NseCalendar,
  paise,
  paiseToRupeesString,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  SeededRandom,
  TimeRandomIdGenerator,
  type AccountId,
  type BacktestResultSummary,
  type JsonValue,
  type RunId,
} from '@kitepilot/core';
import { StrategyConfigError, type StrategyRegistry } from '@kitepilot/engine';
import {
  compareResults,
  renderComparisonHtml,
  renderHtmlReport,
  type BacktestMetrics,
  type BacktestResult,
} from '@kitepilot/research';
import type { Store } from '@kitepilot/store';
import type { Config } from '../../config/config-schema.ts';
import { runBacktestSpec, symbolOf } from '../../research/backtest-service.ts';
import {
  BacktestSpecError,
  feeModelOf,
  fillOptionsOf,
  intervalOf,
  latencyOf,
  type BacktestData,
  type BacktestSpec,
} from '../../research/backtest-spec.ts';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';

/** How many posted runs may wait behind the running one; one more POST answers 503. */
export const MAX_QUEUED = 20;
/** How many of the account's most recent runs the list looks through for runs without a result. */
const RUN_SCAN = 1000;
const DEFAULT_LIMIT = 50;
const MAX_COMPARED = 20;
const DEFAULT_CASH_RUPEES = 10_00_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BACKTEST_STRATEGY_ID = parseStrategyId('str_backtest');

/** A request the client can fix: `field` names the body or query field at fault and starts the message. */
export class BacktestRequestError extends Error {
  override readonly name = 'BacktestRequestError';
  readonly field: string;

  /** Creates the error; the message reads `${field} ${detail}`. */
  constructor(field: string, detail: string, options?: ErrorOptions) {
    super(`${field} ${detail}`, options);
    this.field = field;
  }
}

// The backtest service names CLI flags in its messages; over the API they name the body fields.
const FIELD_OF_FLAG: Readonly<Record<string, string>> = {
  '--data': 'data.path',
  '--symbol': 'symbol',
  '--interval': 'interval',
  '--from': 'data.from',
  '--to': 'data.to',
  '--charges': 'charges',
  '--fill': 'fill',
  '--slippage': 'slippage',
  '--latency-ms': 'latencyMs',
  '--tick-size': 'tickSizeRupees',
  '--lot-size': 'lotSize',
  '--cash': 'cashRupees',
  '--daily-loss-cap': 'dailyLossCapRupees',
  '--qty': 'qty',
  '--product': 'product',
};

/** Returns a backtest service message with its `--flag` names replaced by the body fields they stand for. */
export function apiMessage(message: string): string {
  return message.replace(/--[a-z]+(-[a-z]+)*/g, (flag) => FIELD_OF_FLAG[flag] ?? flag);
}

/** Returns the names of the body's fields (and of its `data` object's) the contract does not know. */
export function unknownRequestFields(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const known = new Set<string>(BACKTEST_REQUEST_FIELDS);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  const data = (body as { data?: unknown }).data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const dataKnown = new Set<string>(BACKTEST_DATA_FIELDS);
    unknown.push(
      ...Object.keys(data)
        .filter((k) => !dataKnown.has(k))
        .map((k) => `data.${k}`),
    );
  }
  return unknown;
}

function fileKind(path: string): 'csv' | 'parquet' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw new BacktestRequestError('data.path', `${JSON.stringify(path)} must end in .csv or .parquet`);
}

function checkedInterval(field: string, text: string) {
  try {
    return intervalOf(text);
  } catch (error) {
    throw new BacktestRequestError(field, apiMessage((error as Error).message).replace(/^interval /, ''), {
      cause: error,
    });
  }
}

function checkedSymbol(field: string, text: string): string {
  try {
    return symbolOf(text);
  } catch (error) {
    throw new BacktestRequestError(field, apiMessage((error as Error).message).replace(/^symbol /, ''), {
      cause: error,
    });
  }
}

/** Returns the symbol a bar file stands for when the body gives none: `NSE:` and the file name in capitals. */
function symbolOfFile(path: string): string {
  const stem = basename(path, extname(path))
    .toUpperCase()
    .replace(/[^A-Z0-9&-]/g, '');
  if (stem === '') throw new BacktestRequestError('symbol', `is required: cannot tell it from ${path}`);
  return `NSE:${stem}`;
}

/** Returns the BacktestSpec of a POST body (defaults as `kitepilot backtest`); throws BacktestRequestError. */
export function backtestSpecOf(body: BacktestRequestBody): BacktestSpec {
  const interval = body.interval === undefined ? undefined : checkedInterval('interval', body.interval);
  const raw = typeof body.data === 'string' ? { kind: fileKind(body.data), path: body.data } : body.data;
  let data: BacktestData;
  let symbol: string;
  if (raw.kind === 'store') {
    if (raw.path !== undefined)
      throw new BacktestRequestError('data.path', 'is only for csv or parquet data');
    const given = raw.symbol ?? body.symbol;
    if (given === undefined) throw new BacktestRequestError('data.symbol', 'is required for stored bars');
    symbol = checkedSymbol(raw.symbol === undefined ? 'symbol' : 'data.symbol', given);
    if (
      raw.symbol !== undefined &&
      body.symbol !== undefined &&
      checkedSymbol('symbol', body.symbol) !== symbol
    ) {
      throw new BacktestRequestError('symbol', `${body.symbol} differs from data.symbol ${raw.symbol}`);
    }
    const dataInterval =
      raw.interval === undefined ? undefined : checkedInterval('data.interval', raw.interval);
    if (dataInterval !== undefined && interval !== undefined && dataInterval !== interval) {
      throw new BacktestRequestError('interval', `${interval} differs from data.interval ${dataInterval}`);
    }
    const range: Record<'from' | 'to', string> = { from: '', to: '' };
    for (const field of ['from', 'to'] as const) {
      const value = raw[field];
      if (value === undefined) throw new BacktestRequestError(`data.${field}`, 'is required for stored bars');
      if (!DATE.test(value)) {
        throw new BacktestRequestError(
          `data.${field}`,
          `${JSON.stringify(value)} must be an IST date YYYY-MM-DD`,
        );
      }
      range[field] = value;
    }
    if (range.from > range.to) {
      throw new BacktestRequestError('data.from', `${range.from} must not be after data.to ${range.to}`);
    }
    data = {
      kind: 'store',
      symbol,
      interval: dataInterval ?? interval ?? '1m',
      from: range.from,
      to: range.to,
    };
  } else {
    for (const field of ['symbol', 'interval', 'from', 'to'] as const) {
      if (raw[field] !== undefined) {
        throw new BacktestRequestError(
          `data.${field}`,
          field === 'symbol' || field === 'interval'
            ? `is only for stored bars; give ${field} beside data for a file`
            : 'is only for stored bars; a file is its whole range',
        );
      }
    }
    const path = raw.path;
    if (path === undefined) throw new BacktestRequestError('data.path', `is required for ${raw.kind} data`);
    if (!isAbsolute(path)) {
      throw new BacktestRequestError(
        'data.path',
        `${JSON.stringify(path)} must be an absolute path on the server`,
      );
    }
    if (fileKind(path) !== raw.kind) {
      throw new BacktestRequestError('data.path', `${JSON.stringify(path)} is not a ${raw.kind} file`);
    }
    symbol = checkedSymbol('symbol', body.symbol ?? symbolOfFile(path));
    data = { kind: raw.kind, path };
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.params ?? {})) params[k] = String(v);
  return {
    data,
    symbol,
    ...(interval === undefined ? {} : { interval }),
    strategy: body.strategy,
    params,
    ...(body.qty === undefined ? {} : { qty: body.qty }),
    product: body.product ?? 'MIS',
    cashRupees: body.cashRupees ?? DEFAULT_CASH_RUPEES,
    charges: body.charges ?? 'zerodha',
    fill: body.fill ?? 'next-open',
    slippage: body.slippage ?? 'none',
    latencyMs: body.latencyMs ?? 0,
    ...(body.tickSizeRupees === undefined ? {} : { tickSizeRupees: body.tickSizeRupees }),
    ...(body.lotSize === undefined ? {} : { lotSize: body.lotSize }),
    ...(body.dailyLossCapRupees === undefined ? {} : { dailyLossCapRupees: body.dailyLossCapRupees }),
  };
}

function fieldOfMessage(message: string): string {
  const first = message.split(' ', 1)[0] ?? '';
  return /^[a-zA-Z.]+$/.test(first) ? first : 'body';
}

/**
 * Checks what can be checked before a run starts: charges, fill, slippage, latency, the strategy and its parameters
 * (as the run will see them), and that a bar file is readable. Throws BacktestRequestError naming the field.
 */
export async function checkBacktestSpec(spec: BacktestSpec, registry: StrategyRegistry): Promise<void> {
  try {
    feeModelOf(spec.charges);
    fillOptionsOf(spec);
    latencyOf(spec.latencyMs);
  } catch (error) {
    if (!(error instanceof BacktestSpecError)) throw error;
    const message = apiMessage(error.message);
    const field = fieldOfMessage(message);
    throw new BacktestRequestError(field, message.slice(field.length + 1), { cause: error });
  }
  if (!registry.has(spec.strategy)) {
    const known = registry.list().map((d) => d.name);
    throw new BacktestRequestError(
      'strategy',
      `${JSON.stringify(spec.strategy)} is not a known strategy (known: ${known.join(', ')})`,
    );
  }
  // The parameters the run will parse: symbol, qty and product filled in as the backtester does.
  const definition = registry.get(spec.strategy);
  const raw: Record<string, string | number> = { ...spec.params };
  if ('symbol' in definition.params && raw['symbol'] === undefined) raw['symbol'] = spec.symbol;
  if ('qty' in definition.params && spec.qty !== undefined) raw['qty'] = spec.qty;
  if ('product' in definition.params) raw['product'] = spec.product;
  try {
    registry.create(spec.strategy, raw);
  } catch (error) {
    if (!(error instanceof StrategyConfigError)) throw error;
    throw new BacktestRequestError('params', `of ${spec.strategy}: ${error.message}`, { cause: error });
  }
  if (spec.data.kind === 'csv' || spec.data.kind === 'parquet') {
    try {
      await access(spec.data.path, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new BacktestRequestError(
        'data.path',
        `${spec.data.path} cannot be read on the server (${code})`,
        {
          cause: error,
        },
      );
    }
  }
}

// ---- The list ----

interface ConfigFacts {
  readonly strategy: string | null;
  readonly params: Record<string, unknown> | null;
  readonly symbol: string | null;
  readonly interval: string | null;
}

function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Returns what a backtest run's stored config says about it: the API's `{ startedBy: 'api', spec }` or a result's
 * config (`strategy`, `params`, `instrument.id`, `interval`).
 */
export function configFacts(config: JsonValue | null): ConfigFacts {
  const root = objectOf(config);
  const spec = root?.['startedBy'] === 'api' ? objectOf(root['spec']) : null;
  if (spec !== null) {
    const data = objectOf(spec['data']);
    return {
      strategy: stringOf(spec['strategy']),
      params: objectOf(spec['params']),
      symbol: stringOf(spec['symbol']),
      interval: stringOf(spec['interval']) ?? stringOf(data?.['interval']),
    };
  }
  return {
    strategy: stringOf(root?.['strategy']),
    params: objectOf(root?.['params']),
    symbol: stringOf(objectOf(root?.['instrument'])?.['id']),
    interval: stringOf(root?.['interval']),
  };
}

/** Returns the key figures of a run's metrics. */
export function keyMetrics(metrics: BacktestMetrics): BacktestKeyMetrics {
  return {
    startingCashPaise: metrics.startingCashPaise,
    finalEquityPaise: metrics.finalEquityPaise,
    netPnlPaise: metrics.netPnlPaise,
    netPnl: paiseToRupeesString(paise(Math.round(metrics.netPnlPaise))),
    totalReturnPct: metrics.totalReturnPct,
    sharpe: metrics.sharpe,
    maxDrawdownPct: metrics.maxDrawdownPct,
    trades: metrics.trades,
    winRatePct: metrics.winRatePct,
    profitFactor: metrics.profitFactor,
    chargesPaise: metrics.chargesPaise,
  };
}

const istOrNull = (ms: number | null): string | null => (ms === null ? null : formatIst(ms));

/** What the route knows about runs it works on: `queued` or `running` by run id. */
export type LiveStatus = (runId: string) => 'queued' | 'running' | null;

/**
 * Returns the account's backtest runs, newest first (by finish, else start): the stored results (at most `limit`,
 * of `strategy` when given) and the runs without a result among the account's RUN_SCAN most recent runs (queued,
 * running, failed, aborted). A completed run whose result was deleted is not listed.
 */
export async function listBacktestRows(
  store: Store,
  account: AccountId,
  query: { readonly limit: number; readonly strategy?: string },
  live: LiveStatus,
): Promise<BacktestRowBody[]> {
  const results: BacktestResultSummary[] = await store.backtests.list(account, {
    limit: query.limit,
    ...(query.strategy === undefined ? {} : { strategy: query.strategy }),
  });
  const runs = (await store.runs.listRecent(account, RUN_SCAN)).filter((r) => r.environment === 'backtest');
  const runById = new Map(runs.map((r) => [r.id as string, r]));
  const withResult = new Set(results.map((r) => r.runId as string));
  const rows: { readonly at: number; readonly row: BacktestRowBody }[] = [];
  for (const summary of results) {
    const run = runById.get(summary.runId) ?? (await store.runs.get(account, summary.runId));
    const facts = configFacts(run?.config ?? null);
    rows.push({
      at: summary.createdAt,
      row: {
        runId: summary.runId,
        // A run this server still works on (its result stored, its row not yet finished) is not completed yet.
        status: live(summary.runId) ?? 'completed',
        strategy: summary.strategy,
        params: objectOf(summary.params) ?? {},
        symbol: facts.symbol,
        interval: facts.interval,
        dataFrom: istOrNull(summary.dataFrom),
        dataTo: summary.dataTo === null ? null : formatIst(summary.dataTo - 1),
        metrics: keyMetrics(summary.metrics as unknown as BacktestMetrics),
        error: null,
        startedAt: run === null ? null : formatIst(run.startedAt),
        finishedAt: formatIst(summary.createdAt),
      },
    });
  }
  for (const run of runs) {
    if (run.status === 'completed' || withResult.has(run.id)) continue;
    const facts = configFacts(run.config);
    if (query.strategy !== undefined && facts.strategy !== query.strategy) continue;
    const status: BacktestStatus = run.status === 'running' ? (live(run.id) ?? 'running') : run.status;
    rows.push({
      at: run.finishedAt ?? run.startedAt,
      row: {
        runId: run.id,
        status,
        strategy: facts.strategy ?? '',
        params: facts.params ?? {},
        symbol: facts.symbol,
        interval: facts.interval,
        dataFrom: null,
        dataTo: null,
        metrics: null,
        error: stringOf(objectOf(run.summary)?.['error']),
        startedAt: formatIst(run.startedAt),
        finishedAt: istOrNull(run.finishedAt),
      },
    });
  }
  rows.sort((a, b) => b.at - a.at || (a.row.runId < b.row.runId ? 1 : a.row.runId > b.row.runId ? -1 : 0));
  return rows.slice(0, query.limit).map((r) => r.row);
}

// ---- Running in a worker thread ----

/** What a backtest worker gets: the run, its spec and the calendar overrides. */
export interface BacktestWorkerJob {
  readonly runId: string;
  readonly accountId: AccountId;
  readonly spec: BacktestSpec;
  readonly calendar: Pick<Config['calendar'], 'addHolidays' | 'removeHolidays'>;
}

type WorkerMessage =
  | {
      readonly type: 'call';
      readonly id: number;
      readonly repo: string;
      readonly method: string;
      readonly args: unknown[];
    }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };

type ReplyMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: false;
      readonly name: string;
      readonly message: string;
    };

/** The store repositories a backtest worker may call through this thread. */
const WORKER_REPOSITORIES = new Set(['accounts', 'instruments', 'bars', 'runs', 'backtests']);

/** Returns a Store whose repository calls are posted to the thread that owns the real store. */
function forwardingStore(port: MessagePort): Store {
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  port.on('message', (message: ReplyMessage) => {
    const call = calls.get(message.id);
    if (call === undefined) return;
    calls.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(Object.assign(new Error(message.message), { name: message.name }));
  });
  const repository = (repo: string): object =>
    new Proxy(
      {},
      {
        get: (_target, method) =>
          typeof method !== 'string' || method === 'then'
            ? undefined
            : (...args: unknown[]) =>
                new Promise((resolve, reject) => {
                  const id = next++;
                  calls.set(id, { resolve, reject });
                  port.postMessage({ type: 'call', id, repo, method, args } satisfies WorkerMessage);
                }),
      },
    );
  return new Proxy(
    {},
    { get: (_target, repo) => (typeof repo !== 'string' || repo === 'then' ? undefined : repository(repo)) },
  ) as Store;
}

/** Runs one backtest inside a worker thread, its store calls forwarded through `port`; reports done or failed. */
export async function runBacktestWorker(port: MessagePort, job: BacktestWorkerJob): Promise<void> {
  try {
    await runBacktestSpec(job.spec, {
      registry: builtinStrategies(),
      calendar: new NseCalendar({
        holidays: job.calendar.addHolidays,
        removeHolidays: job.calendar.removeHolidays,
      }),
      store: forwardingStore(port),
      accountId: job.accountId,
      newRunId: () => job.runId,
    });
    port.postMessage({ type: 'done' } satisfies WorkerMessage);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ type: 'failed', name: e.name, message: e.message } satisfies WorkerMessage);
  }
}

// The worker's entry, a CommonJS script: tsx's loader is registered in the worker first, because on Node 20 a
// worker does not inherit the module hooks of the thread that started it, and this module is TypeScript.
const WORKER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsxApiUrl);
  register();
  const { runBacktestWorker } = await import(workerData.moduleUrl);
  await runBacktestWorker(parentPort, workerData.job);
})().catch((error) => {
  parentPort.postMessage({ type: 'failed', name: 'WorkerStartError', message: 'the backtest worker could not start: ' + (error && error.message) });
});
`;

let tsxApi: string | null = null;

/** Returns the file URL of tsx's ESM API (`tsx/esm/api`, import condition). */
function tsxApiUrl(): string {
  if (tsxApi !== null) return tsxApi;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require('tsx/package.json') as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = manifest.exports?.['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (file === undefined) throw new Error(`${manifestPath} exports no ESM tsx/esm/api entry`);
  tsxApi = new URL(file, pathToFileURL(manifestPath)).href;
  return tsxApi;
}

/** How a worker run ended. */
type WorkerOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string };

type RunOutcome = Parameters<Store['runs']['finish']>[2];

/** One posted run. */
interface Job {
  readonly runId: RunId;
  readonly spec: BacktestSpec;
  state: 'queued' | 'running';
  /** Stops the worker of a running job, which then ends aborted with `reason`. */
  stop: ((reason: string) => void) | null;
  /** The outcome the service asked to store for the run; applied once its result is stored. */
  completed: RunOutcome | null;
  /** True once the worker stored the run's result. */
  saved: boolean;
  readonly inflight: Set<Promise<unknown>>;
  readonly finished: Promise<void>;
  readonly settle: () => void;
}

function newJob(runId: RunId, spec: BacktestSpec): Job {
  let settle = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return {
    runId,
    spec,
    state: 'queued',
    stop: null,
    completed: null,
    saved: false,
    inflight: new Set(),
    finished,
    settle,
  };
}

// ---- Routes ----

const JSON_ERRORS = { 400: { $ref: 'ErrorBody#' }, 404: { $ref: 'ErrorBody#' } } as const;
// Documents the HTML answers; Fastify serializes only JSON answers by schema, so the page is sent as it is.
const HTML_PAGE = { type: 'string', description: 'a self-contained HTML page (text/html)' } as const;

/** A run id or name the API does not know. */
class BacktestNotFoundError extends Error {
  override readonly name = 'BacktestNotFoundError';
  readonly details: unknown;

  constructor(message: string, details: unknown = null) {
    super(message);
    this.details = details;
  }
}

/**
 * Registers the backtest routes (see the file header). Runs are stored under the configured trading account.
 * Closing the app stops the running backtest and the queued ones (marked aborted) and waits for them.
 */
export function registerBacktestRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const log = ctx.logger.child({ component: 'backtests' });
  const registry = builtinStrategies();
  const ids = new TimeRandomIdGenerator(ctx.clock, new SeededRandom(randomInt(2 ** 31)));
  const account = parseAccountId(ctx.config.trading.account);
  const queue: Job[] = [];
  let active: Job | null = null;
  let closing = false;

  const live: LiveStatus = (runId) => {
    if (active?.runId === runId) return 'running';
    return queue.some((j) => j.runId === runId) ? 'queued' : null;
  };

  const finishRun = async (runId: RunId, outcome: RunOutcome): Promise<void> => {
    try {
      await ctx.store.runs.finish(account, runId, outcome);
    } catch (error) {
      log.error({ err: error, runId }, 'could not record the end of a backtest run');
    }
  };

  const answerCall = async (job: Job, call: Extract<WorkerMessage, { type: 'call' }>): Promise<unknown> => {
    if (
      call.repo === 'runs' &&
      call.method === 'create' &&
      (call.args[1] as { id?: string })?.id === job.runId
    ) {
      // The row was created in status running when the run was posted.
      return ctx.store.runs.get(account, job.runId);
    }
    if (call.repo === 'runs' && call.method === 'finish' && call.args[1] === job.runId) {
      // Completed only once the result is stored too: applied after the worker reports done.
      job.completed = call.args[2] as RunOutcome;
      return ctx.store.runs.get(account, job.runId);
    }
    const repository = WORKER_REPOSITORIES.has(call.repo)
      ? (ctx.store as unknown as Record<string, Record<string, unknown>>)[call.repo]
      : undefined;
    const method = repository?.[call.method];
    if (typeof method !== 'function') {
      throw new Error(`store.${call.repo}.${call.method} is not available to a backtest worker`);
    }
    const value = await (method as (...args: unknown[]) => Promise<unknown>).apply(repository, call.args);
    if (call.repo === 'backtests' && call.method === 'save') {
      job.saved ||= (call.args[1] as { runId?: string })?.runId === job.runId;
    }
    return value;
  };

  const runInWorker = (job: Job): Promise<WorkerOutcome> => {
    let worker: Worker;
    try {
      const message: BacktestWorkerJob = {
        runId: job.runId,
        accountId: account,
        spec: job.spec,
        calendar: {
          addHolidays: ctx.config.calendar.addHolidays,
          removeHolidays: ctx.config.calendar.removeHolidays,
        },
      };
      worker = new Worker(WORKER_BOOTSTRAP, {
        eval: true,
        workerData: { tsxApiUrl: tsxApiUrl(), moduleUrl: import.meta.url, job: message },
      });
    } catch (error) {
      return Promise.resolve({
        kind: 'failed',
        message: `the backtest worker could not start: ${(error as Error).message}`,
      });
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: WorkerOutcome) => {
        if (settled) return;
        settled = true;
        job.stop = null;
        resolve(outcome);
        void worker.terminate();
      };
      job.stop = (reason) => settle({ kind: 'aborted', message: reason });
      worker.on('message', (message: WorkerMessage) => {
        // Nothing the worker still sends after its run ended (stopped, failed) may reach the store.
        if (settled) return;
        if (message.type === 'call') {
          const call = answerCall(job, message).then(
            (value) =>
              worker.postMessage({ type: 'reply', id: message.id, ok: true, value } satisfies ReplyMessage),
            (error: unknown) =>
              worker.postMessage({
                type: 'reply',
                id: message.id,
                ok: false,
                name: (error as Error).name,
                message: (error as Error).message,
              } satisfies ReplyMessage),
          );
          job.inflight.add(call);
          void call.finally(() => job.inflight.delete(call));
        } else if (message.type === 'done') {
          settle({ kind: 'done' });
        } else {
          const known = ['BacktestSpecError', 'StrategyConfigError', 'BarFileError', 'WorkerStartError'];
          settle({
            kind: 'failed',
            message: apiMessage(
              known.includes(message.name) ? message.message : `${message.name}: ${message.message}`,
            ),
          });
        }
      });
      worker.on('error', (error) =>
        settle({ kind: 'failed', message: `the backtest worker failed: ${error.message}` }),
      );
      worker.on('exit', (code) =>
        settle({
          kind: 'failed',
          message: `the backtest worker exited (code ${code}) before the run finished`,
        }),
      );
    });
  };

  const execute = async (job: Job): Promise<void> => {
    job.state = 'running';
    const outcome = await runInWorker(job);
    // A store call the worker made before it ended finishes before the run's status is written.
    await Promise.allSettled([...job.inflight]);
    if (outcome.kind === 'done') {
      if (job.saved) {
        await finishRun(
          job.runId,
          job.completed ?? { status: 'completed', finishedAt: ctx.clock.now(), summary: null },
        );
        log.info({ runId: job.runId }, 'backtest completed');
        return;
      }
      await finishRun(job.runId, {
        status: 'failed',
        finishedAt: ctx.clock.now(),
        summary: { error: 'the backtest finished without storing its result' },
      });
      return;
    }
    if (outcome.kind === 'aborted') {
      // A result saved just before the stop would contradict the aborted row.
      await ctx.store.backtests.delete(account, job.runId).catch(() => false);
    }
    log.warn(
      { runId: job.runId, outcome: outcome.kind, reason: outcome.message },
      'backtest did not complete',
    );
    await finishRun(job.runId, {
      status: outcome.kind,
      finishedAt: ctx.clock.now(),
      summary: { error: outcome.message },
    });
  };

  const drain = async (): Promise<void> => {
    if (active !== null) return;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      active = job;
      try {
        await execute(job);
      } catch (error) {
        log.error({ err: error, runId: job.runId }, 'backtest run failed outside the worker');
      } finally {
        active = null;
        job.settle();
      }
    }
  };

  app.addHook('onReady', async () => {
    // Runs this API started that were still running when the server stopped can no longer finish.
    for (const run of await ctx.store.runs.listRecent(account, RUN_SCAN)) {
      if (run.environment !== 'backtest' || run.status !== 'running') continue;
      if (objectOf(run.config)?.['startedBy'] !== 'api' || live(run.id) !== null) continue;
      await finishRun(run.id, {
        status: 'aborted',
        finishedAt: ctx.clock.now(),
        summary: { error: 'the server stopped before the run finished' },
      });
    }
  });

  app.addHook('onClose', async () => {
    closing = true;
    for (const job of queue.splice(0)) {
      await finishRun(job.runId, {
        status: 'aborted',
        finishedAt: ctx.clock.now(),
        summary: { error: 'the server stopped before the run started' },
      });
      job.settle();
    }
    const running = active;
    if (running !== null) {
      running.stop?.('the server stopped during the run');
      await running.finished;
    }
  });

  app.get<{ Querystring: BacktestListQuery }>(
    '/api/backtests',
    {
      schema: {
        querystring: BacktestListQuerySchema,
        response: { 200: BacktestListResponseSchema, ...JSON_ERRORS },
      },
    },
    async (request) =>
      listBacktestRows(
        ctx.store,
        account,
        {
          limit: request.query.limit ?? DEFAULT_LIMIT,
          ...(request.query.strategy === undefined ? {} : { strategy: request.query.strategy }),
        },
        live,
      ),
  );

  /** Returns the stored result of a run; throws BacktestNotFoundError saying why there is none. */
  const resultOf = async (runId: RunId): Promise<BacktestResult> => {
    const stored = live(runId) === null ? await ctx.store.backtests.get(account, runId) : null;
    if (stored !== null) return stored.result as unknown as BacktestResult;
    const run = await ctx.store.runs.get(account, runId);
    if (run === null || run.environment !== 'backtest') {
      throw new BacktestNotFoundError(`no backtest run ${runId} for account ${account}`);
    }
    const status: BacktestStatus = run.status === 'running' ? (live(runId) ?? 'running') : run.status;
    const error = stringOf(objectOf(run.summary)?.['error']);
    const why =
      status === 'completed'
        ? 'its result was deleted'
        : status === 'failed' || status === 'aborted'
          ? `it ${status === 'failed' ? 'failed' : 'was aborted'}: ${error ?? 'no reason recorded'}`
          : `it is ${status}`;
    throw new BacktestNotFoundError(`backtest ${runId} has no result: ${why}`, { runId, status, error });
  };

  app.get<{ Params: BacktestRunParams }>(
    '/api/backtests/:runId',
    { schema: { params: BacktestRunParamsSchema, response: { 200: BacktestResultSchema, ...JSON_ERRORS } } },
    async (request, reply) => {
      try {
        return await resultOf(parseRunId(request.params.runId));
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );

  app.get<{ Params: BacktestRunParams }>(
    '/api/backtests/:runId/report',
    { schema: { params: BacktestRunParamsSchema, response: { 200: HTML_PAGE, ...JSON_ERRORS } } },
    async (request, reply) => {
      try {
        const result = await resultOf(parseRunId(request.params.runId));
        return reply.type('text/html; charset=utf-8').send(renderHtmlReport(result));
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );

  app.get<{ Querystring: BacktestCompareQuery }>(
    '/api/backtests/compare',
    {
      schema: {
        querystring: BacktestCompareQuerySchema,
        response: { 200: BacktestComparisonSchema, ...JSON_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const runIds = compareIdsOf(request.query.ids);
        const results: BacktestResult[] = [];
        const missing: string[] = [];
        for (const runId of runIds) {
          const stored = await ctx.store.backtests.get(account, runId);
          if (stored === null) missing.push(runId);
          else results.push(stored.result as unknown as BacktestResult);
        }
        if (missing.length > 0) {
          throw new BacktestNotFoundError(`no stored backtest result for ${missing.join(', ')}`, { missing });
        }
        if (request.query.format === 'html') {
          return reply.type('text/html; charset=utf-8').send(renderComparisonHtml(results));
        }
        const body: BacktestComparisonBody = {
          runs: results.map((r) => ({
            runId: r.runId,
            strategy: r.strategy,
            params: r.params,
            configHash: r.configHash,
          })),
          rows: compareResults(results).map((row) => ({ ...row, values: [...row.values] })),
        };
        return body;
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );

  app.post<{ Body: BacktestRequestBody }>(
    '/api/backtests',
    {
      schema: {
        body: BacktestRequestSchema,
        response: { 202: BacktestStartedSchema, 400: { $ref: 'ErrorBody#' }, 503: { $ref: 'ErrorBody#' } },
      },
      // The body schema would silently drop unknown fields (Fastify removes additional properties); refuse them.
      preValidation: async (request, reply) => {
        const unknown = unknownRequestFields(request.body);
        if (unknown.length === 0) return;
        const known = BACKTEST_REQUEST_FIELDS.join(', ');
        return reply
          .status(400)
          .send(
            errorBody(
              'VALIDATION_FAILED',
              `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (known: ${known}; data: ${BACKTEST_DATA_FIELDS.join(', ')})`,
              { unknown },
            ),
          );
      },
    },
    async (request, reply) => {
      let spec: BacktestSpec;
      try {
        spec = backtestSpecOf(request.body);
        await checkBacktestSpec(spec, registry);
      } catch (error) {
        return replyBacktestError(reply, error);
      }
      if (closing) {
        return reply.status(503).send(errorBody('UNAVAILABLE', 'the server is shutting down'));
      }
      if (queue.length >= MAX_QUEUED) {
        return reply
          .status(503)
          .send(
            errorBody(
              'UNAVAILABLE',
              `${queue.length} backtests are already waiting behind the running one; post again when one has finished`,
            ),
          );
      }
      if ((await ctx.store.accounts.get(account)) === null) {
        await ctx.store.accounts.create({ id: account, name: 'default', createdAt: ctx.clock.now() });
      }
      const runId = ids.next('run');
      await ctx.store.runs.create(account, {
        id: runId,
        environment: 'backtest',
        strategyId: BACKTEST_STRATEGY_ID,
        config: { startedBy: 'api', spec: spec as unknown as JsonValue },
        startedAt: ctx.clock.now(),
      });
      const job = newJob(runId, spec);
      queue.push(job);
      const status: BacktestStarted['status'] = active === null ? 'running' : 'queued';
      void drain();
      log.info({ runId, strategy: spec.strategy, status }, 'backtest posted');
      return reply.status(202).send({ runId, status } satisfies BacktestStarted);
    },
  );

  app.delete<{ Params: BacktestRunParams }>(
    '/api/backtests/:runId',
    { schema: { params: BacktestRunParamsSchema, response: { 200: BacktestDeletedSchema, ...JSON_ERRORS } } },
    async (request, reply) => {
      const runId = parseRunId(request.params.runId);
      const queued = queue.findIndex((j) => j.runId === runId);
      if (queued >= 0) {
        const [job] = queue.splice(queued, 1);
        await finishRun(runId, {
          status: 'aborted',
          finishedAt: ctx.clock.now(),
          summary: { error: 'deleted before it started' },
        });
        job?.settle();
        return { runId, deleted: false, aborted: true } satisfies BacktestDeleted;
      }
      if (active?.runId === runId) {
        const job = active;
        job.stop?.('deleted while running');
        await job.finished;
        // The run may have completed before the stop reached it: then its result is deleted like any other.
        if ((await ctx.store.runs.get(account, runId))?.status === 'aborted') {
          return { runId, deleted: false, aborted: true } satisfies BacktestDeleted;
        }
      }
      if (await ctx.store.backtests.delete(account, runId)) {
        return { runId, deleted: true, aborted: false } satisfies BacktestDeleted;
      }
      try {
        await resultOf(runId);
        return reply.status(404).send(errorBody('NOT_FOUND', `backtest ${runId} has no result to delete`));
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );
}

/** Returns the distinct run ids of `ids=run_a,run_b`; throws BacktestRequestError naming a bad one. */
export function compareIdsOf(text: string): RunId[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const runIds: RunId[] = [];
  for (const part of parts) {
    let runId: RunId;
    try {
      runId = parseRunId(part);
    } catch (error) {
      if (error instanceof InvalidIdError)
        throw new BacktestRequestError('ids', `has ${error.message}`, { cause: error });
      throw error;
    }
    if (runIds.includes(runId)) throw new BacktestRequestError('ids', `lists ${runId} twice`);
    runIds.push(runId);
  }
  if (runIds.length < 2 || runIds.length > MAX_COMPARED) {
    throw new BacktestRequestError('ids', `must name 2 to ${MAX_COMPARED} runs, not ${runIds.length}`);
  }
  return runIds;
}

function replyBacktestError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof BacktestRequestError) {
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message, { field: error.field }));
  }
  if (error instanceof BacktestNotFoundError) {
    return reply.status(404).send(errorBody('NOT_FOUND', error.message, error.details));
  }
  throw error;
}
