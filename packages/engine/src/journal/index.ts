export * from './journal-codec.ts';
export * from './journal-format-error.ts';
export * from './journal-sink.ts';
export * from './replay-clock.ts';
export * from './replay-journal.ts';
