export * from './builders.ts';
export * from './fake-strategy-context.ts';
export * from './fake-account.ts';
export * from './paper-kernel.ts';
