// `kitepilot users create|list`: installation users, written straight into the store (the CLI runs where the data
// is, so it needs no API session; the first user must be an owner). The password is read from KITEPILOT_NEW_PASSWORD
// or standard input, never from a flag: flags end up in shell history and process lists.
import type { UserRole } from '@kitepilot/core';
import { SystemClock } from '@kitepilot/runtime';
import { createServerAuth, createUser, userBody, type AuthService } from '@kitepilot/server';
import type { Store } from '@kitepilot/store';
import type { Command } from 'commander';
import type { Config } from '@kitepilot/server/config';
import {
  stdoutIo,
  textTable,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';

/** The environment variable a new user's password may come from. */
export const NEW_PASSWORD_ENV = 'KITEPILOT_NEW_PASSWORD';

/** Where a command reads a password when the environment has none. */
export interface PasswordIo extends CommandIo {
  /** Returns the text of standard input (the first line is the password). */
  readonly readStdin?: () => Promise<string>;
}

/** Flags of `kitepilot users create`. */
export interface UsersCreateFlags extends CommonMarketDataFlags {
  readonly email: string;
  readonly role: string;
  readonly name?: string;
  /** Accounts granted (repeatable). */
  readonly account?: readonly string[];
  readonly json?: boolean;
}

/** Flags of `kitepilot users list`. */
export interface UsersListFlags extends CommonMarketDataFlags {
  readonly json?: boolean;
}

const ROLES: readonly UserRole[] = ['readonly', 'operator', 'owner'];

/** Returns `value` as a role or throws naming the accepted ones. */
export function roleOf(value: string): UserRole {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new Error(`role ${JSON.stringify(value)} is not one of ${ROLES.join(', ')}`);
  }
  return value as UserRole;
}

async function readAll(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (at least 12 characters), then Enter and Ctrl-D: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Returns the new password from KITEPILOT_NEW_PASSWORD or the first line of standard input. */
export async function readNewPassword(io: PasswordIo): Promise<string> {
  const fromEnv = (io.env ?? process.env)[NEW_PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const text = await (io.readStdin ?? readAll)();
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') {
    throw new Error(`no password: set ${NEW_PASSWORD_ENV} or write it on standard input`);
  }
  return password;
}

/** Returns an AuthService over the store of a CLI command. */
export function cliAuth(store: Store, config: Config, io: CommandIo): AuthService {
  return createServerAuth({ store, clock: new SystemClock(), config, env: io.env ?? process.env }).service;
}

/** `kitepilot users create --email E --role R [--account acc_…]`: creates a user (the first must be an owner). */
export async function runUsersCreate(flags: UsersCreateFlags, io: PasswordIo = stdoutIo): Promise<string> {
  const role = roleOf(flags.role);
  const password = await readNewPassword(io);
  // The password variable is not a config key: the config loader must not see it (it refuses unknown KITEPILOT_*).
  const env = Object.fromEntries(
    Object.entries(io.env ?? process.env).filter(([name]) => name !== NEW_PASSWORD_ENV),
  );
  return withStore(flags, { ...io, env }, async (store, config) => {
    const user = await createUser(
      cliAuth(store, config, io),
      {
        email: flags.email,
        password,
        displayName: flags.name ?? flags.email,
        role,
        accountIds: flags.account,
      },
      'cli',
    );
    io.write(
      flags.json === true
        ? `${JSON.stringify(userBody(user))}\n`
        : `Created ${user.role} ${user.email} (${user.id})${user.accountIds.length > 0 ? ` with ${user.accountIds.join(', ')}` : ''}\n`,
    );
    return user.id;
  });
}

/** `kitepilot users list`: every user with role, accounts and state. */
export async function runUsersList(flags: UsersListFlags, io: CommandIo = stdoutIo): Promise<void> {
  await withStore(flags, io, async (store) => {
    const users = (await store.auth.listUsers()).map(userBody);
    if (flags.json === true) {
      io.write(`${JSON.stringify(users)}\n`);
    } else if (users.length === 0) {
      io.write('no users yet; create the first owner with `kitepilot users create --email … --role owner`\n');
    } else {
      io.write(
        textTable(
          ['ID', 'EMAIL', 'ROLE', 'ACCOUNTS', 'TOTP', 'STATE'],
          users.map((u) => [
            u.id,
            u.email,
            u.role,
            u.role === 'owner' && u.accountIds.length === 0 ? '(all)' : u.accountIds.join(','),
            u.totpEnabled ? 'on' : 'off',
            u.disabledAt !== null
              ? 'disabled'
              : u.lockedUntil !== null
                ? `locked until ${u.lockedUntil}`
                : 'active',
          ]),
        ),
      );
    }
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers `kitepilot users`. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('installation users and their roles');
  users
    .command('create')
    .description(`create a user; the password comes from ${NEW_PASSWORD_ENV} or standard input`)
    .requiredOption('--email <email>', 'sign-in email (unique, case-insensitive)')
    .requiredOption('--role <role>', 'owner, operator or readonly (the first user must be an owner)')
    .option('--name <name>', 'display name (default: the email)')
    .option('--account <acc_…>', 'grant an account (repeatable)', collect)
    .option('--json', 'print the user as JSON')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async (flags: UsersCreateFlags) => {
      await runUsersCreate(flags);
    });
  users
    .command('list')
    .description('list users')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async (flags: UsersListFlags) => {
      await runUsersList(flags);
    });
}
