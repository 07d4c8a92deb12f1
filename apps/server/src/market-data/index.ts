export * from './demo.ts';
export * from './demo-session.ts';
export * from './ingest-metrics.ts';
export * from './ingest-service.ts';
export * from './instrument-lookup.ts';
export * from './live-ingest.ts';
export * from './simulated-market.ts';
