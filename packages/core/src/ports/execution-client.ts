import type { CancelOrder, ModifyOrder } from '../model/commands.ts';
import type {
  BrokerConnected,
  BrokerDisconnected,
  OrderLifecycleEvent,
  SessionExpired,
} from '../model/events.ts';
import type { Order } from '../model/order.ts';
import type { OrderEvent } from '../model/order-event.ts';

/**
 * What an execution client reports: a state-machine input for one order (to feed applyOrderEvent),
 * the domain event it implies, or a connection change.
 */
export type ExecutionReport =
  | {
      readonly type: 'OrderUpdate';
      readonly clientOrderId: Order['clientOrderId'];
      readonly accountId: Order['accountId'];
      readonly update: OrderEvent;
      readonly tsInit: number;
    }
  | OrderLifecycleEvent
  | BrokerConnected
  | BrokerDisconnected
  | SessionExpired;

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
