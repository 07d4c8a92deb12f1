// Turns raw strategy parameters (command line `--param fast=10`, config files) into validated StrategyParams:
// typed values, defaults applied, bounds and choices checked. Every problem is reported at once, by name.
import {
  StrategyConfigError,
  type ParamSpec,
  type ParamValue,
  type StrategyDefinition,
  type StrategyParams,
} from './strategy.ts';

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function show(value: ParamValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Returns the typed value of one parameter, or a sentence saying what is wrong with it. */
function parseOne(name: string, spec: ParamSpec, raw: ParamValue): ParamValue | { readonly error: string } {
  const bad = (expected: string) => ({ error: `parameter ${name} = ${show(raw)} is not ${expected}` });
  let value: ParamValue;
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const integer = spec.type === 'integer';
      if (typeof raw === 'string') {
        const s = raw.trim();
        if (!(integer ? INTEGER : NUMBER).test(s)) return bad(integer ? 'an integer' : 'a number');
        value = Number(s);
      } else if (typeof raw === 'number') {
        value = raw;
      } else {
        return bad(integer ? 'an integer' : 'a number');
      }
      if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
        return bad(integer ? 'an integer' : 'a finite number');
      }
      if (spec.min !== undefined && value < spec.min) {
        return { error: `parameter ${name} = ${value} is below the minimum ${spec.min}` };
      }
      if (spec.max !== undefined && value > spec.max) {
        return { error: `parameter ${name} = ${value} is above the maximum ${spec.max}` };
      }
      return value;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return bad('a boolean (true or false)');
    case 'time':
      if (typeof raw !== 'string' || !TIME.test(raw.trim())) return bad('an IST time HH:MM');
      return raw.trim();
    case 'string':
      if (typeof raw !== 'string') return bad('a string');
      if (spec.choices !== undefined && !spec.choices.includes(raw)) {
        return { error: `parameter ${name} = ${show(raw)} is not one of ${spec.choices.join(', ')}` };
      }
      return raw;
  }
}

/**
 * Returns the validated parameters of `definition` from `raw`: strings are parsed by the declared type, absent
 * parameters take their defaults, and unknown or missing-required ones are errors. Throws one StrategyConfigError
 * listing every problem (parameter, value, expected type/range/choices).
 */
export function parseStrategyParams(
  definition: Pick<StrategyDefinition, 'name' | 'params'>,
  raw: Readonly<Record<string, string | ParamValue>>,
): StrategyParams {
  const errors: string[] = [];
  const known = Object.keys(definition.params);
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(definition.params, name)) {
      errors.push(`unknown parameter ${name} (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
  }
  const params: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(definition.params)) {
    const given = Object.hasOwn(raw, name) ? raw[name] : undefined;
    const value = given ?? spec.default;
    if (value === null) {
      errors.push(`parameter ${name} is required (${spec.type}: ${spec.description})`);
      continue;
    }
    const parsed = parseOne(name, spec, value);
    if (typeof parsed === 'object') {
      errors.push(given === undefined ? `default of ${parsed.error}` : parsed.error);
      continue;
    }
    params[name] = parsed;
  }
  if (errors.length > 0) {
    throw new StrategyConfigError(`strategy ${definition.name}: ${errors.join('; ')}`);
  }
  return params;
}
