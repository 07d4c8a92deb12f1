export * from './calendar/index.ts';
