// Properties: a grid yields exactly the product of its list lengths, all distinct, each value from its list, in an
// order that does not depend on the order its names were written in; a random search with one seed yields the
// same distinct sets every time, each value inside its range, on its step, or from its list.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  candidateKey,
  gridCandidates,
  randomCandidates,
  type CandidateValue,
  type ParamGrid,
} from './param-candidates.ts';
import { WalkForwardConfigError } from './walk-forward-config-error.ts';

describe('gridCandidates', () => {
  it('returns the cartesian product, the last name in sorted order varying fastest', () => {
    expect(gridCandidates({ slow: [30, 50], fast: [5, 10, 20] })).toEqual([
      { fast: 5, slow: 30 },
      { fast: 5, slow: 50 },
      { fast: 10, slow: 30 },
      { fast: 10, slow: 50 },
      { fast: 20, slow: 30 },
      { fast: 20, slow: 50 },
    ]);
    expect(gridCandidates({ interval: ['1m'] })).toEqual([{ interval: '1m' }]);
  });

  it('refuses more sets than the cap, naming the sizes', () => {
    const grid = { a: [1, 2, 3, 4], b: [1, 2, 3] };
    expect(gridCandidates(grid, 12)).toHaveLength(12);
    expect(() => gridCandidates(grid, 11)).toThrow(
      'the grid has 12 parameter sets (a 4 × b 3), more than the cap of 11: narrow it or raise maxCandidates',
    );
  });

  it('refuses an empty grid or list, a repeated value, a bad name and a non-finite number', () => {
    expect(() => gridCandidates({})).toThrow('the grid searches no parameter');
    expect(() => gridCandidates({ fast: [] })).toThrow('parameter fast has no values to try');
    expect(() => gridCandidates({ fast: [5, 10, 5] })).toThrow('parameter fast lists the value 5 twice');
    expect(() => gridCandidates({ 'fast-ma': [5] })).toThrow(
      'parameter name "fast-ma" must start with a letter',
    );
    expect(() => gridCandidates({ fast: [Number.POSITIVE_INFINITY] })).toThrow('is not a finite number');
    expect(() => gridCandidates({ fast: [5] }, 0)).toThrow('maxCandidates 0 must be a whole number ≥ 1');
  });

  it('has product-many distinct sets whatever order the names come in', () => {
    const lists = fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
      fc.uniqueArray(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constantFrom('a', 'b', 'c')), {
        minLength: 1,
        maxLength: 4,
        selector: (v) => JSON.stringify(v),
      }),
      { minKeys: 1, maxKeys: 4 },
    );
    fc.assert(
      fc.property(lists, (grid: Record<string, CandidateValue[]>) => {
        const sets = gridCandidates(grid);
        const size = Object.values(grid).reduce((n, list) => n * list.length, 1);
        expect(sets).toHaveLength(size);
        expect(new Set(sets.map(candidateKey)).size).toBe(size);
        for (const set of sets) {
          for (const [name, value] of Object.entries(set)) expect(grid[name]).toContainEqual(value);
        }
        const reversed: ParamGrid = Object.fromEntries(Object.entries(grid).reverse());
        expect(gridCandidates(reversed)).toEqual(sets);
      }),
    );
  });
});

describe('randomCandidates', () => {
  it('draws integer, stepped and continuous values and choices, the same for the same seed', () => {
    const search = {
      ranges: {
        fast: { min: 5, max: 30 },
        stopPct: { min: 0.5, max: 2, step: 0.25 },
        k: { min: 0.1, max: 0.2 },
      },
      choices: { interval: ['1m', '5m'] },
      count: 20,
      seed: 7,
    };
    const sets = randomCandidates(search);
    expect(sets).toHaveLength(20);
    expect(randomCandidates(search)).toEqual(sets);
    expect(randomCandidates({ ...search, seed: 8 })).not.toEqual(sets);
    for (const set of sets) {
      expect(Number.isInteger(set['fast'])).toBe(true);
      expect(set['fast']).toBeGreaterThanOrEqual(5);
      expect(set['fast']).toBeLessThanOrEqual(30);
      expect([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]).toContain(set['stopPct']);
      expect(set['k']).toBeGreaterThanOrEqual(0.1);
      expect(set['k']).toBeLessThanOrEqual(0.2);
      expect(['1m', '5m']).toContain(set['interval']);
    }
    expect(new Set(sets.map(candidateKey)).size).toBe(20);
  });

  it('returns fewer sets when the space holds fewer than asked', () => {
    const sets = randomCandidates({ ranges: { fast: { min: 1, max: 3 } }, count: 10, seed: 1 });
    expect(sets.map((s) => s['fast']).sort()).toEqual([1, 2, 3]);
  });

  it('refuses bad counts, seeds, ranges and a parameter given twice', () => {
    const ranges = { fast: { min: 5, max: 30 } };
    expect(() => randomCandidates({ ranges, count: 0, seed: 1 })).toThrow(
      'count 0 must be a whole number ≥ 1',
    );
    expect(() => randomCandidates({ ranges, count: 11, seed: 1, maxCandidates: 10 })).toThrow(
      'the random search asks for 11 parameter sets, more than the cap of 10',
    );
    expect(() => randomCandidates({ ranges, count: 1, seed: 1.5 })).toThrow('seed 1.5 must be an integer');
    expect(() => randomCandidates({ ranges: {}, count: 1, seed: 1 })).toThrow('has no range or choice list');
    expect(() => randomCandidates({ ranges: { fast: { min: 30, max: 5 } }, count: 1, seed: 1 })).toThrow(
      'parameter fast: range 30:5 needs finite bounds with min ≤ max',
    );
    expect(() =>
      randomCandidates({ ranges: { fast: { min: 1, max: 5, step: 0 } }, count: 1, seed: 1 }),
    ).toThrow('parameter fast: step 0 must be a number > 0');
    expect(() => randomCandidates({ ranges, choices: { fast: [5, 10] }, count: 1, seed: 1 })).toThrow(
      'parameter fast has both a range and a choice list',
    );
    expect(() => randomCandidates({ ranges: {}, choices: { fast: [] }, count: 1, seed: 1 })).toThrow(
      WalkForwardConfigError,
    );
  });

  it('stays inside its ranges and on its steps for any seed', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(0.5, 1, 2.5),
        (seed, min, width, step) => {
          const sets = randomCandidates({ ranges: { x: { min, max: min + width, step } }, count: 5, seed });
          expect(
            randomCandidates({ ranges: { x: { min, max: min + width, step } }, count: 5, seed }),
          ).toEqual(sets);
          for (const set of sets) {
            const x = set['x'] as number;
            expect(x).toBeGreaterThanOrEqual(min);
            expect(x).toBeLessThanOrEqual(min + width);
            expect(Math.abs((x - min) / step - Math.round((x - min) / step))).toBeLessThan(1e-9);
          }
        },
      ),
    );
  });
});
