export * from './builtin-strategies.ts';
export * from './journal-file.ts';
export * from './paper-demo.ts';
export * from './risk-limits-from-config.ts';
export * from './sql-order-store.ts';
export * from './trading-environment.ts';
export * from './trading-summary.ts';
export * from './trading-slot.ts';
