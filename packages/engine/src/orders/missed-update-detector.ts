// Missed push updates (DESIGN.md §4, "missed postbacks are detected and counted"): the orderbook poll is the
// safety net behind postbacks and WebSocket order updates, so a poll update that changes an order means a push
// update was lost (or is late).
import type { ClientOrderId, Order, OrderEvent, OrderEventSource } from '@kitepilot/core';

/** Tells, per applied update, whether the orderbook poll found something no push update reported. */
export class MissedUpdateDetector {
  /** Highest filled quantity a push update reported per order. */
  readonly #pushFilled = new Map<ClientOrderId, number>();

  /**
   * Records what a push update reported and returns true for an orderbook update that changed the order's status,
   * or a poll fill beyond the filled quantity push updates reported (fills come from trades, which push updates
   * never carry, so a poll fill is missed only beyond what a push status said).
   */
  observe(before: Order, after: Order, event: OrderEvent, source: OrderEventSource): boolean {
    const id = after.clientOrderId;
    if (event.type === 'venue-status' && (source === 'postback' || source === 'websocket')) {
      if (event.filledQty !== null && event.filledQty > (this.#pushFilled.get(id) ?? 0)) {
        this.#pushFilled.set(id, event.filledQty);
      }
    }
    if (source !== 'orderbook') return false;
    return event.type === 'fill'
      ? after.filledQty > (this.#pushFilled.get(id) ?? 0)
      : before.status !== after.status;
  }
}
