export * from './market-data-rows.ts';
export * from './read-market-data.ts';
export * from './time-bound.ts';
