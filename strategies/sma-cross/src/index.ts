export * from './definition.ts';
export * from './sma-cross-strategy.ts';
