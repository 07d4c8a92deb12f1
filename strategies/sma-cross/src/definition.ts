import { BAR_INTERVALS, type BarInterval } from '@kitepilot/core';
import {
  ParamReader,
  type ParamSpec,
  PRODUCT_PARAM,
  QTY_PARAM,
  type StrategyDefinition,
  type StrategyParams,
  SYMBOL_PARAM,
} from '@kitepilot/engine';
import { SmaCrossStrategy, type SmaCrossConfig } from './sma-cross-strategy.ts';

/** The parameters of sma-cross. */
export const SMA_CROSS_PARAMS: Readonly<Record<string, ParamSpec>> = {
  symbol: SYMBOL_PARAM,
  qty: QTY_PARAM,
  fast: { type: 'integer', default: 10, min: 1, description: 'fast SMA period in bars (< slow)' },
  slow: { type: 'integer', default: 30, min: 2, description: 'slow SMA period in bars (> fast)' },
  stopPct: {
    type: 'number',
    default: 2,
    min: 0.01,
    max: 99.99,
    description: "stop distance below the entry bar's close, in percent",
  },
  interval: {
    type: 'string',
    default: '1m',
    choices: BAR_INTERVALS,
    description: 'bar interval of the SMAs',
  },
  product: PRODUCT_PARAM,
};

/** Returns the validated sma-cross configuration; throws StrategyConfigError naming the bad parameter. */
export function parseSmaCrossConfig(params: StrategyParams): SmaCrossConfig {
  const read = new ParamReader('sma-cross', SMA_CROSS_PARAMS, params);
  const fast = read.integer('fast');
  const slow = read.integer('slow');
  if (fast >= slow) read.fail(`fast (${fast}) must be less than slow (${slow})`);
  return {
    symbol: read.string('symbol'),
    qty: read.integer('qty'),
    fast,
    slow,
    stopPct: read.number('stopPct'),
    interval: read.choice<BarInterval>('interval', BAR_INTERVALS),
    product: read.product(),
  };
}

/** sma-cross: long-only SMA crossover with a percentage stop (rules in sma-cross-strategy.ts). */
export const definition: StrategyDefinition = {
  name: 'sma-cross',
  description:
    'Long-only SMA crossover: buys qty when SMA(fast) crosses above SMA(slow) while flat, sells on the cross ' +
    'below or when a bar low reaches the stop (close × (1 − stopPct/100), rounded down to the tick).',
  params: SMA_CROSS_PARAMS,
  create: (params) => new SmaCrossStrategy(parseSmaCrossConfig(params)),
};
