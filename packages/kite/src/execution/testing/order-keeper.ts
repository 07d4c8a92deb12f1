// A minimal stand-in for the order manager in tests: resolves each report's order by client order id, venue
// order id, then intent id, and applies it with core's applyOrderEvent (throwing on an illegal transition).
import {
  applyOrderEvent,
  isTerminalStatus,
  type ClientOrderId,
  type ExecutionReport,
  type Order,
  type OrderUpdateReceived,
} from '@kitepilot/core';

/** Keeps orders and every report received, applying order updates through the state machine. */
export class OrderKeeper {
  readonly orders = new Map<ClientOrderId, Order>();
  readonly reports: ExecutionReport[] = [];
  /** Order reports that matched no order. */
  readonly unmatched: OrderUpdateReceived[] = [];

  /** Starts tracking `order` (as the order manager does before calling submit). */
  add(order: Order): Order {
    this.orders.set(order.clientOrderId, order);
    return order;
  }

  /** Returns the tracked order or throws. */
  get(id: ClientOrderId): Order {
    const o = this.orders.get(id);
    if (o === undefined) throw new Error(`no order ${id}`);
    return o;
  }

  /** Receives one report (use as the execution handler). */
  readonly handle = (report: ExecutionReport): void => {
    this.reports.push(report);
    if (report.type !== 'OrderUpdateReceived') return;
    const order = this.#resolve(report);
    if (order === undefined) {
      this.unmatched.push(report);
      return;
    }
    this.orders.set(order.clientOrderId, applyOrderEvent(order, report.update));
  };

  /** Returns the order reports, optionally of one source. */
  updates(source?: string): OrderUpdateReceived[] {
    return this.reports.filter(
      (r): r is OrderUpdateReceived =>
        r.type === 'OrderUpdateReceived' && (source === undefined || (r.source ?? 'rest') === source),
    );
  }

  #resolve(r: OrderUpdateReceived): Order | undefined {
    if (r.clientOrderId !== null) return this.orders.get(r.clientOrderId);
    const all = [...this.orders.values()];
    if (r.venueOrderId !== null) {
      const byVenue = all.find((o) => o.venueOrderId === r.venueOrderId);
      if (byVenue !== undefined) return byVenue;
    }
    return all.find((o) => o.intentId === r.intentId && !isTerminalStatus(o.status));
  }
}
