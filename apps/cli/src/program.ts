import { registerBacktestsCommand } from './commands/backtests.ts';
import { registerWalkForwardCommand } from './commands/walk-forward.ts';
import { registerSlippageCommand } from './commands/slippage.ts';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { VERSION } from '@kitepilot/server/config';
import type { BackfillFlags } from './commands/backfill.ts';
import type { BarsFlags } from './commands/bars.ts';
import type { CalendarFlags } from './commands/calendar.ts';
import type { BacktestFlags } from './commands/backtest.ts';
import type { ChargesFlags } from './commands/charges.ts';
import type { IngestFlags } from './commands/ingest.ts';
import type { KiteLoginFlags } from './commands/kite-login.ts';
import type { KiteSimFlags } from './commands/kite-sim.ts';
import type { MigrateFlags } from './commands/migrate.ts';
import type { StartFlags } from './commands/start.ts';
import type {
  InstrumentsListFlags,
  InstrumentsShowFlags,
  InstrumentsSyncFlags,
} from './commands/instruments.ts';
import type { PaperFlags } from './commands/paper.ts';
import type { ReplayFlags } from './commands/replay.ts';
import type { PositionsFlags, TradingDayFlags } from './commands/trading-reads.ts';
import type { ControlFlags, FlattenFlags } from './commands/trading-control.ts';
import type { JournalReplayFlags } from './commands/journal.ts';
import type { RetentionRunFlags } from './commands/retention.ts';
import type { TicksFlags } from './commands/ticks.ts';
import type { WatchlistAddFlags, WatchlistListFlags } from './commands/watchlist.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerDailyPackCommand } from './commands/daily-pack.ts';
import { registerKeysCommand } from './commands/keys.ts';
import { registerTokensCommand } from './commands/tokens.ts';
import { registerUsersCommand } from './commands/users.ts';
import { reportError } from './report-error.ts';

// Command modules load on use, so that `kitepilot calendar` or `--help` does not load the server and the store.
// Commander hands each action the parsed options; their shapes are the commands' flag types.
function lazy<F>(load: () => Promise<(flags: F) => unknown>) {
  return async (flags: object): Promise<void> => {
    await (
      await load()
    )(flags as F);
  };
}

function lazyWithArg<F>(load: () => Promise<(arg: string, flags: F) => unknown>) {
  return async (arg: string, flags: object): Promise<void> => {
    await (
      await load()
    )(arg, flags as F);
  };
}

const runStart = lazy<StartFlags>(async () => (await import('./commands/start.ts')).runStart);
const runMigrate = lazy<MigrateFlags>(async () => (await import('./commands/migrate.ts')).runMigrate);
const runCalendar = lazy<CalendarFlags>(async () => (await import('./commands/calendar.ts')).runCalendar);
const runKiteLogin = lazy<KiteLoginFlags>(
  async () => (f) => import('./commands/kite-login.ts').then((m) => m.runKiteLogin(f)),
);
const runKiteSim = lazy<KiteSimFlags>(
  async () => (f) => import('./commands/kite-sim.ts').then((m) => m.runKiteSim(f)),
);
const runBackfill = lazy<BackfillFlags>(
  async () => (f) => import('./commands/backfill.ts').then((m) => m.runBackfill(f)),
);
const runIngest = lazy<IngestFlags>(
  async () => (f) => import('./commands/ingest.ts').then((m) => m.runIngest(f)),
);
const runReplay = lazy<ReplayFlags>(
  async () => (f) => import('./commands/replay.ts').then((m) => m.runReplay(f)),
);
const runTicks = lazy<TicksFlags>(
  async () => (f) => import('./commands/ticks.ts').then((m) => m.runTicks(f)),
);
const runBars = lazy<BarsFlags>(async () => (f) => import('./commands/bars.ts').then((m) => m.runBars(f)));
const runRetention = lazy<RetentionRunFlags>(
  async () => (f) => import('./commands/retention.ts').then((m) => m.runRetentionRun(f)),
);
const runInstrumentsSync = lazy<InstrumentsSyncFlags>(
  async () => (f) => import('./commands/instruments.ts').then((m) => m.runInstrumentsSync(f)),
);
const runInstrumentsList = lazy<InstrumentsListFlags>(
  async () => (f) => import('./commands/instruments.ts').then((m) => m.runInstrumentsList(f)),
);
const runInstrumentsShow = lazyWithArg<InstrumentsShowFlags>(
  async () => (ref, f) => import('./commands/instruments.ts').then((m) => m.runInstrumentsShow(ref, f)),
);
const runWatchlistList = lazy<WatchlistListFlags>(
  async () => (f) => import('./commands/watchlist.ts').then((m) => m.runWatchlistList(f)),
);
const runWatchlistAdd = lazyWithArg<WatchlistAddFlags>(
  async () => (symbol, f) => import('./commands/watchlist.ts').then((m) => m.runWatchlistAdd(symbol, f)),
);
const runWatchlistRemove = lazyWithArg<WatchlistListFlags>(
  async () => (symbol, f) => import('./commands/watchlist.ts').then((m) => m.runWatchlistRemove(symbol, f)),
);
const runPaper = lazy<PaperFlags>(
  async () => (f) => import('./commands/paper.ts').then((m) => m.runPaper(f)),
);
const runOrders = lazy<TradingDayFlags>(
  async () => (f) => import('./commands/trading-reads.ts').then((m) => m.runOrders(f)),
);
const runFills = lazy<TradingDayFlags>(
  async () => (f) => import('./commands/trading-reads.ts').then((m) => m.runFills(f)),
);
const runPositions = lazy<PositionsFlags>(
  async () => (f) => import('./commands/trading-reads.ts').then((m) => m.runPositions(f)),
);
const runKillSwitch = lazyWithArg<ControlFlags>(
  async () => (state, f) => import('./commands/trading-control.ts').then((m) => m.runKillSwitch(state, f)),
);
const runFlatten = lazy<FlattenFlags>(
  async () => (f) => import('./commands/trading-control.ts').then((m) => m.runFlatten(f)),
);
const runAcknowledge = lazy<ControlFlags>(
  async () => (f) => import('./commands/trading-control.ts').then((m) => m.runAcknowledge(f)),
);
const runTradingStatus = lazy<ControlFlags>(
  async () => (f) => import('./commands/trading-control.ts').then((m) => m.runTradingStatus(f)),
);
const runJournalReplay = lazy<JournalReplayFlags>(
  async () => (f) => import('./commands/journal.ts').then((m) => m.runJournalReplay(f)),
);
const runBacktest = lazy<BacktestFlags>(
  async () => (f) => import('./commands/backtest.ts').then((m) => m.runBacktestCommand(f)),
);
const runCharges = async (flags: object) => {
  const { runCharges: run } = await import('./commands/charges.ts');
  const { calendarFromConfig, loadConfig } = await import('@kitepilot/server/config');
  const { config } = loadConfig({ file: (flags as { config?: string }).config });
  run(flags as ChargesFlags, { write: (t) => process.stdout.write(t), calendar: calendarFromConfig(config) });
};

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];
const DATA_DIR = [
  '--data-dir <dir>',
  'embedded data directory (config storage.dataDir, default ./data)',
] as const;
const CONFIG = ['--config <file>', 'config file (default ./kitepilot.toml when present)'] as const;
const SIMULATED = ['--simulated', 'read the simulated (demo) namespace instead of real market data'] as const;
const TIME_HELP =
  'T = YYYY-MM-DD | YYYY-MM-DDTHH:MM[:SS] (IST) | ISO 8601 with offset; prices are integer paise (₹1 = 100) as in ' +
  'the domain; times are printed as ISO 8601 in IST (+05:30)';

function parsePositiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${what} ${JSON.stringify(value)} is not a positive integer`);
    }
    return n;
  };
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError(`seed ${JSON.stringify(value)} is not an integer ≥ 0`);
  return n;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`port ${JSON.stringify(value)} is not an integer from 1 to 65535`);
  }
  return port;
}

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError(`date ${JSON.stringify(value)} is not a calendar date YYYY-MM-DD`);
  }
  return value;
}

/** Builds the `kitepilot` command tree. */
export function buildProgram(): Command {
  const program = new Command('kitepilot')
    .description('KitePilot: self-hosted algorithmic trading for NSE on Zerodha Kite Connect')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('start')
    .description('run KitePilot: migrate the store, then serve the API on http://localhost:8080')
    .option('--port <n>', 'HTTP port (config server.port, default 8080)', parsePort)
    .option('--host <addr>', 'address to bind (config server.host, default 127.0.0.1)')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .option('--demo', 'run on the SIMULATED market of the in-process Kite simulator (simulated namespace)')
    .option(
      '--speed <n>',
      'with --demo: run the simulated session N times faster than real time',
      parsePositiveInt('speed'),
    )
    .option('--seed <n>', 'with --demo: seed of the synthetic market', parseSeed)
    .option(
      '--clock-offset-ms <n>',
      'run the server clock at wall clock + n ms (only when trading a Kite simulator session)',
      (value: string): number => {
        const n = Number(value);
        if (value.trim() === '' || !Number.isSafeInteger(n)) {
          throw new InvalidArgumentError(`clock offset ${JSON.stringify(value)} is not an integer of ms`);
        }
        return n;
      },
    )
    .action(runStart);

  program
    .command('migrate')
    .description(
      'apply pending schema migrations (through the running server when it owns the data directory)',
    )
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .option('--json', 'print the result as JSON')
    .action(runMigrate);

  program
    .command('calendar')
    .description(
      'say whether a date is an NSE trading day, name the holiday, and list the session times (IST)',
    )
    .option('--date <YYYY-MM-DD>', 'the date (IST); default today in IST', parseDate)
    .option('--config <file>', 'config file with calendar overrides (default ./kitepilot.toml when present)')
    .option('--json', 'print JSON: date, tradingDay, holiday, sessions')
    .action(runCalendar);

  const kite = program
    .command('kite')
    .description('Zerodha Kite Connect: log in and manage the broker session');
  kite
    .command('login')
    .description('log in to Kite Connect: open the printed URL, approve, and the session is stored encrypted')
    .option('--account <acc_id>', 'KitePilot account the session belongs to', 'acc_default')
    .option('--request-token <token>', 'a request_token (or the whole redirect URL) pasted from the browser')
    .option(
      '--timeout <seconds>',
      'how long to wait for the redirect on the local callback',
      parsePositiveInt('timeout'),
      300,
    )
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(runKiteLogin);

  program
    .command('kite-sim')
    .description(
      'run the Kite Connect simulator (simulated market, test credentials): REST and ticker on one port',
    )
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', parsePort)
    .option('--api-key <key>', 'api_key the simulator accepts (default kpsim_key)')
    .option('--api-secret <secret>', 'api_secret of the simulated app (default kpsim_secret)')
    .option('--seed <n>', 'seed of the synthetic market (default 1)', parseSeed)
    .option('--redirect-url <url>', 'where the simulated login redirects with a request_token')
    .option('--postback-url <url>', 'where order postbacks are POSTed')
    .option(
      '--clock-offset-ms <n>',
      "run the simulator's clock at wall clock + n ms (e.g. to trade 10:00 IST of a trading day at any hour)",
      (value: string): number => {
        const n = Number(value);
        if (value.trim() === '' || !Number.isSafeInteger(n)) {
          throw new InvalidArgumentError(`clock offset ${JSON.stringify(value)} is not an integer of ms`);
        }
        return n;
      },
    )
    .action(runKiteSim);

  program
    .command('ingest')
    .description(
      'record market data from the Kite ticker for the watchlist (or the simulated market with --demo)',
    )
    .option('--demo', 'record the in-process Kite simulator (simulated namespace), at any hour of any day')
    .option(
      '--duration <d>',
      'how long to record, in real time: 60s, 5m, 1h, 500ms (default 60s with --demo)',
    )
    .option('--speed <n>', 'with --demo: run the simulated session N times faster than real time')
    .option('--seed <n>', 'with --demo: seed of the synthetic market', parseSeed)
    .option('--account <acc_id>', 'account whose Kite session is used', 'acc_default')
    .option('--json', 'print the summary as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runIngest);

  program
    .command('paper')
    .description(
      'paper-trade a built-in strategy on the simulated market (--demo) and print signals, orders, fills, ' +
        'denials and P&L; nothing reaches a broker',
    )
    .option('--demo', 'trade the in-process Kite simulator (simulated namespace), at any hour of any day')
    .requiredOption('--strategy <name>', 'time-window, orb, vwap-reversion or sma-cross')
    .option(
      '--param <k=v>',
      'strategy parameter, repeatable (default symbol NSE:SIMINFY in the demo)',
      collect,
    )
    .option('--duration <d>', 'real time to run: 60s, 5m, 1h (default 60s)')
    .option('--speed <n>', 'simulated seconds per real second (default 60: an hour a minute)')
    .option('--seed <n>', 'seed of the synthetic market', parseSeed)
    .option('--json', 'print the result as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runPaper);

  for (const [name, what, action] of [
    ['orders', 'orders created on one IST day', runOrders],
    ['fills', 'fills executed on one IST day', runFills],
  ] as const) {
    program
      .command(name)
      .description(`print the ${what} of one account`)
      .option('--date <YYYY-MM-DD>', 'IST date (default today)', parseDate)
      .option('--account <acc_id>', 'account (default [trading] account)')
      .option('--json', 'JSON with paise and rupee strings')
      .option(...DATA_DIR)
      .option(...CONFIG)
      .action(action);
  }

  program
    .command('kill-switch <on|off>')
    .description(
      'stop all new orders and cancel working ones (on), or allow trading again (off); through the running ' +
        'server, else stored for the next start',
    )
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print the trading status as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runKillSwitch);

  program
    .command('flatten')
    .description('close open positions through the running trading engine (marketable LIMIT, then MARKET)')
    .option('--symbol <EXCHANGE:SYMBOL>', 'only this instrument (default every position)')
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print the trading status as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runFlatten);

  program
    .command('acknowledge')
    .description('confirm the first live order of the day (manual-acknowledgement mode)')
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print the trading status as JSON')
    .option(...CONFIG)
    .action(runAcknowledge);

  program
    .command('trading-status')
    .description('what trading runs, the kill switch and halts, the pre-flight checks and the strategies')
    .option('--json', 'print the trading status as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runTradingStatus);

  const journal = program.command('journal').description('the kernel journal of paper and live runs');
  journal
    .command('replay')
    .description('replay a run from its journal through the kernel and compare with what it stored')
    .requiredOption('--run <run_id>', 'the run to replay')
    .option('--account <acc_id>', "the run's account (default: the account that holds it)")
    .option('--json', 'print the comparison as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runJournalReplay);

  program
    .command('positions')
    .description('print the positions of one account (net qty, average price, realised P&L)')
    .option('--account <acc_id>', 'account (default [trading] account)')
    .option('--json', 'JSON with paise and rupee strings')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runPositions);

  program
    .command('backfill')
    .description('fetch historical candles from Kite into the bar store (resumable, idempotent)')
    .requiredOption('--symbol <EXCHANGE:SYMBOL>', 'e.g. NSE:INFY')
    .requiredOption(
      '--interval <interval>',
      'minute, 3minute, 5minute, 10minute, 15minute, 30minute, 60minute, day',
    )
    .requiredOption('--from <T>', 'start (IST date or ISO 8601 with offset)')
    .requiredOption('--to <T>', 'end; a date alone runs through 23:59:59 IST')
    .option('--account <acc_id>', 'account whose Kite session is used', 'acc_default')
    .option('--json', 'print the result as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runBackfill);

  program
    .command('ticks')
    .description(`print stored ticks of one instrument; ${TIME_HELP}`)
    .requiredOption('--symbol <EXCHANGE:SYMBOL>', 'e.g. NSE:INFY')
    .requiredOption('--from <T>', 'start')
    .requiredOption('--to <T>', 'end')
    .option('--json', 'JSON array of objects with the Tick field names')
    .option('--csv', 'CSV with a header row')
    .option(
      '--limit <n>',
      'refuse ranges holding more rows than this (default 100000)',
      parsePositiveInt('limit'),
    )
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runTicks);

  program
    .command('bars')
    .description(`print stored bars of one instrument; ${TIME_HELP}`)
    .requiredOption('--symbol <EXCHANGE:SYMBOL>', 'e.g. NSE:INFY')
    .requiredOption('--interval <interval>', '1s, 1m, 3m, 5m, 10m, 15m, 30m, 60m or 1d')
    .requiredOption('--from <T>', 'start')
    .requiredOption('--to <T>', 'end')
    .option('--json', 'JSON array of objects with the Bar field names')
    .option('--csv', 'CSV with a header row')
    .option(
      '--limit <n>',
      'refuse ranges holding more rows than this (default 100000)',
      parsePositiveInt('limit'),
    )
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runBars);

  program
    .command('replay')
    .description('replay stored ticks in time order at any speed and rebuild bars from them')
    .requiredOption('--symbol <EXCHANGE:SYMBOL>', 'instrument to replay (repeat for several)', collect)
    .requiredOption('--from <T>', 'start')
    .requiredOption('--to <T>', 'end')
    .option('--speed <n|max>', 'N times real time, or max (default max)')
    .option('--interval <interval>', 'bar interval to rebuild (default 1m)')
    .option('--json', 'print the report as JSON')
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runReplay);

  const instruments = program.command('instruments').description('the instruments master (daily versions)');
  instruments
    .command('sync')
    .description("download the Kite instruments dump and store it as today's version")
    .option('--account <acc_id>', 'account whose Kite session is used', 'acc_default')
    .option('--json', 'print the result as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runInstrumentsSync);
  instruments
    .command('list')
    .description('list instruments of the version in force on a date')
    .option('--exchange <exchange>', 'NSE, BSE, NFO or BFO')
    .option('--type <type>', 'EQ, FUT, CE, PE or INDEX')
    .option('--date <YYYY-MM-DD>', 'version date (default today, IST)')
    .option('--json', 'print JSON')
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runInstrumentsList);
  instruments
    .command('show <instrument>')
    .description('show one instrument: NSE:INFY, INFY.NSE or a token')
    .option('--date <YYYY-MM-DD>', 'version date (default today, IST)')
    .option('--json', 'print JSON')
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runInstrumentsShow);

  const watchlist = program.command('watchlist').description('the instruments whose ticks are recorded');
  watchlist
    .command('list')
    .description('list the watchlist')
    .option('--json', 'print JSON')
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runWatchlistList);
  watchlist
    .command('add <instrument>')
    .description('add an instrument (or change its mode)')
    .option('--mode <mode>', 'ltp, quote or full (default full)')
    .option('--json', 'print JSON')
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runWatchlistAdd);
  watchlist
    .command('remove <instrument>')
    .description('remove an instrument')
    .option(...SIMULATED)
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runWatchlistRemove);

  program
    .command('backtest')
    .description(
      'backtest a built-in strategy on the real kernel (risk, orders, charges) over a bar file or stored bars; ' +
        'prints metrics and trades and stores the run',
    )
    .requiredOption('--strategy <name>', 'time-window, orb, vwap-reversion or sma-cross')
    .option(
      '--data <file>',
      'bars: .csv (datetime,open,high,low,close,volume[,openinterest]; IST) or .parquet',
    )
    .option('--symbol <symbol>', 'instrument, e.g. NSE:INFY (default for --data: NSE:<FILE NAME>)')
    .option('--from <YYYY-MM-DD>', 'stored bars from this IST date (with --symbol, no --data)')
    .option('--to <YYYY-MM-DD>', 'stored bars to this IST date, inclusive')
    .option(
      '--interval <i>',
      'bar interval: 1m, 3m, 5m, 15m, 30m, 60m, 1d (default: inferred from a file, 1m stored)',
    )
    .option(
      '--ticks',
      "backtest the recorded ticks of --symbol from --from to --to: fills on each tick's depth, bars built from ticks",
    )
    .option('--simulated', 'with --ticks: the simulated namespace (what `kitepilot ingest --demo` recorded)')
    .option('--param <k=v>', 'strategy parameter, repeatable', collect)
    .option('--qty <n>', 'quantity per entry (the strategy qty parameter)')
    .option('--product <p>', 'MIS (default: squared off at 15:20 IST daily), CNC or NRML (held across days)')
    .option('--cash <rupees>', 'starting cash (default 1000000)')
    .option('--charges <model>', 'zerodha (default), none or pct:X (X % of traded value per side)')
    .option(
      '--fill <policy>',
      'next-open (default), ohlc (market at next open, stops on the OHLC path) or close',
    )
    .option(
      '--slippage <model>',
      'none (default), bps:N, spread:N (half of N bps) or vol:K (square-root impact)',
    )
    .option('--latency-ms <n>', 'order latency to the simulated venue (default 0)')
    .option(
      '--tick-size <rupees>',
      'tick size when the instruments master does not know the symbol (default 0.05)',
    )
    .option('--lot-size <n>', 'lot size when the instruments master does not know the symbol (default 1)')
    .option('--daily-loss-cap <rupees>', 'risk: the daily loss cap (default 5 % of the cash)')
    .option('--report <file.html>', 'also write the self-contained HTML report')
    .option('--no-save', 'do not store the run')
    .option('--json', 'print one JSON object: metrics, finalEquity, trades, barsPerSecond, …')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runBacktest);

  program
    .command('charges')
    .description(
      'Zerodha charges of one round trip (buy and sell of qty), every component and the total in rupees',
    )
    .requiredOption('--segment <segment>', 'equity-intraday, equity-delivery, futures or options')
    .requiredOption('--exchange <exchange>', 'NSE or BSE')
    .requiredOption('--qty <n>', 'quantity (units, not lots)')
    .requiredOption('--buy-price <rupees>', 'buy price in rupees, at most 2 decimals (options: premium)')
    .requiredOption('--sell-price <rupees>', 'sell price in rupees, at most 2 decimals (options: premium)')
    .option(
      '--date <YYYY-MM-DD>',
      'trade date (IST; delivery: the buy date, sold the next trading day); default today',
    )
    .option('--options-class <class>', 'BSE options only: sensex-bankex or other')
    .option(
      '--json',
      'print JSON: brokerage, stt, exchange, sebi, stamp, gst, dp, total (rupees) and details',
    )
    .option('--config <file>', 'config file with calendar overrides (default ./kitepilot.toml when present)')
    .action(runCharges);

  const retention = program.command('retention').description('drop market data past its retention window');
  retention
    .command('run')
    .description('drop tick partitions older than [marketData] tickRetentionDays (orders are never touched)')
    .option('--json', 'print the result as JSON')
    .option(...DATA_DIR)
    .option(...CONFIG)
    .action(runRetention);

  registerBacktestsCommand(program);
  registerWalkForwardCommand(program);
  registerSlippageCommand(program);
  registerAuditCommand(program);
  registerDailyPackCommand(program);
  registerKeysCommand(program);
  registerUsersCommand(program);
  registerTokensCommand(program);

  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  return program;
}

/** Runs the command line and sets the exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here with code 0; usage errors were already printed by commander.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(error);
  }
}
