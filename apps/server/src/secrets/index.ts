export * from './credential-cipher.ts';
export * from './master-key.ts';
export * from './kite-session-store.ts';
export * from './stored-kite-session.ts';
export * from './master-key-ring.ts';
export * from './sealed-columns.ts';
export * from './key-rotation.ts';
