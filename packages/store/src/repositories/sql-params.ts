import type { AccountId, JsonValue } from '@kitepilot/core';
import { StoreValueError } from '../errors.ts';
import { toTimestamptzParam } from '../driver/type-parsers.ts';

/** Returns an epoch-ms time as a `$n::timestamptz` parameter. */
export function tsParam(epochMs: number): string {
  return toTimestamptzParam(epochMs);
}

/** Returns an optional epoch-ms time as a `$n::timestamptz` parameter (null stays null). */
export function tsParamOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : toTimestamptzParam(epochMs);
}

/** Returns a JSON value as `$n::jsonb` parameter text (both drivers pass strings through unchanged). */
export function jsonParam(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Returns an integer paise or quantity value for a bigint parameter after checking it is a safe integer. */
export function intParam(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new StoreValueError(`${what} ${value} is not a safe integer`);
  return value;
}

/** Returns the optional integer `value` for a bigint parameter after checking it (null stays null). */
export function intParamOrNull(value: number | null, what: string): number | null {
  return value === null ? null : intParam(value, what);
}

/** Throws when an entity's own account differs from the account the caller scoped the call to. */
export function assertSameAccount(scope: AccountId, owner: AccountId, what: string): void {
  if (scope !== owner) {
    throw new StoreValueError(
      `${what} belongs to account ${owner}, not to the account ${scope} the call is scoped to`,
    );
  }
}

/** Returns `value` when it is a number column that came back as a number; throws otherwise. */
export function num(value: unknown, column: string): number {
  if (typeof value !== 'number')
    throw new StoreValueError(`column ${column} is ${typeof value}, expected a number`);
  return value;
}

/** Returns `value` as a number or null. */
export function numOrNull(value: unknown, column: string): number | null {
  return value === null ? null : num(value, column);
}
