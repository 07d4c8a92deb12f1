/** Signals a subscription beyond the ticker's limits (3 connections × 3000 instruments, kite-connect.md §4). */
export class TickerSubscriptionLimitError extends Error {
  override name = 'TickerSubscriptionLimitError';
}

/** Signals an instrument token that is not a positive 32-bit integer. */
export class InvalidInstrumentTokenError extends Error {
  override name = 'InvalidInstrumentTokenError';
}

/** Signals a call on a ticker client after close(). */
export class TickerClosedError extends Error {
  override name = 'TickerClosedError';
}
