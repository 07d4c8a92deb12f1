// `kitepilot audit verify [--from-seq N] [--json]`: recomputes the audit hash chain and compares it with the anchor in
// `<dataDir>/audit/anchor.json` (then moves the anchor to the verified end); prints OK with the count and last hash, or
// the first broken seq and why, and exits 1 when broken. `kitepilot audit list [--from] [--to] [--kind] [--account]
// [--after-seq N] [--limit N] [--json]`: the records in seq order, times in IST.
import { InvalidArgumentError, type Command } from 'commander';
import { formatIst, parseAccountId, type AuditEvent } from '@kitepilot/core';
import type { AuditTrailVerification } from '@kitepilot/server';
import { stdoutIo, textTable, withStore, type CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot audit verify`. */
export interface AuditVerifyFlags {
  readonly fromSeq?: number;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** Flags of `kitepilot audit list`. */
export interface AuditListFlags {
  /** An IST date or an ISO instant. */
  readonly from?: string;
  readonly to?: string;
  /** An exact kind or a prefix ending in `.*`. */
  readonly kind?: string;
  /** Only this account's records (default: every account's and the system's). */
  readonly account?: string;
  readonly afterSeq?: number;
  readonly limit?: number;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** `kitepilot audit verify`: returns the verification (the action sets exit code 1 when the chain is broken). */
export async function runAuditVerify(
  flags: AuditVerifyFlags,
  io: CommandIo = stdoutIo,
  now: () => number = Date.now,
): Promise<AuditTrailVerification> {
  const { auditAnchorPath, FileAuditAnchor, formatAuditVerification, verifyAuditTrail } =
    await import('@kitepilot/server');
  const { SqlAuditRepository } = await import('@kitepilot/store');
  return withStore(flags, io, async (store, config) => {
    const anchor = new FileAuditAnchor(auditAnchorPath(config.storage.dataDir));
    const result = await verifyAuditTrail(new SqlAuditRepository(store.driver), anchor, {
      ...(flags.fromSeq === undefined ? {} : { fromSeq: flags.fromSeq }),
      now: now(),
    });
    io.write(flags.json === true ? `${JSON.stringify(result)}\n` : formatAuditVerification(result));
    return result;
  });
}

function shortJson(value: unknown, width = 80): string {
  const text = JSON.stringify(value);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** `kitepilot audit list`: prints the records and returns them. */
export async function runAuditList(flags: AuditListFlags, io: CommandIo = stdoutIo): Promise<AuditEvent[]> {
  const { auditEventRow, auditTimeBound } = await import('@kitepilot/server');
  const { SqlAuditRepository } = await import('@kitepilot/store');
  const bound = (name: 'from' | 'to', value: string): number => {
    try {
      return auditTimeBound(name, value);
    } catch (error) {
      throw new Error(`--${(error as Error).message}`, { cause: error });
    }
  };
  const fromMs = flags.from === undefined ? undefined : bound('from', flags.from);
  const toMs = flags.to === undefined ? undefined : bound('to', flags.to);
  let accountId;
  try {
    accountId = flags.account === undefined ? undefined : parseAccountId(flags.account);
  } catch (error) {
    throw new Error(`--account: ${(error as Error).message}`, { cause: error });
  }
  return withStore(flags, io, async (store) => {
    const events = await new SqlAuditRepository(store.driver).list({
      ...(fromMs === undefined ? {} : { fromMs }),
      ...(toMs === undefined ? {} : { toMs }),
      ...(flags.kind === undefined ? {} : { kind: flags.kind }),
      ...(accountId === undefined ? {} : { accountId, includeSystem: true }),
      afterSeq: flags.afterSeq ?? 0,
      limit: flags.limit ?? 100,
    });
    if (flags.json === true) {
      io.write(events.map((e) => `${JSON.stringify(auditEventRow(e))}\n`).join(''));
    } else if (events.length === 0) {
      io.write('no audit records match\n');
    } else {
      io.write(
        textTable(
          ['seq', 'time (IST)', 'account', 'kind', 'actor', 'payload'],
          events.map((e) => [
            String(e.seq),
            formatIst(e.ts),
            e.accountId ?? '-',
            e.kind,
            e.actor,
            shortJson(e.payload),
          ]),
        ),
      );
    }
    return events;
  });
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`--${name} ${JSON.stringify(value)} is not a positive integer`);
    }
    return n;
  };
}

/** Adds `kitepilot audit verify` and `kitepilot audit list` to the program. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit trail');
  audit
    .command('verify')
    .description('recompute the hash chain, compare it with the anchor; exit 1 when broken')
    .option('--from-seq <n>', 'first seq to check (default 1)', positiveInt('from-seq'))
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'data directory (default [storage] dataDir)')
    .option('--config <file>', 'config file (default ./kitepilot.toml)')
    .action(async (flags: AuditVerifyFlags) => {
      const result = await runAuditVerify(flags);
      if (!result.ok) process.exitCode = 1;
    });
  audit
    .command('list')
    .description('audit records in seq order (times in IST)')
    .option('--from <date|instant>', 'IST date YYYY-MM-DD or ISO instant: records at or after')
    .option('--to <date|instant>', 'IST date (up to its end) or ISO instant: records before')
    .option('--kind <kind>', 'an exact kind (order.submitted) or a prefix (order.*)')
    .option('--account <acc_…>', "this account's records and the system's (default: all)")
    .option('--after-seq <n>', 'records after this seq (paging)', positiveInt('after-seq'))
    .option('--limit <n>', 'the most records (default 100)', positiveInt('limit'))
    .option('--json', 'one JSON record per line, times in UTC and IST')
    .option('--data-dir <dir>', 'data directory (default [storage] dataDir)')
    .option('--config <file>', 'config file (default ./kitepilot.toml)')
    .action(async (flags: AuditListFlags) => {
      await runAuditList(flags);
    });
}
