export * from './verify-postback-checksum.ts';
export * from './parse-postback.ts';
