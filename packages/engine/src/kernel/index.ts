export * from './bar-history.ts';
export * from './in-process-bus.ts';
export * from './instrument-catalog.ts';
export * from './kernel-clock.ts';
export * from './kernel-input.ts';
export * from './kernel.ts';
export * from './topics.ts';
