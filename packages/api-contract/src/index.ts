export * from './error-body.ts';
export * from './health.ts';
export * from './status.ts';
