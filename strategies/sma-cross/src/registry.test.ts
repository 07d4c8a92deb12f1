import { describe, expect, it } from 'vitest';
import { parseStrategyParams, StrategyRegistry, type StrategyDefinition } from '@kitepilot/engine';
import { definition as orb } from '@kitepilot/strategy-orb';
import { definition as timeWindow } from '@kitepilot/strategy-time-window';
import { definition as vwapReversion } from '@kitepilot/strategy-vwap-reversion';
import { definition as smaCross } from './definition.ts';

const ALL: readonly StrategyDefinition[] = [timeWindow, orb, vwapReversion, smaCross];

// The built-in definitions as the kernel's parameter parser and registry see them.
describe('built-in strategy definitions', () => {
  it('are named after their folders and register together', () => {
    const registry = new StrategyRegistry();
    for (const d of ALL) registry.register(d);
    expect(registry.list().map((d) => d.name)).toEqual(['orb', 'sma-cross', 'time-window', 'vwap-reversion']);
  });

  it.each(ALL.map((d) => [d.name, d] as const))(
    '%s: its defaults pass the kernel parser and create a strategy',
    (_name, d) => {
      const params = parseStrategyParams(d, { symbol: 'NSE:RELIANCE' });
      expect(() => d.create(params)).not.toThrow();
    },
  );

  it('accepts the backtest command line of sma-cross (--param fast=10 --param slow=30 --qty 10)', () => {
    const params = parseStrategyParams(smaCross, { symbol: 'NSE:INFY', fast: '10', slow: '30', qty: '10' });
    expect(smaCross.create(params)).toMatchObject({
      config: { symbol: 'NSE:INFY', fast: 10, slow: 30, qty: 10, stopPct: 2, interval: '1m', product: 'MIS' },
    });
  });
});
