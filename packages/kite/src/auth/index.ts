export * from './login-url.ts';
export * from './session-checksum.ts';
export * from './session-expiry.ts';
