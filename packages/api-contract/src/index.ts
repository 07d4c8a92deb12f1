export * from './error-body.ts';
export * from './health.ts';
export * from './status.ts';
export * from './market-data.ts';
export * from './watchlist.ts';
export * from './backfill.ts';
export * from './trading.ts';
export * from './trading-control.ts';
