import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTokensCreate, runTokensList, runTokensRevoke } from './tokens.ts';
import { runUsersCreate, runUsersList, type PasswordIo } from './users.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kp-cli-users-'));
const password = 'a long enough password';

function io(env: Record<string, string> = {}, stdin?: string): PasswordIo & { out: () => string } {
  const lines: string[] = [];
  return {
    write: (text) => lines.push(text),
    env: { KITEPILOT_STORAGE_DATA_DIR: dataDir, ...env },
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
    out: () => lines.join(''),
  };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Each command opens the embedded store, which takes seconds on a busy machine.
describe('kitepilot users and tokens', { timeout: 180_000 }, () => {
  it('refuses a first user who is not an owner, and a password that is missing or short', async () => {
    const flags = { dataDir, email: 'r@example.in', role: 'readonly' };
    await expect(runUsersCreate(flags, io({ KITEPILOT_NEW_PASSWORD: password }))).rejects.toThrow(
      'the first user must be an owner, not readonly',
    );
    await expect(runUsersCreate({ ...flags, role: 'owner' }, io({}, ''))).rejects.toThrow(
      'no password: set KITEPILOT_NEW_PASSWORD or write it on standard input',
    );
    await expect(
      runUsersCreate({ ...flags, role: 'owner' }, io({ KITEPILOT_NEW_PASSWORD: 'short' })),
    ).rejects.toThrow('the password has 5 characters; at least 12 are required');
    await expect(runUsersCreate({ ...flags, role: 'boss' }, io())).rejects.toThrow(
      'role "boss" is not one of',
    );
  });

  it('creates an owner from the environment and one from standard input, and lists them', async () => {
    const owner = io({ KITEPILOT_NEW_PASSWORD: password });
    await runUsersCreate({ dataDir, email: 'Owner@example.in', role: 'owner' }, owner);
    expect(owner.out()).toMatch(/^Created owner Owner@example\.in \(usr_[0-9a-f]{24}\)\n$/);
    await runUsersCreate({ dataDir, email: 'second@example.in', role: 'owner' }, io({}, `${password}\nrest`));
    const operator = io({}, `${password}\n`);
    await expect(
      runUsersCreate({ dataDir, email: 'op@example.in', role: 'operator', account: ['acc_none'] }, operator),
    ).rejects.toThrow('account acc_none does not exist');
    const list = io();
    await runUsersList({ dataDir, json: true }, list);
    const users = JSON.parse(list.out()) as { email: string; role: string }[];
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ['Owner@example.in', 'owner'],
      ['second@example.in', 'owner'],
    ]);
    expect(list.out()).not.toContain(password);
  });

  it('creates a token printed once, lists it by prefix only, and revokes it', async () => {
    await expect(runTokensList({ dataDir }, io())).rejects.toThrow('there are 2 active owners');
    const user = 'owner@example.in';
    const created = io();
    const token = await runTokensCreate(
      { dataDir, user, name: 'prometheus', role: 'readonly', expiresDays: '30' },
      created,
    );
    expect(token).toMatch(/^kp_[A-Za-z0-9_-]{43}$/);
    expect(created.out()).toContain(token);
    await expect(
      runTokensCreate({ dataDir, name: 'x', role: 'owner', expiresDays: '0' }, io()),
    ).rejects.toThrow('--expires-days 0 is not a whole number ≥ 1');
    const listed = io();
    await runTokensList({ dataDir, user, json: true }, listed);
    const tokens = JSON.parse(listed.out()) as { id: string; prefix: string; revokedAt: string | null }[];
    expect(tokens).toHaveLength(1);
    expect(listed.out()).not.toContain(token);
    expect(token.startsWith(tokens[0]?.prefix ?? '?')).toBe(true);
    await runTokensRevoke(tokens[0]?.id ?? '', { dataDir, user }, io());
    await expect(runTokensRevoke(tokens[0]?.id ?? '', { dataDir, user }, io())).rejects.toThrow(
      'no live API token',
    );
    const after = io();
    await runTokensList({ dataDir, user, json: true }, after);
    expect((JSON.parse(after.out()) as { revokedAt: string | null }[])[0]?.revokedAt).not.toBeNull();
    await expect(runTokensList({ dataDir, user: 'nobody@example.in' }, io())).rejects.toThrow(
      'no user with email nobody@example.in',
    );
  });
});
