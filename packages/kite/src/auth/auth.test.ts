import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loginUrl } from './login-url.ts';
import { sessionChecksum } from './session-checksum.ts';
import { accessTokenExpiry } from './session-expiry.ts';

describe('loginUrl', () => {
  it('builds the v3 login URL with the api key and optional redirect params', () => {
    expect(loginUrl('abc')).toBe('https://kite.zerodha.com/connect/login?api_key=abc&v=3');
    expect(loginUrl('abc', 'http://127.0.0.1:9/connect/login', { acc: 'acc_1', x: 'a&b' })).toBe(
      'http://127.0.0.1:9/connect/login?api_key=abc&v=3&redirect_params=acc%3Dacc_1%26x%3Da%2526b',
    );
  });
});

describe('sessionChecksum', () => {
  it('is the lowercase hex SHA-256 of api_key + request_token + api_secret', () => {
    expect(sessionChecksum('key', 'req', 'sec')).toBe(createHash('sha256').update('keyreqsec').digest('hex'));
    expect(sessionChecksum('key', 'req', 'sec')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('accessTokenExpiry', () => {
  const ist = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h, m) - 19_800_000;
  it('expires at the next 06:00 IST after login', () => {
    expect(accessTokenExpiry(ist(23, 9, 15))).toBe(ist(24, 6));
    expect(accessTokenExpiry(ist(23, 23, 59))).toBe(ist(24, 6));
    expect(accessTokenExpiry(ist(23, 5, 59))).toBe(ist(23, 6));
    expect(accessTokenExpiry(ist(23, 6, 0))).toBe(ist(24, 6));
  });
});
