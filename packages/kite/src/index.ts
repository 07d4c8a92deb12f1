export * from './parse/index.ts';
export * from './errors.ts';
export * from './http/index.ts';
export * from './auth/index.ts';
export * from './postback/index.ts';
export * from './ws/index.ts';
export * from './execution/index.ts';
