export * from './bars/bar-aggregator.ts';
export * from './bars/bar-closed-event.ts';
export * from './bars/session-schedule.ts';
