export * from './config/index.ts';
export * from './http/build-app.ts';
export * from './kitepilot-server.ts';
export * from './logger.ts';
export * from './open-store.ts';
export * from './secrets/index.ts';
export * from './market-data/kite-instrument-source.ts';
export * from './market-data/index.ts';
