export * from './trading-scheduler.ts';
