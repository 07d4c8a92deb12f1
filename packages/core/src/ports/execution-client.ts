import type { CancelOrder, ModifyOrder } from '../model/commands.ts';
import type {
  BrokerConnected,
  BrokerDisconnected,
  OrderUpdateReceived,
  SessionExpired,
} from '../model/events.ts';
import type { Order } from '../model/order.ts';

/**
 * What an execution client reports: order updates (state-machine inputs, which the order manager
 * applies with applyOrderEvent and turns into OrderAccepted, OrderFilled, …) and connection changes.
 */
export type ExecutionReport = OrderUpdateReceived | BrokerConnected | BrokerDisconnected | SessionExpired;

/** Receives execution reports in the order the client learned them. */
export type ExecutionHandler = (report: ExecutionReport) => void;

/**
 * Sends orders to a venue (Kite, the simulator). Calls return nothing useful: outcomes, including
 * rejections, come back as reports through the handler (DESIGN.md §3). A call throws or rejects only
 * for invariant breaks, never for a business outcome.
 */
export interface ExecutionClient {
  /** Sets the handler that receives every report; call before the first submit. */
  setHandler(handler: ExecutionHandler): void;
  /** Sends a new order (status INITIALIZED); its intent id travels in the broker tag. */
  submit(order: Order): void | Promise<void>;
  /** Sends a modification of a working order. */
  modify(command: ModifyOrder, order: Order): void | Promise<void>;
  /** Sends a cancellation of a working order. */
  cancel(command: CancelOrder, order: Order): void | Promise<void>;
}
