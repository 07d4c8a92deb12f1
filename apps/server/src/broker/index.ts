export * from './broker-status.ts';
export * from './kite-login-states.ts';
export * from './kite-session-exchange.ts';
export * from './postback-receipts.ts';
