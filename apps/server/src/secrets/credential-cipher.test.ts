import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialCipher, CredentialError } from './credential-cipher.ts';

const ctx = { accountId: 'acc_1', purpose: 'kite-session' };

describe('CredentialCipher', () => {
  it('round-trips a secret with a fresh 12-byte nonce each time and never stores the plaintext', () => {
    const cipher = new CredentialCipher(randomBytes(32));
    const a = cipher.encrypt('access-token-xyz', ctx);
    const b = cipher.encrypt('access-token-xyz', ctx);
    expect(a.nonce).toHaveLength(12);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from('access-token-xyz'))).toBe(false);
    expect(a.ciphertext.length).toBe('access-token-xyz'.length + 16);
    expect(cipher.decryptText(a, ctx)).toBe('access-token-xyz');
  });

  it('says the master key does not match when another key encrypted the secret', () => {
    const sealed = new CredentialCipher(randomBytes(32)).encrypt('s', ctx);
    expect(() => new CredentialCipher(randomBytes(32)).decrypt(sealed, ctx)).toThrow(
      /the master key does not match the one the kite-session credentials of account acc_1 were encrypted with/,
    );
  });

  it('detects a tampered ciphertext, tag or nonce', () => {
    const cipher = new CredentialCipher(randomBytes(32));
    const sealed = cipher.encrypt('secret', ctx);
    for (const index of [0, sealed.ciphertext.length - 1]) {
      const ct = Buffer.from(sealed.ciphertext);
      ct[index] = (ct[index] ?? 0) ^ 1;
      expect(() => cipher.decrypt({ ...sealed, ciphertext: ct }, ctx)).toThrow(/do not authenticate/);
    }
    const nonce = Buffer.from(sealed.nonce);
    nonce[0] = (nonce[0] ?? 0) ^ 1;
    expect(() => cipher.decrypt({ ...sealed, nonce }, ctx)).toThrow(CredentialError);
  });

  it('binds the ciphertext to its account and purpose', () => {
    const cipher = new CredentialCipher(randomBytes(32));
    const sealed = cipher.encrypt('secret', ctx);
    expect(() => cipher.decrypt(sealed, { ...ctx, accountId: 'acc_2' })).toThrow(/do not authenticate/);
    expect(() => cipher.decrypt(sealed, { ...ctx, purpose: 'other' })).toThrow(/do not authenticate/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new CredentialCipher(randomBytes(16))).toThrow(
      'the master key is 16 bytes; AES-256 needs exactly 32',
    );
  });
});
