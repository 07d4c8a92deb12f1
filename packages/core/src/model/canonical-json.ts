import { InvariantError } from './errors.ts';
import type { JsonValue } from '../ports/repositories.ts';

/**
 * Returns the canonical JSON text of `value`: object keys sorted by code unit, no whitespace, numbers as JSON
 * writes them. Equal values give equal text whatever their key order, so a hash of it identifies a configuration.
 * Throws InvariantError for a number JSON cannot hold and for an undefined member.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvariantError(`JSON cannot hold the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => canonicalJson(v)).join(',')}]`;
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) throw new InvariantError(`JSON key ${key} has the value undefined`);
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}
