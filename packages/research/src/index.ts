export * from './backtest/backtest-result.ts';
export * from './backtest/trade-ledger.ts';
export * from './backtest/run-backtest.ts';
export * from './bars/bar-series.ts';
export * from './bars/csv-bars.ts';
export * from './bars/data-calendar.ts';
export * from './metrics/index.ts';
export * from './report/index.ts';
