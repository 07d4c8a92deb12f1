import {
  ParamReader,
  type ParamSpec,
  PRODUCT_PARAM,
  QTY_PARAM,
  type StrategyDefinition,
  type StrategyParams,
  SYMBOL_PARAM,
} from '@kitepilot/engine';
import { VwapReversionStrategy, type VwapReversionConfig } from './vwap-reversion-strategy.ts';

/** 09:15 and 15:30 IST, the NSE continuous session (market-rules.md §3.1), as ms after IST midnight. */
const MARKET_OPEN_MS = 33_300_000;
const MARKET_CLOSE_MS = 55_800_000;

/** The parameters of vwap-reversion. */
export const VWAP_REVERSION_PARAMS: Readonly<Record<string, ParamSpec>> = {
  symbol: SYMBOL_PARAM,
  qty: QTY_PARAM,
  entryDevPct: {
    type: 'number',
    default: 0.5,
    min: 0.01,
    max: 50,
    description: 'distance of the close from the session VWAP that triggers an entry, in percent',
  },
  stopPct: {
    type: 'number',
    default: 0.5,
    min: 0.01,
    max: 99.99,
    description: "stop distance from the entry bar's close, in percent",
  },
  startTime: { type: 'time', default: '09:30', description: 'first bar close that may enter, HH:MM IST' },
  endTime: { type: 'time', default: '15:00', description: 'no entries from, and exit at, HH:MM IST' },
  product: PRODUCT_PARAM,
};

/** Returns the validated vwap-reversion configuration; throws StrategyConfigError naming the bad parameter. */
export function parseVwapReversionConfig(params: StrategyParams): VwapReversionConfig {
  const read = new ParamReader('vwap-reversion', VWAP_REVERSION_PARAMS, params);
  const startTime = read.time('startTime');
  const endTime = read.time('endTime');
  if (startTime.msOfDay < MARKET_OPEN_MS)
    read.fail(`startTime ${startTime.text} is before the 09:15 market open`);
  if (endTime.msOfDay > MARKET_CLOSE_MS) read.fail(`endTime ${endTime.text} is after the 15:30 market close`);
  if (startTime.msOfDay >= endTime.msOfDay) {
    read.fail(`startTime ${startTime.text} must be before endTime ${endTime.text}`);
  }
  return {
    symbol: read.string('symbol'),
    qty: read.integer('qty'),
    entryDevPct: read.number('entryDevPct'),
    stopPct: read.number('stopPct'),
    startTime,
    endTime,
    product: read.product(),
  };
}

/** vwap-reversion: session VWAP mean reversion (rules in vwap-reversion-strategy.ts). */
export const definition: StrategyDefinition = {
  name: 'vwap-reversion',
  description:
    'Session VWAP mean reversion on 1m bars: long when the close is entryDevPct below the VWAP, short when above; ' +
    'exits when the close crosses back to the VWAP, at the stop (stopPct) or at endTime.',
  params: VWAP_REVERSION_PARAMS,
  create: (params) => new VwapReversionStrategy(parseVwapReversionConfig(params)),
};
