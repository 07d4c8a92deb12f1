// The light entry point of the server package: configuration, the calendar built from it and the version, without
// loading the HTTP server or the store.
export * from './config-schema.ts';
export * from './load-config.ts';
export * from '../calendar-from-config.ts';
export * from '../version.ts';
