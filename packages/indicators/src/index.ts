// Incremental indicators: O(1) per update, exact for integer (paise) inputs where a reference exists.
export { Atr, type AtrBar } from './atr.ts';
export { Bollinger, type BollingerBands } from './bollinger.ts';
export { CompensatedSum } from './compensated-sum.ts';
export { Ema } from './ema.ts';
export { ExactInt } from './exact-int.ts';
export { Macd, type MacdValue } from './macd.ts';
export { RollingVolatility, annualise } from './rolling-volatility.ts';
export { RollingZScore } from './rolling-z-score.ts';
export { Rsi } from './rsi.ts';
export { SessionVwap } from './session-vwap.ts';
export { Sma } from './sma.ts';
export { WindowStats, type WindowStatsOptions } from './window-stats.ts';
export { Wma } from './wma.ts';
