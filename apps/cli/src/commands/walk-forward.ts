// `kitepilot walk-forward …`: walk-forward optimisation of a built-in strategy over a bar file or stored bars. Each
// window's training period is backtested with every candidate parameter set (a grid, or N seeded random draws) in
// worker threads; the best by the objective is backtested on the following test period; the test periods are
// stitched into one out-of-sample equity curve. The study and each finished window are stored at once, so
// `--resume wf_…` continues an interrupted study (Ctrl-C, crash) without redoing the windows already done.
//   kitepilot walk-forward --data infy.csv --symbol NSE:INFY --strategy sma-cross --grid fast=5,10,20
//     --grid slow=30,50 --train-days 20 --test-days 5 --objective sharpe [--workers N] [--json]
//   kitepilot walk-forward --resume wf_…      kitepilot walk-forward list      kitepilot walk-forward show wf_…
import type { Command } from 'commander';
import type {
  WalkForwardRequestBody,
  WalkForwardRowBody,
  WalkForwardStudyBody,
} from '@kitepilot/api-contract';
import { formatInr, paise, parseAccountId, type WalkForwardWindowRecord } from '@kitepilot/core';
import type { CommandIo } from './market-data-cli.ts';
import type { StudyConfig, WalkForwardServices } from '@kitepilot/server';

/** Flags of `kitepilot walk-forward` (strings as the command line gives them). */
export interface WalkForwardFlags {
  readonly data?: string;
  readonly symbol?: string;
  readonly interval?: string;
  /** Stored bars (without --data): IST dates, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly simulated?: boolean;
  readonly strategy?: string;
  /** `name=v1,v2,…`, repeatable: grid values, or choice lists of a random search. */
  readonly grid?: readonly string[];
  /** `name=min:max[:step]`, repeatable: ranges of a random search. */
  readonly range?: readonly string[];
  readonly random?: string;
  readonly seed?: string;
  readonly maxCandidates?: string;
  readonly trainDays?: string;
  readonly testDays?: string;
  readonly stepDays?: string;
  readonly anchored?: boolean;
  readonly objective?: string;
  readonly workers?: string;
  /** `k=v`, repeatable: fixed strategy parameters. */
  readonly param?: readonly string[];
  readonly qty?: string;
  readonly product?: string;
  readonly cash?: string;
  readonly charges?: string;
  readonly fill?: string;
  readonly slippage?: string;
  readonly latencyMs?: string;
  readonly tickSize?: string;
  readonly lotSize?: string;
  readonly dailyLossCap?: string;
  readonly resume?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** Flags of `kitepilot walk-forward list` and `show`. */
export interface WalkForwardReadFlags {
  readonly limit?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** Where the commands write, what they read, and what stops a run (tests pass their own). */
export interface WalkForwardIo extends CommandIo {
  /** Returns the current epoch ms (default: the system clock). */
  readonly now?: () => number;
  /** Stops the run after the windows in progress (default: Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** A flag the command cannot use; the message names the flag and the value. */
export class WalkForwardFlagError extends Error {
  override readonly name = 'WalkForwardFlagError';
}

const stdoutIo: WalkForwardIo = { write: (text) => process.stdout.write(text) };
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function wholeNumber(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new WalkForwardFlagError(`${flag} ${JSON.stringify(text)} must be a whole number ≥ ${min}`);
  }
  return n;
}

function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!NUMBER.test(text.trim()) || !(n > 0)) {
    throw new WalkForwardFlagError(`${flag} ${JSON.stringify(text)} must be a number > 0`);
  }
  return n;
}

/** Returns `name` and the text after `=`; throws naming the flag and its form. */
function nameValue(flag: string, text: string, form: string): [string, string] {
  const eq = text.indexOf('=');
  const name = text.slice(0, eq).trim();
  if (eq <= 0 || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new WalkForwardFlagError(`${flag} ${JSON.stringify(text)} must be ${form}`);
  }
  return [name, text.slice(eq + 1).trim()];
}

/** Returns a grid value: a number when the text is one, else the text. */
function gridValue(text: string): string | number {
  return NUMBER.test(text) ? Number(text) : text;
}

function gridOf(flags: readonly string[]): Record<string, (string | number)[]> {
  const grid: Record<string, (string | number)[]> = {};
  for (const text of flags) {
    const [name, list] = nameValue('--grid', text, 'name=v1,v2,… (e.g. fast=5,10,20)');
    const values = list.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) {
      throw new WalkForwardFlagError(`--grid ${JSON.stringify(text)} has an empty value`);
    }
    if (Object.hasOwn(grid, name)) throw new WalkForwardFlagError(`--grid gives ${name} twice`);
    grid[name] = values.map(gridValue);
  }
  return grid;
}

function rangesOf(flags: readonly string[]): Record<string, { min: number; max: number; step?: number }> {
  const ranges: Record<string, { min: number; max: number; step?: number }> = {};
  for (const text of flags) {
    const form = 'name=min:max or name=min:max:step (e.g. fast=5:30, stopPct=0.5:2:0.25)';
    const [name, body] = nameValue('--range', text, form);
    const parts = body.split(':').map((p) => p.trim());
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => !NUMBER.test(p))) {
      throw new WalkForwardFlagError(`--range ${JSON.stringify(text)} must be ${form}`);
    }
    if (Object.hasOwn(ranges, name)) throw new WalkForwardFlagError(`--range gives ${name} twice`);
    const [min, max, step] = parts.map(Number) as [number, number, number | undefined];
    ranges[name] = step === undefined ? { min, max } : { min, max, step };
  }
  return ranges;
}

function paramsOf(flags: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const text of flags) {
    const [name, value] = nameValue('--param', text, 'k=v (e.g. stopPct=1)');
    params[name] = value;
  }
  return params;
}

/** Flags that describe a new study (refused with --resume, which reads the stored configuration). */
const STUDY_FLAGS = [
  'data',
  'symbol',
  'interval',
  'from',
  'to',
  'simulated',
  'strategy',
  'grid',
  'range',
  'random',
  'seed',
  'maxCandidates',
  'trainDays',
  'testDays',
  'stepDays',
  'anchored',
  'objective',
  'param',
  'qty',
  'product',
  'cash',
  'charges',
  'fill',
  'slippage',
  'latencyMs',
  'tickSize',
  'lotSize',
  'dailyLossCap',
] as const;

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Returns the request the flags describe (the body POST /api/walk-forward takes); throws naming a bad flag. */
export function walkForwardRequestOf(flags: WalkForwardFlags): WalkForwardRequestBody {
  for (const [key, flag] of [
    ['symbol', '--symbol'],
    ['strategy', '--strategy'],
    ['trainDays', '--train-days'],
    ['testDays', '--test-days'],
  ] as const) {
    if (flags[key] === undefined) throw new WalkForwardFlagError(`${flag} is required (or --resume wf_…)`);
  }
  let data: WalkForwardRequestBody['data'];
  if (flags.data !== undefined) {
    if (flags.from !== undefined || flags.to !== undefined) {
      throw new WalkForwardFlagError('--from and --to select stored bars: drop them with --data <file>');
    }
    data = flags.data;
  } else {
    if (flags.from === undefined || flags.to === undefined) {
      throw new WalkForwardFlagError(
        'give --data <file.csv|file.parquet>, or --from and --to for stored bars',
      );
    }
    data = {
      kind: 'store',
      from: flags.from,
      to: flags.to,
      ...(flags.interval === undefined ? {} : { interval: flags.interval }),
    };
  }
  const product = flags.product?.toUpperCase();
  if (product !== undefined && product !== 'MIS' && product !== 'CNC' && product !== 'NRML') {
    throw new WalkForwardFlagError(`--product ${JSON.stringify(flags.product)} must be MIS, CNC or NRML`);
  }
  const fill = flags.fill;
  if (fill !== undefined && fill !== 'next-open' && fill !== 'ohlc' && fill !== 'close') {
    throw new WalkForwardFlagError(`--fill ${JSON.stringify(fill)} must be next-open, ohlc or close`);
  }
  const objective = (flags.objective ?? 'sharpe') as WalkForwardRequestBody['objective'];
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const grid = gridOf(flags.grid ?? []);
  const ranges = rangesOf(flags.range ?? []);
  return {
    data,
    symbol: flags.symbol as string,
    ...optional('interval', flags.data === undefined ? undefined : flags.interval),
    ...optional('simulated', flags.simulated),
    strategy: flags.strategy as string,
    ...(Object.keys(grid).length > 0 ? { grid } : {}),
    ...(Object.keys(ranges).length > 0 ? { ranges } : {}),
    ...optional('random', wholeNumber('--random', flags.random, 1)),
    ...optional('seed', wholeNumber('--seed', flags.seed, 0)),
    ...optional('maxCandidates', wholeNumber('--max-candidates', flags.maxCandidates, 1)),
    trainDays: wholeNumber('--train-days', flags.trainDays, 1) as number,
    testDays: wholeNumber('--test-days', flags.testDays, 1) as number,
    ...optional('stepDays', wholeNumber('--step-days', flags.stepDays, 1)),
    ...optional('anchored', flags.anchored),
    objective,
    ...optional('workers', wholeNumber('--workers', flags.workers, 1)),
    ...(flags.param === undefined ? {} : { params: paramsOf(flags.param) }),
    ...optional('qty', wholeNumber('--qty', flags.qty, 1)),
    ...optional('product', product as 'MIS' | 'CNC' | 'NRML' | undefined),
    ...optional('cashRupees', positiveNumber('--cash', flags.cash)),
    ...optional('charges', flags.charges),
    ...optional('fill', fill as WalkForwardRequestBody['fill']),
    ...optional('slippage', flags.slippage),
    ...optional('latencyMs', wholeNumber('--latency-ms', flags.latencyMs, 0)),
    ...optional('tickSizeRupees', positiveNumber('--tick-size', flags.tickSize)),
    ...optional('lotSize', wholeNumber('--lot-size', flags.lotSize, 1)),
    ...optional('dailyLossCapRupees', positiveNumber('--daily-loss-cap', flags.dailyLossCap)),
  };
}

const fixed = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? '—' : value.toFixed(digits);
const rupees = (p: number): string => formatInr(paise(Math.round(p)));

function paramsText(params: Readonly<Record<string, unknown>> | null): string {
  if (params === null) return '—';
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join(' ');
}

/** Returns a fixed-width table (the same layout as the other commands' tables). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** Returns a study as text: its windows (IST days, chosen parameters, training score, out-of-sample return) and the stitched metrics. */
export function formatStudy(study: WalkForwardStudyBody): string {
  const w = study.windowOptions;
  const data = study.data;
  const lines = [
    `walk-forward ${study.id}: ${study.strategy} on ${study.symbol}, ${study.status}${study.simulated ? ' (SIMULATED market data)' : ''}`,
    `data ${String(data['file'] ?? data['source'] ?? '')} ${String(data['from'] ?? '')} … ${String(data['to'] ?? '')} (${String(data['interval'] ?? '')}); ` +
      `${study.windowCount} windows, ${w.anchored ? 'anchored' : 'rolling'}, train ${w.trainDays} / test ${w.testDays} / step ${w.stepDays} trading days; ` +
      `${study.search.candidates} candidates (${study.search.kind}); objective ${study.objective}`,
    '',
  ];
  const rows = study.windows.map((win) => [
    String(win.index),
    `${win.trainFirstDay} … ${win.trainLastDay}`,
    `${win.testFirstDay} … ${win.testLastDay}`,
    paramsText(win.bestParams),
    fixed(win.trainScore, 3),
    fixed(win.outOfSample?.totalReturnPct, 3),
    win.outOfSample === null ? '—' : String(win.outOfSample.trades),
    win.failedCandidates > 0 ? `${win.status} (${win.failedCandidates} failed)` : win.status,
  ]);
  let text = `${lines.join('\n')}\n`;
  text += table(
    [
      'WINDOW',
      'TRAIN (IST)',
      'TEST (IST)',
      'PARAMS',
      `TRAIN ${study.objective.toUpperCase()}`,
      'OOS RETURN %',
      'OOS TRADES',
      'STATUS',
    ],
    rows,
  );
  for (const win of study.windows) if (win.error !== null) text += `window ${win.index}: ${win.error}\n`;
  const s = study.stitched;
  if (s === null) return `${text}\nno out-of-sample period yet\n`;
  const m = s.metrics;
  text +=
    `\nstitched out-of-sample (${s.periods} test periods, ${m.tradingDays} trading days, from ${rupees(m.startingCashPaise)}):\n` +
    `  net P&L ${rupees(m.netPnlPaise)}  return ${fixed(m.totalReturnPct, 3)} %  annualised ${fixed(m.annualisedReturnPct)} %\n` +
    `  Sharpe ${fixed(m.sharpe)}  Sortino ${fixed(m.sortino)}  max drawdown ${fixed(m.maxDrawdownPct, 3)} % (${rupees(m.maxDrawdownPaise)}, ${m.maxDrawdownDays} days)  Calmar ${fixed(m.calmar)}\n` +
    `  trades ${m.trades}  win rate ${fixed(m.winRatePct, 1)} %  profit factor ${fixed(m.profitFactor)}  expectancy ${m.expectancyPaise === null ? '—' : rupees(m.expectancyPaise)}  charges ${rupees(m.chargesPaise)}\n`;
  return text;
}

async function server() {
  return import('@kitepilot/server');
}

/** Opens the configured store, builds the study services and runs `fn`. */
async function withServices<T>(
  flags: Pick<WalkForwardFlags, 'config' | 'dataDir'>,
  io: WalkForwardIo,
  fn: (services: WalkForwardServices) => Promise<T>,
): Promise<T> {
  const { withStore } = await import('./market-data-cli.ts');
  const { calendarFromConfig } = await import('@kitepilot/server/config');
  return withStore(flags, io, (store, config) =>
    fn({
      store,
      accountId: parseAccountId(config.trading.account),
      calendar: calendarFromConfig(config),
      now: io.now ?? Date.now,
    }),
  );
}

function progressLine(record: WalkForwardWindowRecord, config: StudyConfig): string {
  const cut = config.windows[record.index];
  const days = cut === undefined ? '' : ` (test ${cut.testFirstDay} … ${cut.testLastDay})`;
  const total = config.windows.length;
  if (record.status === 'failed')
    return `window ${record.index + 1}/${total}${days} failed: ${record.error ?? ''}\n`;
  const oos = (record.testResult as { outOfSample?: { metrics?: { totalReturnPct?: number } } } | null)
    ?.outOfSample;
  return (
    `window ${record.index + 1}/${total}${days} done: ${paramsText(record.bestParams as Record<string, unknown>)}, ` +
    `train ${config.spec.objective} ${fixed(record.trainScore, 3)}, out-of-sample ${fixed(oos?.metrics?.totalReturnPct, 3)} %\n`
  );
}

/**
 * `kitepilot walk-forward` (or `--resume wf_…`): runs the study, printing each window as it is stored, then the
 * study as a table (or JSON). Returns the study; its status stays `running` when Ctrl-C (or io.signal) stopped it.
 */
export async function runWalkForward(
  flags: WalkForwardFlags,
  io: WalkForwardIo = stdoutIo,
): Promise<WalkForwardStudyBody> {
  let request: WalkForwardRequestBody | null = null;
  if (flags.resume !== undefined) {
    const extra = STUDY_FLAGS.filter((key) => flags[key] !== undefined).map(flagName);
    if (extra.length > 0) {
      throw new WalkForwardFlagError(
        `--resume continues the stored study with its stored configuration: drop ${extra.join(', ')}`,
      );
    }
  } else {
    request = walkForwardRequestOf(flags);
  }
  const workersFlag = wholeNumber('--workers', flags.workers, 1);
  const wf = await server();
  const spec = request === null ? null : wf.walkForwardSpecOf(request);
  const ownAbort = io.signal === undefined ? new AbortController() : null;
  const onSigint = () => ownAbort?.abort(new Error('interrupted (Ctrl-C)'));
  if (ownAbort !== null) process.once('SIGINT', onSigint);
  try {
    return await withServices(flags, io, async (services) => {
      const prepared = spec === null ? undefined : await wf.createWalkForwardStudy(spec, services);
      const id = prepared?.id ?? (flags.resume as string);
      if (prepared === undefined) {
        const stored = await wf.getStudy(services, id);
        if (stored.status !== 'running') {
          throw new WalkForwardFlagError(
            `walk-forward study ${id} is already ${stored.status}; nothing to resume (kitepilot walk-forward show ${id})`,
          );
        }
      }
      const workers = workersFlag ?? wf.defaultWorkerCount();
      if (flags.json !== true) {
        io.write(
          prepared === undefined
            ? `resuming walk-forward study ${id} with ${workers} worker(s)\n`
            : `walk-forward study ${id}: ${prepared.config.windows.length} windows × ${prepared.config.candidates.length} candidates, ${workers} worker(s)\n`,
        );
      }
      const result = await wf.runWalkForwardStudy(id, services, {
        workers,
        signal: io.signal ?? (ownAbort as AbortController).signal,
        ...(prepared === undefined ? {} : { prepared }),
        onWindow: (record, config) => {
          if (flags.json !== true) io.write(progressLine(record, config));
        },
      });
      const body = wf.studyBody(result.study, false);
      if (flags.json === true) io.write(`${JSON.stringify(body)}\n`);
      else {
        io.write(`\n${formatStudy(body)}`);
        if (result.interrupted) {
          io.write(
            `\ninterrupted after ${body.windowsDone + body.windowsFailed} of ${body.windowCount} windows; ` +
              `continue with: kitepilot walk-forward --resume ${id}\n`,
          );
        }
      }
      return body;
    });
  } finally {
    if (ownAbort !== null) process.off('SIGINT', onSigint);
  }
}

/** `kitepilot walk-forward list`: the stored studies, newest first, as a table or JSON. */
export async function runWalkForwardList(
  flags: WalkForwardReadFlags,
  io: WalkForwardIo = stdoutIo,
): Promise<WalkForwardRowBody[]> {
  const limit = wholeNumber('--limit', flags.limit, 1) ?? 50;
  const wf = await server();
  return withServices(flags, io, async (services) => {
    const rows = (await services.store.walkForward.list(services.accountId, limit)).map((s) =>
      wf.studyRow(s, false),
    );
    if (flags.json === true) io.write(`${JSON.stringify(rows)}\n`);
    else {
      io.write(
        table(
          [
            'STUDY',
            'STATUS',
            'STRATEGY',
            'SYMBOL',
            'WINDOWS',
            'OBJECTIVE',
            'OOS RETURN %',
            'OOS SHARPE',
            'CREATED (IST)',
          ],
          rows.map((r) => [
            r.id,
            r.simulated ? `${r.status} (simulated)` : r.status,
            r.strategy,
            r.symbol,
            `${r.windowsDone}/${r.windowCount}${r.windowsFailed > 0 ? ` (${r.windowsFailed} failed)` : ''}`,
            r.objective,
            fixed(r.stitched?.totalReturnPct, 3),
            fixed(r.stitched?.sharpe),
            r.createdAt,
          ]),
        ),
      );
      io.write(`${rows.length} walk-forward studies of ${services.accountId}\n`);
    }
    return rows;
  });
}

/** `kitepilot walk-forward show wf_…`: one study with its windows and stitched result. */
export async function runWalkForwardShow(
  id: string,
  flags: WalkForwardReadFlags,
  io: WalkForwardIo = stdoutIo,
): Promise<WalkForwardStudyBody> {
  if (!/^wf_[0-9A-Za-z]{1,40}$/.test(id)) {
    throw new WalkForwardFlagError(
      `study id ${JSON.stringify(id)} must be wf_ followed by 1–40 letters or digits`,
    );
  }
  const wf = await server();
  return withServices(flags, io, async (services) => {
    const body = wf.studyBody(await wf.getStudy(services, id), false);
    io.write(flags.json === true ? `${JSON.stringify(body)}\n` : formatStudy(body));
    return body;
  });
}

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/** Adds `walk-forward` (run or resume), `walk-forward list` and `walk-forward show <id>` to the program. */
export function registerWalkForwardCommand(program: Command, io: WalkForwardIo = stdoutIo): Command {
  const command = program
    .command('walk-forward')
    .description(
      'walk-forward optimisation: choose parameters on each training period, test them on the next period, ' +
        'stitch the out-of-sample results (stored; resumable)',
    )
    .option('--data <file>', 'a .csv or .parquet bar file (else stored bars: --from, --to, --interval)')
    .option('--symbol <EXCHANGE:SYMBOL>', 'the instrument, e.g. NSE:INFY')
    .option('--interval <interval>', 'bar interval (default: inferred from a file, 1m stored)')
    .option('--from <YYYY-MM-DD>', 'stored bars from this IST date')
    .option('--to <YYYY-MM-DD>', 'stored bars to this IST date (inclusive)')
    .option('--simulated', 'stored bars from the simulated (demo) namespace')
    .option('--strategy <name>', 'time-window, orb, vwap-reversion or sma-cross')
    .option('--grid <name=v1,v2,…>', 'values to try (repeatable; the grid is their product)', collect)
    .option(
      '--random <n>',
      'draw n parameter sets at random instead of the grid (--range, --grid as choices)',
    )
    .option('--range <name=min:max[:step]>', 'a numeric range of the random search (repeatable)', collect)
    .option('--seed <n>', 'seed of the random search (default 1)')
    .option('--max-candidates <n>', 'refuse searches with more parameter sets (default 10000)')
    .option('--train-days <n>', 'trading days per training period')
    .option('--test-days <n>', 'trading days per test period')
    .option('--step-days <n>', 'trading days between windows (default --test-days)')
    .option('--anchored', 'training periods grow from the first day instead of rolling')
    .option(
      '--objective <metric>',
      'sharpe (default), sortino, calmar, totalReturnPct, profitFactor, netPnlPaise, …',
    )
    .option('--workers <n>', 'worker threads (default: CPUs − 1)')
    .option('--param <k=v>', 'a fixed strategy parameter (repeatable)', collect)
    .option('--qty <n>', 'quantity per entry')
    .option('--product <MIS|CNC|NRML>', 'default MIS')
    .option('--cash <rupees>', 'starting cash of every backtest (default 1000000)')
    .option('--charges <model>', 'zerodha (default), none or pct:X')
    .option('--fill <policy>', 'next-open (default), ohlc or close')
    .option('--slippage <model>', 'none (default), bps:N, spread:N or vol:K')
    .option('--latency-ms <n>', 'order latency (default 0)')
    .option('--tick-size <rupees>', 'tick size when the instruments master lacks the symbol')
    .option('--lot-size <n>', 'lot size when the instruments master lacks the symbol')
    .option('--daily-loss-cap <rupees>', 'daily loss cap (default 5 % of the cash)')
    .option('--resume <wf_id>', 'continue an interrupted study with its stored configuration')
    .option('--json', 'print the study as JSON (as GET /api/walk-forward/:id)')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async (flags: WalkForwardFlags) => {
      const body = await runWalkForward(flags, io);
      if (body.status === 'running') process.exitCode = 130;
    });
  // The subcommands read their options with the parent's (commander gives a flag after a subcommand to the
  // parent when both define it).
  command
    .command('list')
    .description('list the stored walk-forward studies, newest first')
    .option('--limit <n>', 'the most studies listed (default 50)')
    .option('--json', 'print JSON (as GET /api/walk-forward)')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async function (this: Command) {
      await runWalkForwardList(this.optsWithGlobals<WalkForwardReadFlags>(), io);
    });
  command
    .command('show <wf_id>')
    .description('show one study: windows, chosen parameters, out-of-sample returns and the stitched metrics')
    .option('--json', 'print JSON (as GET /api/walk-forward/:id)')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async function (this: Command, id: string) {
      await runWalkForwardShow(id, this.optsWithGlobals<WalkForwardReadFlags>(), io);
    });
  return command;
}
