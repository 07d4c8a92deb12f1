import type { AccountId, ApiTokenRecord, NewUser, UserId } from '@kitepilot/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../errors.ts';
import { migrate } from '../migrate/migrate.ts';
import { defaultMigrationsDir } from '../migrate/migration-files.ts';
import { resetSchema } from '../testing/store-test-backend.ts';
import { useMigratedStore } from '../testing/contract/migrated-store.ts';
import type { StoreTestBackend } from '../testing/store-test-backend.ts';

const t0 = Date.UTC(2026, 10, 20, 3, 45);
const accA = 'acc_a' as AccountId;
const accB = 'acc_b' as AccountId;
const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g';

function aUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    id: 'usr_1' as UserId,
    email: 'Asha@Example.in',
    displayName: 'Asha',
    role: 'operator',
    passwordHash: hash,
    createdAt: t0,
    accountIds: [accB, accA],
    ...overrides,
  };
}

function aToken(overrides: Partial<ApiTokenRecord> = {}): ApiTokenRecord {
  return {
    id: 'tok_1',
    userId: 'usr_1' as UserId,
    name: 'cron',
    role: 'readonly',
    accountIds: null,
    tokenHash: 'a'.repeat(64),
    prefix: 'kp_abcd',
    createdAt: t0,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** Runs the auth repository contract (users, grants, lockout counters, TOTP steps, sessions, tokens). */
export function authRepositoryContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  describe(`SqlAuthRepository (${backend.kind})`, () => {
    beforeEach(async () => {
      await store().accounts.create({ id: accA, name: 'A', createdAt: t0 });
      await store().accounts.create({ id: accB, name: 'B', createdAt: t0 });
    });

    it('creates a user with its grants in order and finds it by email case-insensitively', async () => {
      const { auth } = store();
      expect(await auth.countUsers()).toBe(0);
      const user = await auth.createUser(aUser());
      expect(user).toMatchObject({
        id: 'usr_1',
        email: 'Asha@Example.in',
        role: 'operator',
        passwordHash: hash,
        totpSecret: null,
        totpEnabled: false,
        failedLogins: 0,
        lockedUntil: null,
        disabledAt: null,
        createdAt: t0,
        accountIds: ['acc_b', 'acc_a'],
      });
      expect((await auth.findUserByEmail('asha@example.IN'))?.id).toBe('usr_1');
      expect(await auth.findUserByEmail('nobody@example.in')).toBeNull();
      expect(await auth.countUsers()).toBe(1);
    });

    it('refuses a second user with the same email in another case, and a grant of an unknown account', async () => {
      const { auth } = store();
      await auth.createUser(aUser());
      const duplicate = auth.createUser(aUser({ id: 'usr_2' as UserId, email: 'ASHA@example.in' }));
      await expect(duplicate).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
      const unknown = auth.createUser(
        aUser({ id: 'usr_3' as UserId, email: 'b@x.in', accountIds: ['acc_none' as AccountId] }),
      );
      await expect(unknown).rejects.toBeInstanceOf(StoreError);
      // All or nothing: the refused user left no row behind.
      expect(await auth.getUser('usr_3' as UserId)).toBeNull();
    });

    it('refuses a password hash that is not argon2id', async () => {
      const plain = store().auth.createUser(aUser({ passwordHash: 'correct horse battery staple' }));
      await expect(plain).rejects.toMatchObject({ code: 'CHECK_VIOLATION' });
    });

    it('changes role, disables, grants and revokes accounts', async () => {
      const { auth } = store();
      const id = (await auth.createUser(aUser({ accountIds: [] }))).id;
      expect(await auth.setRole(id, 'readonly')).toBe(true);
      expect(await auth.setRole('usr_none' as UserId, 'owner')).toBe(false);
      expect(await auth.setDisabled(id, t0 + 5)).toBe(true);
      await auth.grantAccount(id, accA, t0 + 1);
      await auth.grantAccount(id, accA, t0 + 2);
      await auth.grantAccount(id, accB, t0 + 3);
      expect(await auth.getUser(id)).toMatchObject({
        role: 'readonly',
        disabledAt: t0 + 5,
        accountIds: ['acc_a', 'acc_b'],
      });
      expect(await auth.revokeAccount(id, accA)).toBe(true);
      expect(await auth.revokeAccount(id, accA)).toBe(false);
      expect((await auth.getUser(id))?.accountIds).toEqual(['acc_b']);
    });

    it('counts failed sign-ins, locks at the limit and clears', async () => {
      const { auth } = store();
      const id = (await auth.createUser(aUser())).id;
      expect(await auth.recordLoginFailure(id, 3, t0 + 900_000)).toEqual({
        failedLogins: 1,
        lockedUntil: null,
      });
      expect(await auth.recordLoginFailure(id, 3, t0 + 900_000)).toEqual({
        failedLogins: 2,
        lockedUntil: null,
      });
      expect(await auth.recordLoginFailure(id, 3, t0 + 900_000)).toEqual({
        failedLogins: 3,
        lockedUntil: t0 + 900_000,
      });
      await auth.clearLoginFailures(id);
      expect(await auth.getUser(id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
      await expect(auth.recordLoginFailure('usr_none' as UserId, 3, t0)).rejects.toThrow(/no user usr_none/);
    });

    it('stores an encrypted TOTP secret, enables it with a step and refuses the same or an earlier step', async () => {
      const { auth } = store();
      const id = (await auth.createUser(aUser())).id;
      expect(await auth.useTotpStep(id, 100, true)).toBe(false);
      const secret = {
        ciphertext: new Uint8Array(30).fill(7),
        nonce: new Uint8Array(12).fill(1),
        keyId: 'k1',
      };
      await auth.setTotpSecret(id, secret);
      const pending = await auth.getUser(id);
      expect(pending?.totpEnabled).toBe(false);
      expect(Buffer.from(pending?.totpSecret?.ciphertext ?? [])).toEqual(Buffer.from(secret.ciphertext));
      expect(await auth.useTotpStep(id, 100, true)).toBe(true);
      expect(await auth.useTotpStep(id, 100, false)).toBe(false);
      expect(await auth.useTotpStep(id, 99, false)).toBe(false);
      expect(await auth.useTotpStep(id, 101, false)).toBe(true);
      expect(await auth.getUser(id)).toMatchObject({ totpEnabled: true, totpLastStep: 101 });
      await auth.setTotpSecret(id, null);
      expect(await auth.getUser(id)).toMatchObject({
        totpEnabled: false,
        totpSecret: null,
        totpLastStep: null,
      });
    });

    it('stores, touches and revokes sessions', async () => {
      const { auth } = store();
      const id = (await auth.createUser(aUser())).id;
      const session = {
        id: 'f'.repeat(64),
        userId: id,
        createdAt: t0,
        expiresAt: t0 + 7 * 86_400_000,
        lastSeenAt: t0,
        revokedAt: null,
        ip: '127.0.0.1',
        userAgent: 'test',
      };
      await auth.createSession(session);
      await auth.createSession({ ...session, id: 'e'.repeat(64) });
      expect(await auth.getSession(session.id)).toEqual(session);
      await auth.touchSession(session.id, t0 + 60_000);
      expect((await auth.getSession(session.id))?.lastSeenAt).toBe(t0 + 60_000);
      expect(await auth.revokeSession(session.id, t0 + 1)).toBe(true);
      expect(await auth.revokeSession(session.id, t0 + 2)).toBe(false);
      expect((await auth.getSession(session.id))?.revokedAt).toBe(t0 + 1);
      expect(await auth.revokeUserSessions(id, t0 + 3)).toBe(1);
      expect(await auth.getSession('0'.repeat(64))).toBeNull();
      await expect(auth.createSession({ ...session, id: 'not-a-hash' })).rejects.toMatchObject({
        code: 'CHECK_VIOLATION',
      });
    });

    it('stores tokens by hash with their account subset, lists, revokes and throttles last use', async () => {
      const { auth } = store();
      await auth.createUser(aUser());
      await auth.createToken(aToken());
      await auth.createToken(
        aToken({ id: 'tok_2', tokenHash: 'b'.repeat(64), accountIds: [accA], createdAt: t0 + 1 }),
      );
      expect(await auth.findTokenByHash('b'.repeat(64))).toMatchObject({
        id: 'tok_2',
        accountIds: ['acc_a'],
      });
      expect((await auth.findTokenByHash('a'.repeat(64)))?.accountIds).toBeNull();
      expect(await auth.findTokenByHash('c'.repeat(64))).toBeNull();
      expect((await auth.listTokens('usr_1' as UserId)).map((t) => t.id)).toEqual(['tok_2', 'tok_1']);
      expect(await auth.touchToken('tok_1', t0 + 1000, 60_000)).toBe(true);
      expect(await auth.touchToken('tok_1', t0 + 30_000, 60_000)).toBe(false);
      expect(await auth.touchToken('tok_1', t0 + 61_000, 60_000)).toBe(true);
      expect((await auth.findTokenByHash('a'.repeat(64)))?.lastUsedAt).toBe(t0 + 61_000);
      expect(await auth.revokeToken('usr_other' as UserId, 'tok_1', t0 + 2)).toBe(false);
      expect(await auth.revokeToken('usr_1' as UserId, 'tok_1', t0 + 2)).toBe(true);
      expect(await auth.revokeToken('usr_1' as UserId, 'tok_1', t0 + 3)).toBe(false);
      expect((await auth.findTokenByHash('a'.repeat(64)))?.revokedAt).toBe(t0 + 2);
      await expect(auth.createToken(aToken({ id: 'tok_3' }))).rejects.toMatchObject({
        code: 'UNIQUE_VIOLATION',
      });
    });

    it('upgrades users of schema 6: trader → operator, viewer → readonly, their account granted', async () => {
      const driver = backend.driver();
      const before = mkdtempSync(join(tmpdir(), 'kp-migrations-6-'));
      try {
        for (const file of readdirSync(defaultMigrationsDir()).filter((f) => /^000[1-6]_/.test(f))) {
          copyFileSync(join(defaultMigrationsDir(), file), join(before, file));
        }
        await resetSchema(driver);
        await migrate(driver, { migrationsDir: before });
        await driver.exec(`INSERT INTO accounts (id, name) VALUES ('acc_x', 'x');
          INSERT INTO users (id, account_id, email, display_name, role) VALUES
            ('usr_t', 'acc_x', 't@example.in', 'T', 'trader'), ('usr_v', 'acc_x', 'v@example.in', 'V', 'viewer')`);
        await migrate(driver);
      } finally {
        rmSync(before, { recursive: true, force: true });
      }
      const { auth } = store();
      expect(await auth.getUser('usr_t' as UserId)).toMatchObject({
        role: 'operator',
        accountIds: ['acc_x'],
      });
      expect(await auth.getUser('usr_v' as UserId)).toMatchObject({
        role: 'readonly',
        accountIds: ['acc_x'],
      });
    });
  });
}
