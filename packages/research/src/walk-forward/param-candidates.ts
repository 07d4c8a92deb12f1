// The parameter sets a walk-forward study tries on every training period: a grid (the cartesian product of value
// lists) or N random draws (numeric ranges and choice lists) from the seeded core generator. Parameter names are
// taken in sorted order, so the candidates and their order depend only on the content of the search, never on the
// order its keys were written in (a configuration read back from the store may list them differently).
import { SeededRandom } from '@kitepilot/core';
import { WalkForwardConfigError } from './walk-forward-config-error.ts';

/** One value a strategy parameter may take (strings are parsed by the strategy's parameter types). */
export type CandidateValue = string | number | boolean;

/** One candidate: a value for every searched parameter. */
export type ParamSet = Readonly<Record<string, CandidateValue>>;

/** Value lists by parameter name. */
export type ParamGrid = Readonly<Record<string, readonly CandidateValue[]>>;

/**
 * A numeric range, inclusive. With `step` the values are min, min + step, … ≤ max; without it, integer bounds give
 * every integer between them and other bounds give any number between them (rounded to 6 decimals).
 */
export interface ParamRange {
  readonly min: number;
  readonly max: number;
  readonly step?: number;
}

/** The default cap on the number of candidates. */
export const DEFAULT_MAX_CANDIDATES = 10_000;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new WalkForwardConfigError(
      `parameter name ${JSON.stringify(name)} must start with a letter and hold only letters, digits and _`,
    );
  }
}

function checkCap(maxCandidates: number): void {
  if (!Number.isSafeInteger(maxCandidates) || maxCandidates < 1) {
    throw new WalkForwardConfigError(`maxCandidates ${maxCandidates} must be a whole number ≥ 1`);
  }
}

function checkValue(name: string, value: CandidateValue): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new WalkForwardConfigError(`parameter ${name}: value ${value} is not a finite number`);
  }
  if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
    throw new WalkForwardConfigError(
      `parameter ${name}: value ${JSON.stringify(value)} is not a string, number or boolean`,
    );
  }
}

/** Returns the candidate's values as canonical text (sorted names), to compare candidates. */
export function candidateKey(candidate: ParamSet): string {
  return JSON.stringify(
    Object.keys(candidate)
      .sort()
      .map((name) => [name, candidate[name]]),
  );
}

/**
 * Returns every combination of the grid's values, the last name (in sorted order) varying fastest. Throws
 * WalkForwardConfigError on an empty list, a repeated value, or more combinations than `maxCandidates`.
 */
export function gridCandidates(grid: ParamGrid, maxCandidates = DEFAULT_MAX_CANDIDATES): ParamSet[] {
  checkCap(maxCandidates);
  const names = Object.keys(grid).sort();
  if (names.length === 0) throw new WalkForwardConfigError('the grid searches no parameter');
  let size = 1;
  for (const name of names) {
    checkName(name);
    const values = grid[name] as readonly CandidateValue[];
    if (values.length === 0) throw new WalkForwardConfigError(`parameter ${name} has no values to try`);
    const seen = new Set<string>();
    for (const value of values) {
      checkValue(name, value);
      const key = JSON.stringify(value);
      if (seen.has(key)) throw new WalkForwardConfigError(`parameter ${name} lists the value ${key} twice`);
      seen.add(key);
    }
    size *= values.length;
  }
  if (size > maxCandidates) {
    const sizes = names.map((n) => `${n} ${(grid[n] as readonly CandidateValue[]).length}`).join(' × ');
    throw new WalkForwardConfigError(
      `the grid has ${size} parameter sets (${sizes}), more than the cap of ${maxCandidates}: narrow it or raise maxCandidates`,
    );
  }
  let sets: Record<string, CandidateValue>[] = [{}];
  for (const name of names) {
    const values = grid[name] as readonly CandidateValue[];
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value })));
  }
  return sets;
}

/** What randomCandidates draws from. */
export interface RandomSearch {
  /** Numeric ranges by parameter name. */
  readonly ranges: Readonly<Record<string, ParamRange>>;
  /** Choice lists by parameter name (each value equally likely). */
  readonly choices?: ParamGrid;
  /** How many distinct sets to draw. */
  readonly count: number;
  readonly seed: number;
  readonly maxCandidates?: number;
}

interface Sampler {
  readonly name: string;
  draw(random: SeededRandom): CandidateValue;
}

/** Returns how many steps a stepped range has above its minimum. */
function stepsOf(name: string, range: ParamRange, step: number): number {
  const steps = Math.floor((range.max - range.min) / step + 1e-9);
  if (steps + 1 > 4_294_967_296) {
    throw new WalkForwardConfigError(
      `parameter ${name}: the range ${range.min}:${range.max} has too many steps of ${step}`,
    );
  }
  return steps;
}

function rangeSampler(name: string, range: ParamRange): Sampler {
  const { min, max, step } = range;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new WalkForwardConfigError(
      `parameter ${name}: range ${min}:${max} needs finite bounds with min ≤ max`,
    );
  }
  if (step !== undefined && !(Number.isFinite(step) && step > 0)) {
    throw new WalkForwardConfigError(`parameter ${name}: step ${step} must be a number > 0`);
  }
  const effectiveStep = step ?? (Number.isInteger(min) && Number.isInteger(max) ? 1 : undefined);
  if (effectiveStep === undefined) {
    return { name, draw: (random) => Math.round((min + random.next() * (max - min)) * 1e6) / 1e6 };
  }
  const steps = stepsOf(name, range, effectiveStep);
  // toPrecision trims the binary residue of min + k × step (0.1 + 2 × 0.1 is 0.30000000000000004).
  return {
    name,
    draw: (random) => Number((min + random.nextInt(steps + 1) * effectiveStep).toPrecision(12)),
  };
}

/**
 * Returns up to `count` distinct parameter sets drawn with SeededRandom(seed): equal searches give equal sets in
 * equal order. Fewer come back only when the space holds fewer distinct sets than asked (drawing stops after
 * 50 × count tries). Throws WalkForwardConfigError on bad ranges, lists or counts.
 */
export function randomCandidates(search: RandomSearch): ParamSet[] {
  const maxCandidates = search.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  checkCap(maxCandidates);
  if (!Number.isSafeInteger(search.count) || search.count < 1) {
    throw new WalkForwardConfigError(`the random search count ${search.count} must be a whole number ≥ 1`);
  }
  if (search.count > maxCandidates) {
    throw new WalkForwardConfigError(
      `the random search asks for ${search.count} parameter sets, more than the cap of ${maxCandidates}`,
    );
  }
  if (!Number.isSafeInteger(search.seed)) {
    throw new WalkForwardConfigError(`the random search seed ${search.seed} must be an integer`);
  }
  const choices = search.choices ?? {};
  const samplers: Sampler[] = [];
  const names = [...new Set([...Object.keys(search.ranges), ...Object.keys(choices)])].sort();
  if (names.length === 0) throw new WalkForwardConfigError('the random search has no range or choice list');
  for (const name of names) {
    checkName(name);
    const range = search.ranges[name];
    const list = choices[name];
    if (range !== undefined && list !== undefined) {
      throw new WalkForwardConfigError(`parameter ${name} has both a range and a choice list; give one`);
    }
    if (range !== undefined) samplers.push(rangeSampler(name, range));
    else if (list !== undefined) {
      if (list.length === 0)
        throw new WalkForwardConfigError(`parameter ${name} has no values to choose from`);
      for (const value of list) checkValue(name, value);
      samplers.push({ name, draw: (random) => list[random.nextInt(list.length)] as CandidateValue });
    }
  }
  const random = new SeededRandom(search.seed);
  const seen = new Set<string>();
  const sets: ParamSet[] = [];
  for (let tries = 0; sets.length < search.count && tries < search.count * 50; tries++) {
    const set: Record<string, CandidateValue> = {};
    for (const sampler of samplers) set[sampler.name] = sampler.draw(random);
    const key = candidateKey(set);
    if (seen.has(key)) continue;
    seen.add(key);
    sets.push(set);
  }
  return sets;
}
