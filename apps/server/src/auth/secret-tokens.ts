// Random secrets of sessions, API tokens and the setup token, and their hashes. Only hashes are stored: a leaked
// database does not let anyone sign in.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The prefix of every API token. */
export const API_TOKEN_PREFIX = 'kp_';

/** How many leading characters of an API token are kept for display. */
export const API_TOKEN_DISPLAY_CHARS = 10;

/** Returns 32 random bytes as base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Returns the SHA-256 of `value` in hex. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Returns whether two hex hashes are equal, in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A new API token: the token (shown once), its hash and its display prefix. */
export interface NewApiToken {
  readonly token: string;
  readonly tokenHash: string;
  readonly prefix: string;
}

/** Returns a new API token `kp_` + 32 random bytes in base64url. */
export function newApiToken(): NewApiToken {
  const token = `${API_TOKEN_PREFIX}${randomSecret()}`;
  return { token, tokenHash: sha256Hex(token), prefix: token.slice(0, API_TOKEN_DISPLAY_CHARS) };
}

/** Returns whether `value` has the shape of an API token. */
export function looksLikeApiToken(value: string): boolean {
  return /^kp_[A-Za-z0-9_-]{43}$/.test(value);
}

/** Returns whether `value` has the shape of a session cookie secret. */
export function looksLikeSessionSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * Returns the CSRF token of a session: an HMAC of a fixed label keyed by the cookie secret. It is derived rather
 * than stored, and a page can learn it only from a same-origin response (login, GET /api/auth/session).
 */
export function csrfTokenOf(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('kitepilot-csrf/v1').digest('base64url');
}

/** Returns a new id with `prefix` and 24 random hex digits. */
export function newId(prefix: 'usr' | 'tok'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
