// `kitepilot backtest --data <csv|parquet> --strategy sma-cross --param fast=10 --param slow=30 --qty 10
// --fill next-open --charges zerodha [--product MIS|CNC] [--cash 1000000] [--json]`, or over stored bars with
// `--symbol NSE:INFY --from D --to D [--interval 1m]`: runs a built-in strategy on the real kernel over the bars and
// prints the metrics and trades; the run is stored (list it with `kitepilot backtests list`) unless --no-save.
import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { formatIst, NseCalendar } from '@kitepilot/core';
import { formatPaise, renderHtmlReport, type BacktestResult } from '@kitepilot/research';
import {
  BacktestSpecError,
  builtinStrategies,
  calendarFromConfig,
  intervalOf,
  loadBars,
  runBacktestSpec,
  type BacktestData,
  type BacktestSpec,
  type FillPolicy,
} from '@kitepilot/server';
import { parseParams } from './paper.ts';
import { stdoutIo, textTable, withStore, type CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot backtest`. */
export interface BacktestFlags {
  readonly data?: string;
  readonly symbol?: string;
  readonly interval?: string;
  readonly from?: string;
  readonly to?: string;
  /** Backtest the recorded ticks of --symbol from --from to --to (tick-level fills on the depth). */
  readonly ticks?: boolean;
  /** With --ticks: the simulated namespace (what `kitepilot ingest --demo` recorded). */
  readonly simulated?: boolean;
  readonly strategy: string;
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
  readonly report?: string;
  /** False with --no-save. */
  readonly save?: boolean;
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly config?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function positive(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isSafeInteger(n))) {
    throw new BacktestSpecError(
      `${flag} ${JSON.stringify(text)} must be a positive ${integer ? 'whole number' : 'number'}`,
    );
  }
  return n;
}

/** Returns the symbol a data file stands for: `--symbol`, else `NSE:` + the file name in capitals. */
function symbolFor(flags: BacktestFlags): string {
  if (flags.symbol !== undefined) return flags.symbol;
  if (flags.data === undefined)
    throw new BacktestSpecError('give --data <file> or --symbol with --from and --to');
  const stem = basename(flags.data, extname(flags.data))
    .toUpperCase()
    .replace(/[^A-Z0-9&-]/g, '');
  if (stem === '')
    throw new BacktestSpecError(`cannot tell the symbol from --data ${flags.data}; give --symbol NSE:X`);
  return `NSE:${stem}`;
}

/** Turns the flags into a BacktestSpec; throws BacktestSpecError naming the flag at fault. */
export function backtestSpecOf(flags: BacktestFlags): BacktestSpec {
  let data: BacktestData;
  const interval = flags.interval === undefined ? undefined : intervalOf(flags.interval);
  if (flags.data !== undefined) {
    if (flags.from !== undefined || flags.to !== undefined) {
      throw new BacktestSpecError('--from/--to select stored bars; with --data the file is the whole range');
    }
    const ext = extname(flags.data).toLowerCase();
    if (ext !== '.csv' && ext !== '.parquet') {
      throw new BacktestSpecError(`--data ${flags.data}: the file must end in .csv or .parquet`);
    }
    data = { kind: ext === '.csv' ? 'csv' : 'parquet', path: flags.data };
  } else {
    if (flags.symbol === undefined || flags.from === undefined || flags.to === undefined) {
      throw new BacktestSpecError(
        'give --data <file>, or --symbol, --from and --to to backtest stored bars (with --ticks: recorded ticks)',
      );
    }
    for (const [flag, value] of [
      ['--from', flags.from],
      ['--to', flags.to],
    ] as const) {
      if (!DATE.test(value))
        throw new BacktestSpecError(`${flag} ${JSON.stringify(value)} must be YYYY-MM-DD (IST)`);
    }
    data =
      flags.ticks === true
        ? {
            kind: 'ticks',
            symbol: flags.symbol,
            from: flags.from,
            to: flags.to,
            namespace: flags.simulated === true ? 'simulated' : 'real',
          }
        : { kind: 'store', symbol: flags.symbol, interval: interval ?? '1m', from: flags.from, to: flags.to };
  }
  if (flags.data !== undefined && flags.ticks === true) {
    throw new BacktestSpecError(
      '--ticks reads recorded ticks from the store: give --symbol, --from and --to, not --data',
    );
  }
  if (flags.simulated === true && flags.ticks !== true) {
    throw new BacktestSpecError('--simulated applies to --ticks (the simulated namespace of recorded ticks)');
  }
  const product = flags.product ?? 'MIS';
  if (product !== 'MIS' && product !== 'CNC' && product !== 'NRML') {
    throw new BacktestSpecError(`--product ${JSON.stringify(product)} must be MIS, CNC or NRML`);
  }
  const qty = positive('--qty', flags.qty, true);
  const tick = positive('--tick-size', flags.tickSize, false);
  const lot = positive('--lot-size', flags.lotSize, true);
  const cap = positive('--daily-loss-cap', flags.dailyLossCap, false);
  const latency = flags.latencyMs === undefined ? 0 : Number(flags.latencyMs);
  return {
    data,
    symbol: symbolFor(flags),
    ...(interval === undefined ? {} : { interval }),
    strategy: flags.strategy,
    params: parseParams(flags.param ?? []),
    ...(qty === undefined ? {} : { qty }),
    product,
    cashRupees: positive('--cash', flags.cash, false) ?? 10_00_000,
    charges: flags.charges ?? 'zerodha',
    fill: (flags.fill ?? 'next-open') as FillPolicy,
    slippage: flags.slippage ?? 'none',
    latencyMs: latency,
    ...(tick === undefined ? {} : { tickSizeRupees: tick }),
    ...(lot === undefined ? {} : { lotSize: lot }),
    ...(cap === undefined ? {} : { dailyLossCapRupees: cap }),
  };
}

function rupees(paise: number): number {
  return Math.round(paise) / 100;
}

/** The `--json` document: metrics, finalEquity, trades, barsPerSecond and the run's identity. */
export function backtestJson(result: BacktestResult, loadSeconds: number): Record<string, unknown> {
  const runSeconds = result.barsPerSecond > 0 ? result.counts.bars / result.barsPerSecond : 0;
  return {
    runId: result.runId,
    strategy: result.strategy,
    params: result.params,
    configHash: result.configHash,
    orderListHash: result.orderListHash,
    metrics: result.metrics,
    finalEquity: rupees(result.finalEquityPaise),
    finalEquityPaise: result.finalEquityPaise,
    counts: result.counts,
    trades: result.trades.map((t) => ({
      direction: t.direction,
      qty: t.qty,
      entryTime: formatIst(t.entryAtMs),
      entryPrice: t.entryPricePaise / 100,
      exitTime: formatIst(t.exitAtMs),
      exitPrice: t.exitPricePaise / 100,
      grossPnl: rupees(t.grossPnlPaise),
      charges: rupees(t.chargesPaise),
      pnl: rupees(t.netPnlPaise),
      bars: t.bars,
    })),
    warnings: result.warnings,
    barsPerSecond: result.barsPerSecond,
    endToEndBarsPerSecond:
      runSeconds + loadSeconds > 0 ? Math.round(result.counts.bars / (runSeconds + loadSeconds)) : 0,
    loadSeconds,
  };
}

function pct(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(2)} %`;
}

function num(v: number | null): string {
  return v === null ? '—' : v.toFixed(2);
}

function money(paise: number | null): string {
  return paise === null ? '—' : formatPaise(Math.round(paise));
}

/** The text summary. */
export function backtestText(result: BacktestResult, loadSeconds: number, saved: boolean): string {
  const m = result.metrics;
  const unit = result.config['interval'] === 'tick' ? 'ticks' : 'bars';
  const rows: [string, string][] = [
    ['final equity', money(result.finalEquityPaise)],
    ['net P&L', money(m.netPnlPaise)],
    ['total return', pct(m.totalReturnPct)],
    ['annualised return', pct(m.annualisedReturnPct)],
    ['Sharpe (daily, √252)', num(m.sharpe)],
    ['Sortino', num(m.sortino)],
    ['max drawdown', `${pct(m.maxDrawdownPct)} (${money(m.maxDrawdownPaise)}, ${m.maxDrawdownDays} days)`],
    ['Calmar', num(m.calmar)],
    ['trades', String(m.trades)],
    ['win rate', pct(m.winRatePct)],
    ['profit factor', num(m.profitFactor)],
    ['expectancy', money(m.expectancyPaise)],
    ['exposure', pct(m.exposurePct)],
    ['turnover', `${m.turnover.toFixed(2)}× (${money(m.tradedValuePaise)})`],
    ['charges paid', money(m.chargesPaise)],
    ['trading days', String(m.tradingDays)],
  ];
  const lines = [
    `backtest ${result.runId}: ${result.strategy} ${JSON.stringify(result.params)}`,
    `config ${result.configHash.slice(0, 16)}… · orders ${result.counts.orders} · fills ${result.counts.fills} · denials ${result.counts.denials} · rejections ${result.counts.rejections}`,
    '',
    textTable(['metric', 'value'], rows).trimEnd(),
    '',
  ];
  const shown = result.trades.slice(0, 10);
  if (shown.length > 0) {
    lines.push(
      textTable(
        ['entry (IST)', 'exit (IST)', 'side', 'qty', 'entry ₹', 'exit ₹', 'net P&L'],
        shown.map((t) => [
          formatIst(t.entryAtMs),
          formatIst(t.exitAtMs),
          t.direction,
          String(t.qty),
          (t.entryPricePaise / 100).toFixed(2),
          (t.exitPricePaise / 100).toFixed(2),
          money(t.netPnlPaise),
        ]),
      ).trimEnd(),
    );
    if (result.trades.length > shown.length)
      lines.push(`… ${result.trades.length - shown.length} more trades (--json lists all)`);
    lines.push('');
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  lines.push(
    `${result.counts.bars} ${unit} · ${result.barsPerSecond.toLocaleString('en-IN')} ${unit}/s after load · loaded in ${loadSeconds.toFixed(2)} s`,
  );
  lines.push(saved ? `stored: kitepilot backtests show ${result.runId}` : 'not stored (--no-save)');
  return `${lines.join('\n')}\n`;
}

function newRunId(): string {
  const t = Date.now().toString(36);
  const r = Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `run_bt${t}${r}`;
}

/** `kitepilot backtest`: runs, prints and (unless --no-save) stores the run; returns the result. */
export async function runBacktestCommand(
  flags: BacktestFlags,
  io: CommandIo = stdoutIo,
): Promise<BacktestResult> {
  const spec = backtestSpecOf(flags);
  const registry = builtinStrategies();
  registry.get(spec.strategy); // an unknown strategy is refused before any data is read
  const save = flags.save !== false;
  const needsStore = save || spec.data.kind === 'store' || spec.data.kind === 'ticks';
  const go = async (
    store: Parameters<typeof runBacktestSpec>[1]['store'],
    calendar: NseCalendar,
    account: string,
  ) => {
    const loaded = spec.data.kind === 'ticks' ? undefined : await loadBars(spec, store);
    return runBacktestSpec(
      spec,
      { registry, calendar, store: save ? store : null, accountId: account as never, newRunId },
      loaded,
    );
  };
  const { result, loadSeconds } = needsStore
    ? await withStore(flags, io, (store, config) =>
        go(store, calendarFromConfig(config), config.trading.account),
      )
    : await go(null, new NseCalendar(), 'acc_default');
  if (flags.report !== undefined) await writeFile(flags.report, renderHtmlReport(result), 'utf8');
  io.write(
    flags.json === true
      ? `${JSON.stringify(backtestJson(result, loadSeconds))}\n`
      : backtestText(result, loadSeconds, save) +
          (flags.report === undefined ? '' : `report: ${flags.report}\n`),
  );
  return result;
}
