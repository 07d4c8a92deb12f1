import { describe, expect, it } from 'vitest';
import { postbackDigest, rawBodyFields, receiptBytes } from './postback-receipts.ts';

describe('postbackDigest', () => {
  it('is equal for equal content whatever the key order, and differs for other content', () => {
    expect(postbackDigest({ a: 1, b: 'x' })).toBe(postbackDigest({ b: 'x', a: 1 }));
    expect(postbackDigest({ a: 1, b: 'x' })).not.toBe(postbackDigest({ a: 1, b: 'y' }));
    expect(postbackDigest({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('rawBodyFields', () => {
  it('keeps UTF-8 text as text (a byte-order mark included) and anything else as base64, both byte-exact', () => {
    const bodies = [
      Buffer.from('{"a": "₹ 1,00,000"}\n'),
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
      Buffer.from([0x7b, 0xe9, 0x7d]),
      Buffer.from('{"a":"\u0000"}'),
      Buffer.alloc(0),
    ];
    const fields = bodies.map((b) => rawBodyFields(b));
    expect(fields.map((f) => Object.keys(f)[0])).toEqual(['raw', 'raw', 'rawBase64', 'rawBase64', 'raw']);
    for (const [i, body] of bodies.entries()) {
      // Through JSON, as jsonb stores it.
      expect(receiptBytes(JSON.parse(JSON.stringify(fields[i])))?.equals(body)).toBe(true);
    }
    expect(receiptBytes({ other: 1 })).toBeNull();
    expect(receiptBytes('text')).toBeNull();
  });
});
