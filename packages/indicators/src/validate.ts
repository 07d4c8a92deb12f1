// Argument checks shared by every indicator: bad parameters and non-finite inputs throw before any state changes.

/** Throws a RangeError unless `value` is a positive integer; `what` names the parameter (e.g. `Sma period`). */
export function requirePeriod(what: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Throws a RangeError unless `value` is a finite number; `owner` and `what` name it (`Sma(20)`, `input`). The
 * message is built only on failure: this runs on every update.
 */
export function requireFinite(value: number, owner: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${owner} ${what} must be a finite number, got ${String(value)}`);
  }
  return value;
}
