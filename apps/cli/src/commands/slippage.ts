// `kitepilot slippage calibrate --account acc_… --from D --to D [--model fixed-bps|volatility-participation]
// [--simulated] [--json]`: fits a slippage model to the account's recorded MARKET and SL-M fills over IST dates (the
// reference price of each order is the last tick at or before it, else the close of the last ended 1-minute bar) and
// prints the fitted parameter, the samples used and skipped, the errors, and the `--slippage` flag that makes
// `kitepilot backtest` use the fit. --json prints the answer of GET /api/slippage/calibration.
import { InvalidArgumentError, type Command } from 'commander';
import { parseAccountId, type AccountId } from '@kitepilot/core';
// Not yet exported by @kitepilot/server's index; switch to '@kitepilot/server' once it is.
import type { SlippageCalibrationReport } from '@kitepilot/server';
import type { CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot slippage calibrate`. */
export interface SlippageCalibrateFlags {
  /** Account id (default: `[trading] account` of the configuration). */
  readonly account?: string;
  /** First IST date YYYY-MM-DD. */
  readonly from: string;
  /** Last IST date YYYY-MM-DD (inclusive). */
  readonly to: string;
  /** fixed-bps (default) or volatility-participation. */
  readonly model?: string;
  /** Read reference prices from the simulated namespace (paper demo) instead of 'real'. */
  readonly simulated?: boolean;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

function accountFlag(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    throw new Error(`--account: ${(error as Error).message}`, { cause: error });
  }
}

/** Returns the report as the lines the command prints. */
export function formatSlippageCalibration(r: SlippageCalibrationReport): string {
  const unit = r.model === 'fixed-bps' ? 'bps' : '(k)';
  const parameter =
    r.model === 'fixed-bps' ? r.parameter.toFixed(2) : String(Number(r.parameter.toPrecision(4)));
  const skippedOrders =
    r.skippedOrders.length === 0
      ? '0'
      : `${r.skippedOrders.length}: ${r.skippedOrders.map((s) => `${s.clientOrderId} ${s.reason}`).join(', ')}`;
  const rows: [string, string][] = [
    ['model', r.model],
    ['parameter', `${parameter} ${unit}`],
    [
      'samples',
      `${r.samples} used (${r.tickReferences} of ${r.samples + r.skipped} referenced to a tick, the rest to a bar close), ` +
        `${r.skipped} skipped by the model`,
    ],
    ['orders', `${r.orders} in the range, ${r.filledMarketOrders} filled MARKET/SL-M`],
    ['skipped orders', skippedOrders],
    ['MAE', `${r.maeBps.toFixed(2)} bps, ${r.maePaise.toFixed(2)} paise per unit`],
    ['mean slippage', `${r.meanBps.toFixed(2)} bps (negative: price improved)`],
    ['backtest flag', `--slippage ${r.slippageFlag}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return (
    `slippage calibration of ${r.accountId} on ${r.from}..${r.to} (IST), ${r.namespace} prices\n` +
    rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join('')
  );
}

/**
 * `kitepilot slippage calibrate`: fits the model and prints it (or its JSON); returns the report. Throws naming a
 * bad flag, an unknown account, or why there is no usable sample.
 */
export async function runSlippageCalibrate(
  flags: SlippageCalibrateFlags,
  io: CommandIo = { write: (text) => process.stdout.write(text) },
): Promise<SlippageCalibrationReport> {
  // Loaded when the command runs, so registering it costs nothing.
  const { calibrateSlippageFromStore, istDateRange, slippageModelOf } = await import('@kitepilot/server');
  const { namespaceOf, withStore } = await import('./market-data-cli.ts');
  const model = slippageModelOf(flags.model ?? 'fixed-bps');
  istDateRange(flags.from, flags.to);
  if (flags.account !== undefined) accountFlag(flags.account);
  return withStore(flags, io, async (store, config) => {
    const accountId = accountFlag(flags.account ?? config.trading.account);
    if ((await store.accounts.get(accountId)) === null) {
      throw new Error(`account ${accountId} does not exist in this data directory`);
    }
    const report = await calibrateSlippageFromStore(
      store,
      { accountId, from: flags.from, to: flags.to, namespace: namespaceOf(flags) },
      model,
    );
    io.write(flags.json === true ? `${JSON.stringify(report)}\n` : formatSlippageCalibration(report));
    return report;
  });
}

function istDateFlag(name: string) {
  return (value: string): string => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new InvalidArgumentError(`--${name} ${JSON.stringify(value)} is not an IST date YYYY-MM-DD`);
    }
    return value;
  };
}

/** Adds `kitepilot slippage calibrate` to the program. */
export function registerSlippageCommand(program: Command): void {
  const slippage = program.command('slippage').description('slippage models fitted to recorded fills');
  slippage
    .command('calibrate')
    .description(
      "fit a slippage model to an account's MARKET/SL-M fills and print the --slippage flag for kitepilot backtest",
    )
    .option('--account <acc_…>', 'account id (default: [trading] account of the configuration)')
    .requiredOption('--from <YYYY-MM-DD>', 'first IST date', istDateFlag('from'))
    .requiredOption('--to <YYYY-MM-DD>', 'last IST date (inclusive)', istDateFlag('to'))
    .option('--model <model>', 'fixed-bps (default) or volatility-participation')
    .option(
      '--simulated',
      "read reference prices from the 'simulated' namespace (paper demo) instead of 'real'",
    )
    .option('--json', 'print the answer of GET /api/slippage/calibration as JSON')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async (flags: SlippageCalibrateFlags) => {
      await runSlippageCalibrate(flags);
    });
}
