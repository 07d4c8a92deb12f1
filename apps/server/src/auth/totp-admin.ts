// TOTP enrolment: enrol stores a new secret (encrypted, not yet enabled) and returns its otpauth:// URI once; a
// valid code confirms and enables it; disabling needs the password.
import type { UserId } from '@kitepilot/core';
import { AuthError } from './auth-error.ts';
import { totpContext, type AuthService } from './auth-service.ts';
import { verifyPassword } from './passwords.ts';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.ts';

async function userOf(auth: AuthService, id: UserId) {
  const user = await auth.store.auth.getUser(id);
  if (user === null) throw new AuthError('NOT_FOUND', `no user ${id}`);
  return user;
}

/** Starts a TOTP enrolment and returns the URI to scan (shown this once); CONFLICT when TOTP is already on. */
export async function enrolTotp(auth: AuthService, id: UserId): Promise<string> {
  const user = await userOf(auth, id);
  if (user.totpEnabled) throw new AuthError('CONFLICT', 'TOTP is already enabled; disable it first');
  const secret = newTotpSecret();
  const sealed = auth.cipher().encrypt(secret, totpContext(id));
  await auth.store.auth.setTotpSecret(id, sealed);
  await auth.audit('totp_enrol', id, { userId: id });
  return totpUri(secret, user.email);
}

/** Enables TOTP with a valid code of the pending enrolment. */
export async function confirmTotp(auth: AuthService, id: UserId, code: string): Promise<void> {
  const user = await userOf(auth, id);
  if (user.totpEnabled) throw new AuthError('CONFLICT', 'TOTP is already enabled');
  if (user.totpSecret === null) throw new AuthError('CONFLICT', 'no TOTP enrolment to confirm; enrol first');
  const secret = auth.cipher().decryptText(user.totpSecret, totpContext(id));
  const step = matchTotpStep(secret, code, auth.clock.now());
  if (step === null) throw new AuthError('VALIDATION_FAILED', 'the TOTP code is wrong');
  if (!(await auth.store.auth.useTotpStep(id, step, true))) {
    throw new AuthError('VALIDATION_FAILED', 'the TOTP code was already used; wait for the next');
  }
  await auth.audit('totp_enabled', id, { userId: id });
}

/** Removes TOTP after checking the password. */
export async function disableTotp(auth: AuthService, id: UserId, password: string): Promise<void> {
  const user = await userOf(auth, id);
  if (user.passwordHash === null || !(await verifyPassword(user.passwordHash, password))) {
    throw new AuthError('FORBIDDEN', 'the password is wrong');
  }
  if (user.totpSecret === null) throw new AuthError('CONFLICT', 'TOTP is not enabled');
  await auth.store.auth.setTotpSecret(id, null);
  await auth.audit('totp_disabled', id, { userId: id });
}
