export * from './credential-cipher.ts';
export * from './master-key.ts';
export * from './kite-session-store.ts';
