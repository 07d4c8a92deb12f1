import { describe, expect, it } from 'vitest';
import { parseStrategyParams } from './parse-strategy-params.ts';
import { StrategyConfigError, type StrategyDefinition } from './strategy.ts';

const definition: Pick<StrategyDefinition, 'name' | 'params'> = {
  name: 'sma-cross',
  params: {
    symbol: { type: 'string', default: null, description: 'instrument' },
    fast: { type: 'integer', default: 10, description: 'fast SMA', min: 1, max: 200 },
    stopPct: { type: 'number', default: 2, description: 'stop %', min: 0 },
    interval: { type: 'string', default: '1m', description: 'bars', choices: ['1m', '5m'] },
    shortable: { type: 'boolean', default: false, description: 'may short' },
    endTime: { type: 'time', default: '15:00', description: 'last entry' },
  },
};

function errorOf(raw: Record<string, string | number | boolean>): string {
  try {
    parseStrategyParams(definition, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(StrategyConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a StrategyConfigError');
}

describe('parseStrategyParams', () => {
  it('parses strings by type and applies defaults', () => {
    expect(
      parseStrategyParams(definition, { symbol: 'NSE:INFY', fast: '12', stopPct: '0.5', shortable: 'true' }),
    ).toEqual({
      symbol: 'NSE:INFY',
      fast: 12,
      stopPct: 0.5,
      interval: '1m',
      shortable: true,
      endTime: '15:00',
    });
  });

  it('accepts already typed values', () => {
    expect(
      parseStrategyParams(definition, { symbol: 'X', fast: 3, shortable: false, endTime: '09:30' }),
    ).toMatchObject({
      fast: 3,
      shortable: false,
      endTime: '09:30',
    });
  });

  it.each([
    [{ symbol: 'X', fast: '1.5' }, 'parameter fast = "1.5" is not an integer'],
    [{ symbol: 'X', fast: 'ten' }, 'parameter fast = "ten" is not an integer'],
    [{ symbol: 'X', fast: '0' }, 'parameter fast = 0 is below the minimum 1'],
    [{ symbol: 'X', fast: 500 }, 'parameter fast = 500 is above the maximum 200'],
    [{ symbol: 'X', stopPct: '1e400' }, 'parameter stopPct = "1e400" is not a finite number'],
    [{ symbol: 'X', stopPct: 'NaN' }, 'parameter stopPct = "NaN" is not a number'],
    [{ symbol: 'X', interval: '3m' }, 'parameter interval = "3m" is not one of 1m, 5m'],
    [{ symbol: 'X', shortable: 'yes' }, 'parameter shortable = "yes" is not a boolean (true or false)'],
    [{ symbol: 'X', endTime: '25:00' }, 'parameter endTime = "25:00" is not an IST time HH:MM'],
    [{ symbol: 7 }, 'parameter symbol = 7 is not a string'],
    [{}, 'parameter symbol is required (string: instrument)'],
    [
      { symbol: 'X', slow: '30' },
      'unknown parameter slow (known: symbol, fast, stopPct, interval, shortable, endTime)',
    ],
  ])('refuses %j: %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });

  it('reports every problem at once, naming the strategy', () => {
    const message = errorOf({ fast: 'x', colour: 'red' });
    expect(message).toMatch(/^strategy sma-cross: /);
    expect(message).toContain('unknown parameter colour');
    expect(message).toContain('parameter fast = "x" is not an integer');
    expect(message).toContain('parameter symbol is required');
  });

  it('reports a default that breaks its own spec', () => {
    expect(() =>
      parseStrategyParams(
        { name: 'broken', params: { n: { type: 'integer', default: 0, description: 'n', min: 1 } } },
        {},
      ),
    ).toThrow('strategy broken: default of parameter n = 0 is below the minimum 1');
  });
});
