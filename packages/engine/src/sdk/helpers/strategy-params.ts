// Parameter reading shared by strategies (the built-ins use it; so can user strategies). The kernel validates parameters against the ParamSpecs before create(); this reader
// checks them again so that create() called directly with raw values fails with the same clear errors.
import type { Product } from '@kitepilot/core';
import { StrategyConfigError, type ParamSpec, type ParamValue, type StrategyParams } from '../strategy.ts';

/** The `symbol` parameter every built-in strategy takes. */
export const SYMBOL_PARAM: ParamSpec = {
  type: 'string',
  default: null,
  description: 'instrument to trade, e.g. NSE:INFY or INFY.NSE',
};

/** The `qty` parameter (units per entry; lot multiples are checked by risk). */
export const QTY_PARAM: ParamSpec = {
  type: 'integer',
  default: 1,
  min: 1,
  description: 'quantity per entry in units (a lot multiple for derivatives)',
};

/** The products a built-in strategy may trade. */
export const STRATEGY_PRODUCTS = ['MIS', 'CNC', 'NRML'] as const satisfies readonly Product[];

/** The `product` parameter. */
export const PRODUCT_PARAM: ParamSpec = {
  type: 'string',
  default: 'MIS',
  choices: STRATEGY_PRODUCTS,
  description: 'product: MIS (intraday), CNC (delivery) or NRML (carry-forward F&O)',
};

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Returns the milliseconds after midnight of an `HH:MM` time, or null when `text` is not one. */
export function timeOfDayMs(text: string): number | null {
  const m = TIME.exec(text);
  if (m === null) return null;
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Returns a plain decimal string as its number (values straight from `--param k=v`); anything else unchanged. */
function numeric(value: ParamValue): ParamValue {
  return typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : value;
}

/** An `HH:MM` IST wall time parameter: its text and its offset from IST midnight. */
export interface TimeParam {
  readonly text: string;
  readonly msOfDay: number;
}

/** Reads a strategy's parameters by their specs (defaults applied), throwing StrategyConfigError with the values. */
export class ParamReader {
  readonly #strategy: string;
  readonly #specs: Readonly<Record<string, ParamSpec>>;
  readonly #params: StrategyParams;

  /** Creates a reader; throws StrategyConfigError for a parameter the specs do not know. */
  constructor(strategy: string, specs: Readonly<Record<string, ParamSpec>>, params: StrategyParams) {
    this.#strategy = strategy;
    this.#specs = specs;
    this.#params = params;
    for (const name of Object.keys(params)) {
      if (!Object.hasOwn(specs, name)) {
        this.fail(`unknown parameter ${name}; known: ${Object.keys(specs).join(', ')}`);
      }
    }
  }

  /** Throws a StrategyConfigError prefixed with the strategy name. */
  fail(message: string): never {
    throw new StrategyConfigError(`${this.#strategy}: ${message}`);
  }

  #raw(name: string): { readonly spec: ParamSpec; readonly value: ParamValue } {
    const spec = this.#specs[name];
    if (spec === undefined) throw new StrategyConfigError(`${this.#strategy}: no spec for parameter ${name}`);
    const value = this.#params[name] ?? spec.default;
    if (value === null) this.fail(`parameter ${name} is required (${spec.description})`);
    return { spec, value };
  }

  #bounded(name: string, spec: ParamSpec, value: number): number {
    if (spec.min !== undefined && value < spec.min) {
      this.fail(`parameter ${name}=${value} is below the minimum ${spec.min}`);
    }
    if (spec.max !== undefined && value > spec.max) {
      this.fail(`parameter ${name}=${value} is above the maximum ${spec.max}`);
    }
    return value;
  }

  /** Returns a finite number within the spec's bounds (a decimal string such as `'0.5'` is read as its number). */
  number(name: string): number {
    const { spec, value: raw } = this.#raw(name);
    const value = numeric(raw);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(`parameter ${name}=${JSON.stringify(value)} is not a finite number`);
    }
    return this.#bounded(name, spec, value);
  }

  /** Returns a safe integer within the spec's bounds (a digit string such as `'10'` is read as its number). */
  integer(name: string): number {
    const { spec, value: raw } = this.#raw(name);
    const value = numeric(raw);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.fail(`parameter ${name}=${JSON.stringify(value)} is not an integer`);
    }
    return this.#bounded(name, spec, value);
  }

  /** Returns a non-empty string, one of the spec's choices when it has them. */
  string(name: string): string {
    const { spec, value } = this.#raw(name);
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(`parameter ${name}=${JSON.stringify(value)} is not a non-empty string`);
    }
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      this.fail(`parameter ${name}=${value} is not one of ${spec.choices.join(', ')}`);
    }
    return value.trim();
  }

  /** Returns one of `choices` (which must match the spec's). */
  choice<T extends string>(name: string, choices: readonly T[]): T {
    const value = this.string(name);
    if (!(choices as readonly string[]).includes(value)) {
      this.fail(`parameter ${name}=${value} is not one of ${choices.join(', ')}`);
    }
    return value as T;
  }

  /** Returns an `HH:MM` IST wall time. */
  time(name: string): TimeParam {
    const { value } = this.#raw(name);
    const msOfDay = typeof value === 'string' ? timeOfDayMs(value) : null;
    if (typeof value !== 'string' || msOfDay === null) {
      this.fail(`parameter ${name}=${JSON.stringify(value)} is not an HH:MM time (00:00–23:59)`);
    }
    return { text: value, msOfDay };
  }

  /** Returns the `product` parameter. */
  product(): (typeof STRATEGY_PRODUCTS)[number] {
    return this.choice('product', STRATEGY_PRODUCTS);
  }
}
