// Passwords are stored as argon2id PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), with parameters at or above
// the OWASP minimum (m = 19 MiB, t = 2, p = 1). The library compares in constant time.
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomSecret } from './secret-tokens.ts';

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/** The longest password accepted (argon2 takes any length; this bounds the work of one request). */
export const MAX_PASSWORD_LENGTH = 1024;

// Algorithm.Argon2id: a const enum, which cannot be imported under isolatedModules.
const ARGON2ID = 2 as Algorithm;

const PARAMETERS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A password that does not meet the policy; the message says why (never the password). */
export class PasswordPolicyError extends Error {
  override name = 'PasswordPolicyError';
}

/** Throws PasswordPolicyError unless `password` has between 12 and 1024 characters. */
export function checkPasswordPolicy(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(
      `the password has ${length} characters; at least ${MIN_PASSWORD_LENGTH} are required`,
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(
      `the password has ${length} characters; at most ${MAX_PASSWORD_LENGTH} are accepted`,
    );
  }
}

/** Returns the argon2id PHC string of `password` after checking the policy. */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  return hash(password, PARAMETERS);
}

/** Returns whether `password` matches the PHC string `passwordHash` (false for a malformed hash). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH * 4) return false;
  try {
    return await verify(passwordHash, password);
  } catch (error) {
    // A stored hash the library cannot parse is a broken row, not a wrong password: say so in the cause chain.
    throw new Error('the stored password hash cannot be verified', { cause: error });
  }
}

// A hash of a random password, verified against when the email is unknown so that an unknown email takes as long
// as a wrong password (no user enumeration by timing).
let decoy: Promise<string> | null = null;

/** Spends the time of one password verification and returns false. */
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hash(randomSecret(), PARAMETERS);
  await verify(await decoy, password.slice(0, MAX_PASSWORD_LENGTH));
  return false;
}
