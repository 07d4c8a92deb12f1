// Invariants: canonical JSON does not depend on object key order; parsing it and writing it again is the identity;
// it is valid JSON for the same value.
import type { JsonValue } from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical-json.ts';

function shuffleKeys(value: JsonValue, seed: number): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: JsonValue, i) => shuffleKeys(v, seed + i));
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record);
  const rotated = keys.map((_, i) => keys[(i + seed) % keys.length] as string);
  return Object.fromEntries(rotated.map((k) => [k, shuffleKeys(record[k] as JsonValue, seed + 1)]));
}

const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>;

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(json, fc.nat(10), (v, seed) => canonicalJson(shuffleKeys(v, seed)) === canonicalJson(v)),
    );
  });

  it('is the identity after a parse', () => {
    fc.assert(
      fc.property(json, (v) => canonicalJson(JSON.parse(canonicalJson(v)) as JsonValue) === canonicalJson(v)),
    );
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/cannot hold the number NaN/);
  });
});

describe('sha256Hex', () => {
  it('returns the sha256 of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
