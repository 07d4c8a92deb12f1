export * from './controls-state.ts';
export * from './in-memory-order-store.ts';
export * from './marketable-price.ts';
export * from './order-book.ts';
export * from './order-event-json.ts';
export * from './order-manager.ts';
export * from './risk-snapshot.ts';
export * from './trading-stats.ts';
