import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { VERSION } from '@kitepilot/server/config';
import { reportError } from './report-error.ts';

// Command modules load on use, so that `kitepilot calendar` or `--help` does not load the server and the store.
const runStart = async (flags: object) => (await import('./commands/start.ts')).runStart(flags);
const runMigrate = async (flags: object) => (await import('./commands/migrate.ts')).runMigrate(flags);
const runCalendar = async (flags: object) => (await import('./commands/calendar.ts')).runCalendar(flags);
const runKiteLogin = async (flags: object) => {
  await (await import('./commands/kite-login.ts')).runKiteLogin(flags);
};
const runKiteSim = async (flags: object) => (await import('./commands/kite-sim.ts')).runKiteSim(flags);

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
    .action(runKiteSim);

  for (const command of [...program.commands, ...kite.commands]) command.exitOverride();
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
