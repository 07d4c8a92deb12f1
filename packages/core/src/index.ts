export * from './model/index.ts';
export * from './ports/index.ts';
export * from './calendar/index.ts';
