import { describe, expect, it } from 'vitest';
import { StrategyRegistry } from './strategy-registry.ts';
import { StrategyConfigError, type Strategy, type StrategyDefinition } from './strategy.ts';

function definition(name: string): StrategyDefinition<{ readonly qty: number }> {
  return {
    name,
    description: `${name} test strategy`,
    params: { qty: { type: 'integer', default: 1, description: 'quantity', min: 1 } },
    create: (params): Strategy & { qty: number } => ({ qty: params.qty }),
  };
}

describe('StrategyRegistry', () => {
  it('registers definitions, lists them by name and gets one', () => {
    const registry = new StrategyRegistry([definition('vwap-reversion'), definition('orb')]);
    registry.register(definition('sma-cross'));
    expect(registry.list().map((d) => d.name)).toEqual(['orb', 'sma-cross', 'vwap-reversion']);
    expect(registry.get('orb').name).toBe('orb');
    expect(registry.has('orb')).toBe(true);
  });

  it('names the known strategies when asked for an unknown one', () => {
    const registry = new StrategyRegistry([definition('orb'), definition('sma-cross')]);
    expect(() => registry.get('sma')).toThrow(StrategyConfigError);
    expect(() => registry.get('sma')).toThrow('unknown strategy "sma" (known: orb, sma-cross)');
  });

  it('refuses a repeated or malformed name', () => {
    const registry = new StrategyRegistry([definition('orb')]);
    expect(() => registry.register(definition('orb'))).toThrow('strategy orb is registered twice');
    expect(() => registry.register(definition('SMA_Cross'))).toThrow(/must be kebab-case/);
  });

  it('creates a fresh instance from raw parameters', () => {
    const registry = new StrategyRegistry([definition('orb')]);
    const a = registry.create('orb', { qty: '5' });
    const b = registry.create('orb');
    expect(a.params).toEqual({ qty: 5 });
    expect((a.strategy as { qty: number }).qty).toBe(5);
    expect((b.strategy as { qty: number }).qty).toBe(1);
    expect(a.strategy).not.toBe(b.strategy);
    expect(() => registry.create('orb', { qty: '0' })).toThrow(
      'strategy orb: parameter qty = 0 is below the minimum 1',
    );
  });
});
