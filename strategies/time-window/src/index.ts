export * from './definition.ts';
export * from './time-window-strategy.ts';
