export * from './replay/index.ts';
export * from './history/index.ts';
export * from './instruments/index.ts';
export * from './retention/index.ts';
export * from './reads/index.ts';
export * from './ingest/index.ts';
