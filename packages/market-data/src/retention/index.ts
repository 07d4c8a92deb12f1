export * from './run-retention.ts';
