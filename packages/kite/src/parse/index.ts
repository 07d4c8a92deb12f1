export * from './ticker-segment.ts';
export * from './ticker-decode-stats.ts';
export * from './decode-ticker-message.ts';
export * from './ist-timestamp.ts';
export * from './order-update.ts';
export * from './order-update-event.ts';
