// `kitepilot backfill`: the broker's historical candles of one instrument into the bar store (origin historical),
// chunk by chunk, resumable, idempotent.
import { formatIst, type Clock } from '@kitepilot/core';
import {
  backfill,
  backfillChunks,
  chunkDaysOf,
  type BackfillChunkResult,
  type BackfillResult,
} from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { loadConfig, openConfiguredStore, prepareBackfill } from '@kitepilot/server';
import { createStore, migrate } from '@kitepilot/store';

/** Flags of `kitepilot backfill`. */
export interface BackfillFlags {
  /** `EXCHANGE:SYMBOL`, e.g. `NSE:INFY`. */
  readonly symbol: string;
  /** `minute`, `3minute`, …, `60minute`, `day` (or `1m` … `60m`, `1d`). */
  readonly interval: string;
  /** `YYYY-MM-DD` (from 00:00 IST) or ISO 8601 with an offset. */
  readonly from: string;
  /** `YYYY-MM-DD` (through 23:59:59 IST) or ISO 8601 with an offset. */
  readonly to: string;
  readonly dataDir?: string;
  readonly config?: string;
  /** The account whose Kite session is used (default `acc_default`). */
  readonly account?: string;
  /** Print one JSON object (the result) instead of progress lines. */
  readonly json?: boolean;
}

/** Where the command writes and what it runs on (tests pass their own). */
export interface BackfillIo {
  readonly write: (text: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default the system clock. */
  readonly clock?: Clock;
}

const stdio: BackfillIo = { write: (text) => process.stdout.write(text) };

function chunkLine(c: BackfillChunkResult, total: number): string {
  const range = `${formatIst(c.fromMs).slice(0, 10)} – ${formatIst(c.toMs).slice(0, 10)}`;
  if (c.skipped) return `chunk ${c.index}/${total} ${range}: done in an earlier run, skipped\n`;
  const replaced = c.replaced.live + c.replaced.historical + c.replaced.repaired;
  return (
    `chunk ${c.index}/${total} ${range}: ${c.candles} candles, ${c.inserted} new, ${c.unchanged} unchanged, ` +
    `${replaced} replaced (${c.replaced.live} live)` +
    (c.open > 0 ? `, ${c.open} not ended yet` : '') +
    (c.retries > 0 ? `, ${c.retries} retries` : '') +
    '\n'
  );
}

/**
 * `kitepilot backfill --symbol NSE:INFY --interval minute --from 2026-01-01 --to 2026-03-31`: resolves the symbol in
 * the real instruments master, uses the stored Kite session, and backfills chunk by chunk; an unfinished run with the
 * same parameters is resumed. Returns the result (also printed, as JSON with --json).
 */
export async function runBackfill(flags: BackfillFlags, io: BackfillIo = stdio): Promise<BackfillResult> {
  const env = io.env ?? process.env;
  const { config } = loadConfig({
    file: flags.config,
    env,
    overrides: { storage: { dataDir: flags.dataDir } },
  });
  const clock = io.clock ?? new SystemClock({ keepAlive: true });
  const opened = await openConfiguredStore(config, 'client');
  try {
    await migrate(opened.driver);
    const store = createStore(opened.driver);
    const prepared = await prepareBackfill({
      config,
      store,
      clock,
      env,
      request: { symbol: flags.symbol, interval: flags.interval, from: flags.from, to: flags.to },
      ...(flags.account === undefined ? {} : { accountId: flags.account }),
    });
    const o = prepared.options;
    const json = flags.json === true;
    const total = backfillChunks(o.fromMs, o.toMs, o.chunkDays ?? chunkDaysOf(o.interval)).length;
    if (!json) {
      io.write(
        `${prepared.resumes ? 'Resuming' : 'Starting'} backfill ${o.jobRunId}: ${o.instrument.id} ${o.interval} ` +
          `${formatIst(o.fromMs)} – ${formatIst(o.toMs)}\n`,
      );
    }
    const result = await backfill({
      ...o,
      onChunk: (c) => {
        if (!json) io.write(chunkLine(c, total));
      },
    });
    if (json) {
      io.write(`${JSON.stringify(result)}\n`);
    } else {
      const replaced = result.replaced.live + result.replaced.historical + result.replaced.repaired;
      io.write(
        `Backfill ${result.jobRunId} done: ${result.candles} candles, ${result.inserted} new bars, ` +
          `${result.unchanged} unchanged, ${replaced} replaced (${result.replaced.live} live); ${result.written} written\n`,
      );
    }
    return result;
  } finally {
    await opened.close();
  }
}
