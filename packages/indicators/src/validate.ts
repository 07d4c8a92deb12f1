// Argument checks shared by every indicator: bad parameters and non-finite inputs throw before any state changes.

/** Throws a RangeError unless `value` is a positive integer; `what` names the parameter (e.g. `Sma period`). */
export function requirePeriod(what: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Throws a RangeError unless `value` is a finite number; `what` names the input (e.g. `Sma(20) input`). */
export function requireFinite(what: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${what} must be a finite number, got ${String(value)}`);
  }
  return value;
}
