import {
  ParamReader,
  type ParamSpec,
  PRODUCT_PARAM,
  QTY_PARAM,
  type StrategyDefinition,
  type StrategyParams,
  SYMBOL_PARAM,
} from '@kitepilot/engine';
import { OrbStrategy, RANGE_START_MS, type OrbConfig } from './orb-strategy.ts';

/** 15:30 IST, the NSE close (market-rules.md §3.1), as ms after IST midnight. */
const MARKET_CLOSE_MS = 55_800_000;

/** The parameters of orb. */
export const ORB_PARAMS: Readonly<Record<string, ParamSpec>> = {
  symbol: SYMBOL_PARAM,
  qty: QTY_PARAM,
  rangeMinutes: {
    type: 'integer',
    default: 15,
    min: 1,
    max: 360,
    description: 'length of the opening range from 09:15 IST, in minutes',
  },
  exitTime: { type: 'time', default: '15:10', description: 'time to close the trade, HH:MM IST' },
  targetR: {
    type: 'number',
    default: 2,
    min: 0.1,
    max: 100,
    description: 'target distance from the breakout close in multiples of the range width',
  },
  product: PRODUCT_PARAM,
};

/** Returns the validated orb configuration; throws StrategyConfigError naming the bad parameter. */
export function parseOrbConfig(params: StrategyParams): OrbConfig {
  const read = new ParamReader('orb', ORB_PARAMS, params);
  const rangeMinutes = read.integer('rangeMinutes');
  const exitTime = read.time('exitTime');
  if (exitTime.msOfDay > MARKET_CLOSE_MS)
    read.fail(`exitTime ${exitTime.text} is after the 15:30 market close`);
  // The range must close at least one 1m bar before the exit time, or no breakout bar can exist.
  if (RANGE_START_MS + (rangeMinutes + 1) * 60_000 > exitTime.msOfDay) {
    read.fail(`a ${rangeMinutes}-minute range from 09:15 leaves no 1m bar before exitTime ${exitTime.text}`);
  }
  return {
    symbol: read.string('symbol'),
    qty: read.integer('qty'),
    rangeMinutes,
    exitTime,
    targetR: read.number('targetR'),
    product: read.product(),
  };
}

/** orb: opening-range breakout (rules in orb-strategy.ts). */
export const definition: StrategyDefinition = {
  name: 'orb',
  description:
    'Opening-range breakout: after the first rangeMinutes from 09:15 IST, a 1m close above the range goes long ' +
    '(stop at the range low), below goes short (stop at the range high); target targetR × range; out by exitTime.',
  params: ORB_PARAMS,
  create: (params) => new OrbStrategy(parseOrbConfig(params)),
};
