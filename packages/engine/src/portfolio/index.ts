export * from './charge-segment.ts';
export * from './contract-note-ledger.ts';
export * from './margin-rates.ts';
export * from './portfolio.ts';
