// Invariant breaks throw and stop the process (DESIGN.md §3); business outcomes are data, never these.

/** Signals a broken invariant: a value or transition that correct code never produces. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Signals a string that is not a well-formed id of the expected kind. */
export class InvalidIdError extends InvariantError {
  override name = 'InvalidIdError';
}

/** Signals an amount that is not a safe integer number of paise, or an arithmetic overflow. */
export class MoneyError extends InvariantError {
  override name = 'MoneyError';
}

/** Signals an order event that the order state machine does not allow in the order's current state. */
export class IllegalTransitionError extends InvariantError {
  override name = 'IllegalTransitionError';
}

/** Signals a broker order status string that the order state machine does not know. */
export class UnknownVenueStatusError extends InvariantError {
  override name = 'UnknownVenueStatusError';
}
