// `kitepilot journal replay --run <run_id> [--account acc_…] [--json]`: replays a recorded paper or live run from its
// journal (<dataDir>/journal/<runId>.jsonl) through the kernel and compares the signals, intents, risk decisions and
// orders it produces with the ones the run stored. Prints "identical" or the first difference; a run that does not
// replay identically is an error (exit code 1).
import {
  calendarFromConfig,
  createLogger,
  journalFilePath,
  type TornJournalLine,
  compareReplay,
  readStoredRun,
  replayTradingRun,
  type ReplayComparison,
  type ReplayDifference,
} from '@kitepilot/server';
import { parseAccountId, parseRunId, type AccountId, type RunId } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import { stdoutIo, withStore, type CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot journal replay`. */
export interface JournalReplayFlags {
  readonly run?: string;
  /** The run's account (default: the account that holds the run). */
  readonly account?: string;
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly config?: string;
}

/** Where the command writes; `log` receives the replayed kernel's warnings (default standard error). */
export interface JournalIo extends CommandIo {
  readonly log?: NodeJS.WritableStream;
}

/** What `kitepilot journal replay` found (also its --json output). */
export interface JournalReplayResult extends ReplayComparison {
  readonly runId: string;
  readonly accountId: string;
  readonly journalPath: string;
  /** Journal lines replayed. */
  readonly inputs: number;
  /** A torn last line skipped (a crash in the middle of a write), or null. */
  readonly tornLine: TornJournalLine | null;
}

function flagValue<T>(name: string, value: string, parse: (v: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    throw new Error(`--${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** Returns the account holding the run: the flag's (checked) or the one account whose runs include it. */
async function accountOfRun(store: Store, runId: RunId, flag: AccountId | null): Promise<AccountId> {
  if (flag !== null) {
    if ((await store.runs.get(flag, runId)) === null) {
      throw new Error(`run ${runId} does not exist for account ${flag}`);
    }
    return flag;
  }
  for (const account of await store.accounts.list()) {
    if ((await store.runs.get(account.id, runId)) !== null) return account.id;
  }
  throw new Error(`run ${runId} does not exist in this data directory`);
}

function describeDifference(d: ReplayDifference): string {
  if (d.kind === 'start-state') {
    const reasons = (d.stored?.['priorState'] ?? []) as readonly string[];
    return (
      'the run began after recovered state, which a replay (starting empty) cannot rebuild:\n' +
      reasons.map((r) => `  ${r}\n`).join('')
    );
  }
  const side = (record: ReplayDifference['stored']): string =>
    record === null ? 'none' : d.fields.map((f) => `${f}=${JSON.stringify(record[f] ?? null)}`).join(', ');
  return (
    `first difference: ${d.kind} #${d.index + 1} (${d.fields.join(', ')})\n` +
    `  stored:   ${side(d.stored)}\n` +
    `  replayed: ${side(d.replayed)}\n`
  );
}

/** Returns the lines `kitepilot journal replay` prints. */
export function formatJournalReplay(r: JournalReplayResult): string {
  const c = r.counts.replayed;
  const torn =
    r.tornLine === null
      ? ''
      : `torn last line ${r.tornLine.lineNumber ?? '?'} of ${r.journalPath} skipped (${r.tornLine.text.length} characters)\n`;
  if (r.identical) {
    return (
      torn +
      `replayed ${r.inputs} inputs: identical — ${c.signals} signals, ${c.decisions} risk decisions ` +
      `(${c.allowed} allowed, ${c.denied} denied), ${c.orders} orders\n`
    );
  }
  const s = r.counts.stored;
  return (
    torn +
    `replayed ${r.inputs} inputs: NOT identical — stored ${s.signals} signals, ${s.decisions} risk decisions, ` +
    `${s.orders} orders; replayed ${c.signals}, ${c.decisions}, ${c.orders}\n` +
    (r.firstDifference === null ? '' : describeDifference(r.firstDifference))
  );
}

/**
 * `kitepilot journal replay`: replays the run's journal, compares, prints the outcome (text or --json) and returns
 * it; throws when the replay is not identical (after printing the difference), so the exit code is 1.
 */
export async function runJournalReplay(
  flags: JournalReplayFlags,
  io: JournalIo = stdoutIo,
): Promise<JournalReplayResult> {
  if (flags.run === undefined) throw new Error('--run <run_id> is required');
  const runId = flagValue('run', flags.run, parseRunId);
  const accountFlag =
    flags.account === undefined ? null : flagValue('account', flags.account, parseAccountId);
  const result = await withStore(flags, io, async (store, config) => {
    const accountId = await accountOfRun(store, runId, accountFlag);
    const journalPath = journalFilePath(config.storage.dataDir, runId);
    const replayed = await replayTradingRun({
      store,
      accountId,
      runId,
      journalPath,
      calendar: calendarFromConfig(config),
      // The replay's outcome is the comparison; only the kernel's warnings are worth a log line.
      logger: createLogger({ level: 'warn', destination: io.log ?? process.stderr }),
    });
    const stored = await readStoredRun(store, accountId, runId);
    return {
      runId,
      accountId,
      journalPath,
      inputs: replayed.inputs,
      tornLine: replayed.tornLine,
      ...compareReplay(stored, replayed),
    } satisfies JournalReplayResult;
  });
  io.write(flags.json === true ? `${JSON.stringify(result)}\n` : formatJournalReplay(result));
  if (!result.identical) {
    const d = result.firstDifference;
    throw new Error(
      `run ${runId} does not replay identically from ${result.journalPath}` +
        (d === null ? '' : `: first difference in ${d.kind} #${d.index + 1}`),
    );
  }
  return result;
}
