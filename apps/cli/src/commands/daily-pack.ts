// `kitepilot daily-pack --date YYYY-MM-DD [--account acc_…] [--out file.zip] [--json]`: writes the daily pack of one
// account's IST day (orders, fills, signals, risk decisions, order events and audit records as JSONL and CSV, the
// configuration with secrets redacted, the chain verification and a manifest of sha256) and prints where it went. The
// same stored data gives the same bytes.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parseAccountId, type AccountId } from '@kitepilot/core';
import type { DailyPackManifest } from '@kitepilot/server';
import { stdoutIo, withStore, type CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot daily-pack`. */
export interface DailyPackFlags {
  /** IST date YYYY-MM-DD. */
  readonly date: string;
  /** Account id (default: `[trading] account`). */
  readonly account?: string;
  /** Where to write (default `./kitepilot-daily-pack-<date>-<account>.zip`). */
  readonly out?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** What `runDailyPack` wrote. */
export interface DailyPackResult {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly manifest: DailyPackManifest;
}

function accountFlag(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    throw new Error(`--account: ${(error as Error).message}`, { cause: error });
  }
}

/** `kitepilot daily-pack`: builds and writes the pack; throws naming a bad date or an unknown account. */
export async function runDailyPack(
  flags: DailyPackFlags,
  io: CommandIo = stdoutIo,
): Promise<DailyPackResult> {
  const { buildDailyPack } = await import('@kitepilot/server');
  if (flags.account !== undefined) accountFlag(flags.account);
  return withStore(flags, io, async (store, config) => {
    const accountId = accountFlag(flags.account ?? config.trading.account);
    if ((await store.accounts.get(accountId)) === null) {
      throw new Error(`account ${accountId} does not exist in this data directory`);
    }
    const pack = await buildDailyPack(store, flags.date, accountId);
    const path = resolve(flags.out ?? pack.fileName);
    await writeFile(path, pack.zip);
    const result: DailyPackResult = {
      path,
      sha256: createHash('sha256').update(pack.zip).digest('hex'),
      bytes: pack.zip.length,
      manifest: pack.manifest,
    };
    if (flags.json === true) {
      io.write(`${JSON.stringify(result)}\n`);
    } else {
      const counts = pack.manifest.files
        .filter((f) => f.records !== null && f.name.endsWith('.jsonl'))
        .map((f) => `${f.name.replace(/\.jsonl$/, '')} ${f.records ?? 0}`)
        .join(', ');
      const chain = pack.manifest.chain;
      io.write(
        `daily pack of ${accountId} for ${flags.date} (IST) written to ${path}\n` +
          `${result.bytes} bytes, sha256 ${result.sha256}\n` +
          `${counts}\n` +
          (chain.ok
            ? `audit chain OK through seq ${chain.throughSeq}, last hash ${chain.lastHash ?? ''}\n`
            : `audit chain BROKEN before seq ${chain.throughSeq}: see audit-verification.json in the pack\n`),
      );
    }
    return result;
  });
}

function istDateFlag(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new InvalidArgumentError(`--date ${JSON.stringify(value)} is not an IST date YYYY-MM-DD`);
  }
  return value;
}

/** Adds `kitepilot daily-pack` to the program. */
export function registerDailyPackCommand(program: Command): void {
  program
    .command('daily-pack')
    .description(
      "write the ZIP of one account's IST day: records, config, chain verification, sha256 manifest",
    )
    .requiredOption('--date <YYYY-MM-DD>', 'IST date', istDateFlag)
    .option('--account <acc_…>', 'account id (default: [trading] account of the configuration)')
    .option('--out <file.zip>', 'where to write (default ./kitepilot-daily-pack-<date>-<account>.zip)')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'data directory (default [storage] dataDir)')
    .option('--config <file>', 'config file (default ./kitepilot.toml)')
    .action(async (flags: DailyPackFlags) => {
      await runDailyPack(flags);
    });
}
