export * from './bounded-id-set.ts';
export * from './kite-order-params.ts';
export * from './order-reports.ts';
export * from './execution-link-monitor.ts';
export * from './request-failure.ts';
export * from './kite-execution-client.ts';
export * from './reconcile.ts';
export * from './degrading-execution-client.ts';
