// `kitepilot retention run`: deletes raw ticks older than [marketData] tickRetentionDays (whole day partitions) and
// bars older than barRetentionMonths only when that is configured; nothing order-related is touched. One job record per run.
import { formatIst } from '@kitepilot/core';
import { runRetention, type RetentionResult } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { SqlRetentionRepository } from '@kitepilot/store';
import {
  stdoutIo,
  systemIds,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';

/** Flags of `kitepilot retention run`. */
export interface RetentionRunFlags extends Omit<CommonMarketDataFlags, 'simulated'> {
  readonly json?: boolean;
}

/** `kitepilot retention run`: applies the configured windows to both namespaces and prints what was deleted. */
export async function runRetentionRun(
  flags: RetentionRunFlags,
  io: CommandIo = stdoutIo,
): Promise<RetentionResult> {
  return withStore(flags, io, async (store, config) => {
    const result = await runRetention({
      target: new SqlRetentionRepository(store.driver),
      clock: new SystemClock(),
      tickRetentionDays: config.marketData.tickRetentionDays,
      barRetentionMonths: config.marketData.barRetentionMonths,
      jobRuns: store.jobRuns,
      ids: systemIds(),
    });
    if (flags.json === true) {
      const barCutoff = result.barCutoffMs === null ? null : formatIst(result.barCutoffMs);
      io.write(`${JSON.stringify({ ...result, barCutoff })}\n`);
    } else {
      io.write(
        `Ticks kept from ${result.tickCutoffDay} (UTC day; ${config.marketData.tickRetentionDays} days): dropped ` +
          `${result.droppedPartitions.length} day partitions` +
          (result.droppedPartitions.length > 0 ? ` (${result.droppedPartitions.join(', ')})` : '') +
          `, deleted ${result.deletedUnpartitionedTicks} unpartitioned and ${result.deletedQuarantinedTicks} ` +
          `quarantined ticks.\n` +
          (result.barCutoffMs === null
            ? 'Bars are kept forever (set [marketData] barRetentionMonths to delete old bars).\n'
            : `Bars kept from ${formatIst(result.barCutoffMs)} (${config.marketData.barRetentionMonths} months): ` +
              `deleted ${result.deletedBars}.\n`) +
          `Job run ${result.jobRunId}.\n`,
      );
    }
    return result;
  });
}
