export * from './parse-strategy-params.ts';
export * from './strategy-registry.ts';
export * from './strategy.ts';
export * from './helpers/index.ts';
