// `kitepilot backtests list|show|report|compare`: the backtest runs stored in the configured store (opened as the
// other read commands open it: through the running server's socket when it owns the data directory). `list` shows
// the stored results newest first with their key figures, and the runs without a result (running, failed, aborted);
// `show` one run's statistics (or its whole result document with --json); `report` writes a run's self-contained
// HTML report; `compare` puts runs side by side (a table, JSON, or an HTML page). The shapes are those of the API's
// `GET /api/backtests…` answers. Heavy modules load when a command runs, so registering the commands costs nothing.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { BacktestComparisonBody, BacktestRowBody } from '@kitepilot/api-contract';
import {
  formatIst,
  parseAccountId,
  parseRunId,
  type AccountId,
  type RunId,
  type RunStatus,
} from '@kitepilot/core';
import type { BacktestResult } from '@kitepilot/research';
import type { Store } from '@kitepilot/store';
import type { CommandIo } from './market-data-cli.ts';

/** Flags every `kitepilot backtests` command takes. */
export interface BacktestsFlags {
  readonly config?: string;
  readonly dataDir?: string;
}

/** Flags of `kitepilot backtests list`. */
export interface BacktestsListFlags extends BacktestsFlags {
  readonly strategy?: string;
  /** The most runs listed (default 50). */
  readonly limit?: number;
  readonly json?: boolean;
}

/** Flags of `kitepilot backtests show`. */
export interface BacktestsShowFlags extends BacktestsFlags {
  readonly json?: boolean;
}

/** Flags of `kitepilot backtests report`. */
export interface BacktestsReportFlags extends BacktestsFlags {
  /** Where to write the page (default `<runId>.html` in the working directory). */
  readonly out?: string;
}

/** Flags of `kitepilot backtests compare`. */
export interface BacktestsCompareFlags extends BacktestsFlags {
  readonly json?: boolean;
  /** Write the HTML comparison page to this file. */
  readonly html?: string;
}

/** Where the commands write and the environment they read; `cwd` resolves relative output paths (tests). */
export interface BacktestsIo extends CommandIo {
  readonly cwd?: string;
}

const stdout: BacktestsIo = { write: (text) => process.stdout.write(text) };

const DEFAULT_LIMIT = 50;
const MAX_COMPARED = 20;

function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Returns strategy, params, symbol and interval of a backtest run's config (the API's or a result's). */
function runIdArg(text: string): RunId {
  try {
    return parseRunId(text);
  } catch (error) {
    throw new Error((error as Error).message, { cause: error });
  }
}

/** Opens the store, resolves the configured account, runs `fn` and closes the store. */
async function withBacktests<T>(
  flags: BacktestsFlags,
  io: BacktestsIo,
  fn: (store: Store, account: AccountId) => Promise<T>,
): Promise<T> {
  const { withStore } = await import('./market-data-cli.ts');
  return withStore(flags, io, (store, config) => fn(store, parseAccountId(config.trading.account)));
}

/** Returns the stored result of a run; throws saying why there is none (unknown, running, failed, deleted). */
async function resultOf(store: Store, account: AccountId, runId: RunId): Promise<BacktestResult> {
  const stored = await store.backtests.get(account, runId);
  if (stored !== null) return stored.result as unknown as BacktestResult;
  const run = await store.runs.get(account, runId);
  if (run === null || run.environment !== 'backtest') {
    throw new Error(`no backtest run ${runId} for account ${account}`);
  }
  const error = stringOf(objectOf(run.summary)?.['error']);
  const why: Record<RunStatus, string> = {
    running: 'it is running',
    completed: 'its result was deleted',
    failed: `it failed: ${error ?? 'no reason recorded'}`,
    aborted: `it was aborted: ${error ?? 'no reason recorded'}`,
  };
  throw new Error(`backtest ${runId} has no result: ${why[run.status]}`);
}

const dash = (v: string | null) => v ?? '—';
const fixed = (v: number | null, unit = '') => (v === null ? '—' : `${v.toFixed(2)}${unit}`);

/** `kitepilot backtests list`: the runs newest first as a table, or the API's rows as JSON. */
export async function runBacktestsList(
  flags: BacktestsListFlags,
  io: BacktestsIo = stdout,
): Promise<BacktestRowBody[]> {
  const limit = flags.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`--limit ${limit} must be a whole number ≥ 1`);
  const { textTable } = await import('./market-data-cli.ts');
  return withBacktests(flags, io, async (store, account) => {
    const { listBacktestRows } = await import('@kitepilot/server');
    // The list the API gives; a run another process works on reads `running` (its queue is not visible here).
    const rows = await listBacktestRows(
      store,
      account,
      { limit, ...(flags.strategy === undefined ? {} : { strategy: flags.strategy }) },
      () => null,
    );
    if (flags.json === true) {
      io.write(`${JSON.stringify(rows)}\n`);
      return rows;
    }
    io.write(
      textTable(
        [
          'RUN',
          'STATUS',
          'STRATEGY',
          'SYMBOL',
          'FROM (IST)',
          'TO (IST)',
          'NET P&L ₹',
          'RETURN',
          'SHARPE',
          'MAX DD',
          'TRADES',
          'FINISHED (IST)',
        ],
        rows.map((r) => [
          r.runId,
          r.status,
          r.strategy,
          dash(r.symbol),
          dash(r.dataFrom?.slice(0, 16).replace('T', ' ') ?? null),
          dash(r.dataTo?.slice(0, 16).replace('T', ' ') ?? null),
          dash(r.metrics?.netPnl ?? null),
          fixed(r.metrics?.totalReturnPct ?? null, '%'),
          fixed(r.metrics?.sharpe ?? null),
          fixed(r.metrics?.maxDrawdownPct ?? null, '%'),
          r.metrics === null ? '—' : String(r.metrics.trades),
          dash(r.finishedAt?.slice(0, 19).replace('T', ' ') ?? null),
        ]),
      ),
    );
    for (const r of rows) if (r.error !== null) io.write(`${r.runId} ${r.status}: ${r.error}\n`);
    io.write(`${rows.length} backtest runs of ${account}${flags.strategy ? ` (${flags.strategy})` : ''}\n`);
    return rows;
  });
}

/** Returns the lines `kitepilot backtests show` prints for a result. */
export async function formatBacktestResult(result: BacktestResult): Promise<string> {
  const { METRIC_ROWS, formatMetricValue } = await import('@kitepilot/research');
  const { textTable } = await import('./market-data-cli.ts');
  const data = objectOf(result.config['data']);
  const instrument = stringOf(objectOf(result.config['instrument'])?.['id']);
  const lines = [
    `backtest ${result.runId}: ${result.strategy} ${JSON.stringify(result.params)}`,
    `data: ${instrument ?? '?'} ${stringOf(result.config['interval']) ?? ''}, ${result.counts.bars} bars` +
      (data === null ? '' : ` (${JSON.stringify(data)})`),
    `config: charges ${String(result.config['charges'])}, fill ${String(result.config['fill'])}, slippage ` +
      `${String(result.config['slippage'])}, product ${String(result.config['product'])}; hash ${result.configHash}`,
    `orders ${result.counts.orders}, fills ${result.counts.fills}, risk denials ${result.counts.denials}, ` +
      `rejections ${result.counts.rejections}; order list hash ${result.orderListHash}`,
    `ran ${formatIst(result.startedAtMs)} to ${formatIst(result.finishedAtMs)}`,
    '',
    textTable(
      ['METRIC', 'VALUE'],
      METRIC_ROWS.map((row) => [row.label, formatMetricValue(row.kind, result.metrics[row.metric])]),
    ).trimEnd(),
    '',
    `${result.trades.length} trades (--json for the list, \`kitepilot backtests report ${result.runId}\` for the HTML page)`,
    ...result.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `kitepilot backtests show <runId>`: a run's statistics, or its whole stored result document with --json. */
export async function runBacktestsShow(
  runIdText: string,
  flags: BacktestsShowFlags,
  io: BacktestsIo = stdout,
): Promise<BacktestResult> {
  const runId = runIdArg(runIdText);
  return withBacktests(flags, io, async (store, account) => {
    const result = await resultOf(store, account, runId);
    io.write(flags.json === true ? `${JSON.stringify(result)}\n` : await formatBacktestResult(result));
    return result;
  });
}

/** `kitepilot backtests report <runId>`: writes the run's HTML report and prints the file's path. */
export async function runBacktestsReport(
  runIdText: string,
  flags: BacktestsReportFlags,
  io: BacktestsIo = stdout,
): Promise<string> {
  const runId = runIdArg(runIdText);
  const { renderHtmlReport } = await import('@kitepilot/research');
  return withBacktests(flags, io, async (store, account) => {
    const result = await resultOf(store, account, runId);
    const path = resolve(io.cwd ?? process.cwd(), flags.out ?? `${runId}.html`);
    await writeFile(path, renderHtmlReport(result));
    io.write(`${path}\n`);
    return path;
  });
}

/** `kitepilot backtests compare <runId> <runId>…`: the runs' statistics side by side (table, JSON or HTML page). */
export async function runBacktestsCompare(
  runIdTexts: readonly string[],
  flags: BacktestsCompareFlags,
  io: BacktestsIo = stdout,
): Promise<BacktestComparisonBody> {
  const runIds = runIdTexts.map(runIdArg);
  const repeated = runIds.find((id, i) => runIds.indexOf(id) !== i);
  if (repeated !== undefined) throw new Error(`run ${repeated} is named twice`);
  if (runIds.length < 2 || runIds.length > MAX_COMPARED) {
    throw new Error(`compare takes 2 to ${MAX_COMPARED} runs, not ${runIds.length}`);
  }
  const { compareResults, formatMetricValue, METRIC_ROWS, renderComparisonHtml } =
    await import('@kitepilot/research');
  const { textTable } = await import('./market-data-cli.ts');
  return withBacktests(flags, io, async (store, account) => {
    const results: BacktestResult[] = [];
    for (const runId of runIds) results.push(await resultOf(store, account, runId));
    const body: BacktestComparisonBody = {
      runs: results.map((r) => ({
        runId: r.runId,
        strategy: r.strategy,
        params: r.params,
        configHash: r.configHash,
      })),
      rows: compareResults(results).map((row) => ({ ...row, values: [...row.values] })),
    };
    if (flags.html !== undefined) {
      const path = resolve(io.cwd ?? process.cwd(), flags.html);
      await writeFile(path, renderComparisonHtml(results));
      if (flags.json !== true) io.write(`${path}\n`);
    }
    if (flags.json === true) io.write(`${JSON.stringify(body)}\n`);
    else if (flags.html === undefined) {
      const kinds = new Map(METRIC_ROWS.map((row) => [row.metric as string, row.kind]));
      io.write(
        textTable(
          ['METRIC', ...results.map((r, i) => `${i + 1}. ${r.runId}`)],
          [
            ['strategy', ...results.map((r) => r.strategy)],
            ['params', ...results.map((r) => JSON.stringify(r.params))],
            ...body.rows.map((row) => [
              row.label,
              ...row.values.map((v) => formatMetricValue(kinds.get(row.metric) ?? 'ratio', v)),
            ]),
          ],
        ),
      );
    }
    return body;
  });
}

function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${what} ${JSON.stringify(value)} is not a positive integer`);
    }
    return n;
  };
}

const DATA_DIR = [
  '--data-dir <dir>',
  'embedded data directory (config storage.dataDir, default ./data)',
] as const;
const CONFIG = ['--config <file>', 'config file (default ./kitepilot.toml when present)'] as const;

/** Adds `kitepilot backtests list|show|report|compare` to the program. */
export function registerBacktestsCommand(program: Command): void {
  const backtests = program
    .command('backtests')
    .description('stored backtest runs of the [trading] account: list, show, report, compare');
  backtests
    .command('list')
    .description('list runs newest first: status, strategy, data range and key figures (and failed runs)')
    .option('--strategy <name>', 'only runs of this strategy')
    .option('--limit <n>', 'the most runs listed (default 50)', positiveInt('limit'))
    .option('--json', 'print the rows of GET /api/backtests as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(async (flags: BacktestsListFlags) => {
      await runBacktestsList(flags);
    });
  backtests
    .command('show <runId>')
    .description("print a run's statistics, counts and configuration")
    .option('--json', 'print the whole stored result document (trades, daily equity, metrics, …)')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(async (runId: string, flags: BacktestsShowFlags) => {
      await runBacktestsShow(runId, flags);
    });
  backtests
    .command('report <runId>')
    .description("write a run's self-contained HTML report and print its path")
    .option('--out <file.html>', 'where to write it (default <runId>.html)')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(async (runId: string, flags: BacktestsReportFlags) => {
      await runBacktestsReport(runId, flags);
    });
  backtests
    .command('compare <runIds...>')
    .description('put 2 to 20 runs side by side, one row per metric')
    .option('--json', 'print the runs and rows as JSON (as GET /api/backtests/compare)')
    .option('--html <file.html>', 'write the HTML comparison page (returns on one chart) and print its path')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(async (runIds: string[], flags: BacktestsCompareFlags) => {
      await runBacktestsCompare(runIds, flags);
    });
}
