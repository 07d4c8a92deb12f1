export * from './ticker-scheduler.ts';
export * from './reconnect-backoff.ts';
export * from './subscription-book.ts';
export * from './ticker-text-message.ts';
export * from './ticker-events.ts';
export * from './ticker-errors.ts';
export * from './kite-ticker-connection.ts';
export * from './kite-ticker-client.ts';
