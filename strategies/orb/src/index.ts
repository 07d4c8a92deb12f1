export * from './definition.ts';
export * from './orb-strategy.ts';
