export * from './repositories.ts';
