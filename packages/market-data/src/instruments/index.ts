export * from './freeze-quantity-table.ts';
export * from './instrument-ref.ts';
export * from './sync-instruments.ts';
export * from './watchlist.ts';
