// Time-based one-time passwords (RFC 6238) as authenticator apps expect them: SHA-1, 6 digits, 30-second steps, and
// one step of clock drift accepted either way. The caller remembers the last accepted step so that a code is never
// accepted twice (a code seen over a shoulder or in a log is useless once used).
import { Secret, TOTP } from 'otpauth';

/** The TOTP step length in seconds. */
export const TOTP_PERIOD_SECONDS = 30;

const ISSUER = 'KitePilot';

/** Returns a new random TOTP secret (20 bytes) in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** Returns the `otpauth://totp/…` URI an authenticator app scans. */
export function totpUri(secretBase32: string, email: string): string {
  return totpOf(secretBase32, email).toString();
}

/** Returns the code of `secretBase32` at `atMs` (for tests and the CLI). */
export function totpCode(secretBase32: string, atMs: number): string {
  return totpOf(secretBase32, 'code').generate({ timestamp: atMs });
}

/** Returns the 30-second step `atMs` falls in. */
export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** Returns the step whose code `code` is (within ±1 step of `atMs`), or null when it matches none. */
export function matchTotpStep(secretBase32: string, code: string, atMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secretBase32, 'code').validate({ token: code, timestamp: atMs, window: 1 });
  return delta === null ? null : totpStep(atMs) + delta;
}
