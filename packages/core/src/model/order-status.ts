/** Our order states (the rows of ORDER_TRANSITIONS in order-state-machine.ts). */
export const ORDER_STATUSES = [
  'INITIALIZED',
  'SUBMITTED',
  'ACCEPTED',
  'TRIGGER_PENDING',
  'OPEN',
  'PARTIALLY_FILLED',
  'PENDING_MODIFY',
  'PENDING_CANCEL',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
] as const;

/**
 * An order's state. INITIALIZED: persisted, not sent. SUBMITTED: sent, no acknowledgement yet.
 * ACCEPTED: the broker acknowledged it (not yet open at the exchange, or an AMO). TRIGGER_PENDING:
 * a stop order waiting for its trigger. OPEN/PARTIALLY_FILLED: working at the exchange.
 * PENDING_MODIFY/PENDING_CANCEL: a change is in flight. The last four are terminal.
 */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The terminal states: nothing but late fills or repeats of the same outcome reach an order in them. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
]);

/** Returns true for FILLED, CANCELLED, REJECTED and EXPIRED. */
export function isTerminalStatus(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Returns true while the order may still trade or be sent (every state but INITIALIZED and the terminal ones). */
export function isWorkingStatus(status: OrderStatus): boolean {
  return status !== 'INITIALIZED' && !TERMINAL_STATUSES.has(status);
}
