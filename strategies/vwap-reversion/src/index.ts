export * from './definition.ts';
export * from './vwap-reversion-strategy.ts';
