import type { Side } from '@kitepilot/core';
import {
  ParamReader,
  type ParamSpec,
  PRODUCT_PARAM,
  QTY_PARAM,
  type StrategyDefinition,
  type StrategyParams,
  SYMBOL_PARAM,
} from '@kitepilot/engine';
import { TimeWindowStrategy, type TimeWindowConfig } from './time-window-strategy.ts';

/** 09:15 and 15:30 IST, the NSE continuous session (market-rules.md §3.1), as ms after IST midnight. */
const MARKET_OPEN_MS = 33_300_000;
const MARKET_CLOSE_MS = 55_800_000;

/** The parameters of time-window. */
export const TIME_WINDOW_PARAMS: Readonly<Record<string, ParamSpec>> = {
  symbol: SYMBOL_PARAM,
  qty: QTY_PARAM,
  side: { type: 'string', default: 'BUY', choices: ['BUY', 'SELL'], description: 'direction of the entry' },
  buyTime: { type: 'time', default: '09:30', description: 'entry time, HH:MM IST' },
  sellTime: { type: 'time', default: '15:00', description: 'exit time, HH:MM IST' },
  stopLossPct: {
    type: 'number',
    default: 1,
    min: 0.01,
    max: 99.99,
    description: 'stop distance from the entry reference price, in percent',
  },
  targetPct: {
    type: 'number',
    default: 2,
    min: 0.01,
    max: 1000,
    description: 'target distance from the entry reference price, in percent',
  },
  product: PRODUCT_PARAM,
};

/** Returns the validated time-window configuration; throws StrategyConfigError naming the bad parameter. */
export function parseTimeWindowConfig(params: StrategyParams): TimeWindowConfig {
  const read = new ParamReader('time-window', TIME_WINDOW_PARAMS, params);
  const buyTime = read.time('buyTime');
  const sellTime = read.time('sellTime');
  if (buyTime.msOfDay < MARKET_OPEN_MS) read.fail(`buyTime ${buyTime.text} is before the 09:15 market open`);
  if (sellTime.msOfDay > MARKET_CLOSE_MS)
    read.fail(`sellTime ${sellTime.text} is after the 15:30 market close`);
  if (buyTime.msOfDay >= sellTime.msOfDay) {
    read.fail(`buyTime ${buyTime.text} must be before sellTime ${sellTime.text}`);
  }
  const side = read.choice<Side>('side', ['BUY', 'SELL']);
  const targetPct = read.number('targetPct');
  if (side === 'SELL' && targetPct >= 100) {
    read.fail(
      `targetPct ${targetPct} must be below 100 for a SELL entry (the target price must stay positive)`,
    );
  }
  return {
    symbol: read.string('symbol'),
    qty: read.integer('qty'),
    side,
    buyTime,
    sellTime,
    stopLossPct: read.number('stopLossPct'),
    targetPct,
    product: read.product(),
  };
}

/** time-window: enter at buyTime, exit at sellTime, stop-loss and target in between (rules in time-window-strategy.ts). */
export const definition: StrategyDefinition = {
  name: 'time-window',
  description:
    'Enters qty (BUY or SELL) at buyTime IST and exits at sellTime IST, or earlier when the last price reaches ' +
    'the stop (stopLossPct) or the target (targetPct) around the entry price.',
  params: TIME_WINDOW_PARAMS,
  create: (params) => new TimeWindowStrategy(parseTimeWindowConfig(params)),
};
