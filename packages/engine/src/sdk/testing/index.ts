export * from './builders.ts';
export * from './fake-strategy-context.ts';
