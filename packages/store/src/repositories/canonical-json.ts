import { createHash } from 'node:crypto';
import type { JsonValue } from '@kitepilot/core';
import { StoreValueError } from '../errors.ts';

/**
 * Returns the canonical JSON text of `value`: object keys sorted by code unit, no whitespace, numbers as JSON
 * writes them. Equal values give equal text whatever their key order, so a hash of it identifies a configuration.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StoreValueError(`JSON cannot hold the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => canonicalJson(v)).join(',')}]`;
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) throw new StoreValueError(`JSON key ${key} has the value undefined`);
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Returns the sha256 of a UTF-8 text, hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
