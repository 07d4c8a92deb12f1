export * from './system-clock.ts';
export * from './scaled-clock.ts';
export * from './offset-clock.ts';
