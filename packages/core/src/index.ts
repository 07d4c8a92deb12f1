export * from './model/index.ts';
export * from './ports/index.ts';
export * from './calendar/index.ts';
export * from './ports/auth-repository.ts';
