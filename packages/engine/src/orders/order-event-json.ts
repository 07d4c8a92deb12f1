import type { JsonValue, OrderEvent } from '@kitepilot/core';

/** Returns an order event as the JSON stored in order_events when the report carries no raw broker message. */
export function orderEventJson(event: OrderEvent): JsonValue {
  switch (event.type) {
    case 'submit':
      return { type: event.type, id: event.id, ts: event.ts, venueOrderId: event.venueOrderId };
    case 'submit-uncertain':
    case 'submit-failed':
      return { type: event.type, id: event.id, ts: event.ts, reason: event.reason };
    case 'modify-request':
    case 'cancel-request':
      return { type: event.type, id: event.id, ts: event.ts };
    case 'venue-status': {
      const a = event.amendment;
      return {
        type: event.type,
        id: event.id,
        ts: event.ts,
        status: event.status,
        venueOrderId: event.venueOrderId,
        filledQty: event.filledQty,
        cancelledQty: event.cancelledQty,
        message: event.message,
        amendment:
          a === null
            ? null
            : { qty: a.qty, limitPricePaise: a.limitPricePaise, triggerPricePaise: a.triggerPricePaise },
      };
    }
    case 'fill':
      return {
        type: event.type,
        id: event.id,
        ts: event.ts,
        venueTradeId: event.venueTradeId,
        qty: event.qty,
        pricePaise: event.pricePaise,
      };
  }
}
