import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { VERSION } from '@kitepilot/server/config';
import { reportError } from './report-error.ts';

// Command modules load on use, so that `kitepilot calendar` or `--help` does not load the server and the store.
const runStart = async (flags: object) => (await import('./commands/start.ts')).runStart(flags);
const runMigrate = async (flags: object) => (await import('./commands/migrate.ts')).runMigrate(flags);
const runCalendar = async (flags: object) => (await import('./commands/calendar.ts')).runCalendar(flags);

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

  for (const command of program.commands) command.exitOverride();
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
