// `kitepilot tokens create|list|revoke`: API tokens (`Authorization: Bearer kp_…`) for scripts and Prometheus. They
// belong to a user (--user, default: the only owner); the token is printed once and only its hash is kept.
import { parseUserId, type UserRecord } from '@kitepilot/core';
import { apiTokenBody, createApiToken, principalOf, revokeApiToken } from '@kitepilot/server';
import type { Store } from '@kitepilot/store';
import type { Command } from 'commander';
import {
  stdoutIo,
  textTable,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';
import { cliAuth, roleOf } from './users.ts';

/** Flags shared by the token commands. */
export interface TokensFlags extends CommonMarketDataFlags {
  /** The email of the token's user (default: the only owner). */
  readonly user?: string;
  readonly json?: boolean;
}

/** Flags of `kitepilot tokens create`. */
export interface TokensCreateFlags extends TokensFlags {
  readonly name: string;
  readonly role: string;
  readonly account?: readonly string[];
  readonly expiresDays?: string;
}

async function userOf(store: Store, email: string | undefined): Promise<UserRecord> {
  if (email !== undefined) {
    const user = await store.auth.findUserByEmail(email);
    if (user === null) throw new Error(`no user with email ${email}`);
    return user;
  }
  const owners = (await store.auth.listUsers()).filter((u) => u.role === 'owner' && u.disabledAt === null);
  const only = owners[0];
  if (owners.length !== 1 || only === undefined) {
    throw new Error(`there are ${owners.length} active owners: name the token's user with --user <email>`);
  }
  return only;
}

function expiresInDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`--expires-days ${value} is not a whole number ≥ 1`);
  return days;
}

/** `kitepilot tokens create --name N --role R [--account acc_…] [--expires-days N]`: prints the new token once. */
export async function runTokensCreate(flags: TokensCreateFlags, io: CommandIo = stdoutIo): Promise<string> {
  const role = roleOf(flags.role);
  const days = expiresInDays(flags.expiresDays);
  return withStore(flags, io, async (store, config) => {
    const user = await userOf(store, flags.user);
    if (user.disabledAt !== null) throw new Error(`user ${user.email} is disabled`);
    const { token, record } = await createApiToken(
      cliAuth(store, config, io),
      await principalOf(store.accounts, user, null),
      { name: flags.name, role, accountIds: flags.account, expiresInDays: days },
      'cli',
    );
    io.write(
      flags.json === true
        ? `${JSON.stringify({ token, info: apiTokenBody(record) })}\n`
        : `Created API token ${record.id} (${record.role}) for ${user.email}. It is shown this once:\n\n  ${token}\n\n` +
            'Send it as the header  Authorization: Bearer <token>\n',
    );
    return token;
  });
}

/** `kitepilot tokens list`: the user's tokens (never the tokens themselves). */
export async function runTokensList(flags: TokensFlags, io: CommandIo = stdoutIo): Promise<void> {
  await withStore(flags, io, async (store) => {
    const user = await userOf(store, flags.user);
    const tokens = (await store.auth.listTokens(user.id)).map(apiTokenBody);
    if (flags.json === true) {
      io.write(`${JSON.stringify(tokens)}\n`);
      return;
    }
    io.write(
      textTable(
        ['ID', 'NAME', 'ROLE', 'ACCOUNTS', 'PREFIX', 'EXPIRES (IST)', 'LAST USED (IST)', 'STATE'],
        tokens.map((t) => [
          t.id,
          t.name,
          t.role,
          t.accountIds === null ? '(all)' : t.accountIds.join(','),
          t.prefix,
          t.expiresAt ?? 'never',
          t.lastUsedAt ?? '-',
          t.revokedAt === null ? 'live' : 'revoked',
        ]),
      ),
    );
  });
}

/** `kitepilot tokens revoke <id>`: revokes one of the user's tokens. */
export async function runTokensRevoke(
  id: string,
  flags: TokensFlags,
  io: CommandIo = stdoutIo,
): Promise<void> {
  await withStore(flags, io, async (store, config) => {
    const user = await userOf(store, flags.user);
    await revokeApiToken(cliAuth(store, config, io), parseUserId(user.id), id, 'cli');
    io.write(`Revoked API token ${id} of ${user.email}\n`);
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function common(command: Command): Command {
  return command
    .option('--user <email>', "the token's user (default: the only owner)")
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)');
}

/** Registers `kitepilot tokens`. */
export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('API tokens (Authorization: Bearer kp_…)');
  common(tokens.command('create').description('create a token; it is printed once'))
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--role <role>', "readonly, operator or owner (at most the user's role)")
    .option(
      '--account <acc_…>',
      'limit the token to an account (repeatable; default: all of the user’s)',
      collect,
    )
    .option('--expires-days <n>', 'expire after this many days (default: never)')
    .action(async (flags: TokensCreateFlags) => {
      await runTokensCreate(flags);
    });
  common(tokens.command('list').description("list the user's tokens")).action(async (flags: TokensFlags) => {
    await runTokensList(flags);
  });
  common(tokens.command('revoke').argument('<id>', 'token id (tok_…)').description('revoke a token')).action(
    async (id: string, flags: TokensFlags) => {
      await runTokensRevoke(id, flags);
    },
  );
}
