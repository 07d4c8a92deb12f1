// Helpers for writing strategies: parameter reading, stop/target price levels on the tick grid, one-trade-at-a-time
// order management with restart adoption, and IST trading-day times.
export * from './strategy-params.ts';
export * from './price-levels.ts';
export * from './trade-manager.ts';
export * from './trading-days.ts';
