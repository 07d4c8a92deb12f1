export * from './system-clock.ts';
export * from './scaled-clock.ts';
