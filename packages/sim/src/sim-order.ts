import {
  istDate,
  istTime,
  parseInstrumentId,
  type Instrument,
  type JsonValue,
  type Order,
  type Paise,
  type VenueOrderId,
  intentTag,
} from '@kitepilot/core';

/**
 * Where a simulated order stands at the venue: `in-flight` until its submission arrives, `failed`
 * when the request itself was refused, else its Kite status.
 */
export type SimOrderState =
  'in-flight' | 'failed' | 'OPEN' | 'TRIGGER PENDING' | 'COMPLETE' | 'CANCELLED' | 'REJECTED';

/** The venue's record of one order (mutable: the simulator is its only writer). */
export interface SimOrder {
  readonly seq: number;
  readonly venueOrderId: VenueOrderId;
  /** The order as it was submitted (ids, side, type, product, validity). */
  readonly order: Order;
  instrument: Instrument | null;
  state: SimOrderState;
  qty: number;
  limitPricePaise: Paise | null;
  triggerPricePaise: Paise | null;
  filledQty: number;
  filledValuePaise: number;
  cancelledQty: number;
  modifications: number;
  statusMessage: string | null;
  /** Reports sent so far (numbers the event ids). */
  events: number;
  /** Requests scheduled so far (numbers the timer names). */
  requests: number;
  /** Requests scheduled and not yet handled. */
  pendingRequests: number;
  /** When the last scheduled request is handled; later requests never overtake it. */
  lastRequestAtMs: number;
  /**
   * True while an order that became active between bars (barFill `ohlc` or `next-open`) has not met a bar
   * yet: its first bar decides IOC, and under `ohlc` lets a LIMIT take the open.
   */
  awaitingBar: boolean;
  readonly placedAtMs: number;
  venueAtMs: number | null;
  updatedAtMs: number;
}

/** Returns true when the order is working at the venue (OPEN or TRIGGER PENDING). */
export function isWorking(sim: SimOrder): boolean {
  return sim.state === 'OPEN' || sim.state === 'TRIGGER PENDING';
}

/** Returns true when the order reached a final Kite status. */
export function isFinished(sim: SimOrder): boolean {
  return sim.state === 'COMPLETE' || sim.state === 'CANCELLED' || sim.state === 'REJECTED';
}

/** Returns the open quantity: qty − filled − cancelled. */
export function simLeavesQty(sim: SimOrder): number {
  return sim.qty - sim.filledQty - sim.cancelledQty;
}

/** Returns a time as Kite writes it: `YYYY-MM-DD HH:MM:SS` in IST. */
export function kiteTimestamp(epochMs: number): string {
  return `${istDate(epochMs)} ${istTime(epochMs)}`;
}

function rupees(p: number | null): number {
  return p === null ? 0 : p / 100;
}

/**
 * Returns the order as a Kite order update (kite-connect.md §6–7) reporting `status`; prices in rupees,
 * `meta.simulated` set. This is the `raw` of every report.
 */
export function kiteOrderJson(sim: SimOrder, status: string): JsonValue {
  const o = sim.order;
  const id = parseInstrumentId(o.instrumentId);
  const finished = isFinished(sim);
  const tag = intentTag(o.intentId);
  return {
    account_id: o.accountId,
    placed_by: o.accountId,
    order_id: sim.venueOrderId,
    exchange_order_id: sim.venueAtMs === null ? null : `13${String(sim.seq).padStart(14, '0')}`,
    parent_order_id: null,
    status,
    status_message: sim.statusMessage,
    status_message_raw: sim.statusMessage,
    order_timestamp: kiteTimestamp(sim.placedAtMs),
    exchange_update_timestamp: kiteTimestamp(sim.updatedAtMs),
    exchange_timestamp: sim.venueAtMs === null ? null : kiteTimestamp(sim.venueAtMs),
    variety: o.variety,
    modified: sim.modifications > 0,
    exchange: id.exchange,
    tradingsymbol: id.symbol,
    instrument_token: sim.instrument?.token ?? 0,
    order_type: o.orderType,
    transaction_type: o.side,
    validity: o.validity,
    validity_ttl: o.validityTtlMinutes ?? 0,
    product: o.product,
    quantity: sim.qty,
    disclosed_quantity: 0,
    price: rupees(sim.limitPricePaise),
    trigger_price: rupees(sim.triggerPricePaise),
    average_price: sim.filledQty === 0 ? 0 : sim.filledValuePaise / sim.filledQty / 100,
    filled_quantity: sim.filledQty,
    pending_quantity: finished ? 0 : simLeavesQty(sim),
    cancelled_quantity: sim.cancelledQty,
    market_protection: o.orderType === 'MARKET' || o.orderType === 'SL-M' ? -1 : 0,
    meta: { simulated: true },
    tag,
    tags: [tag],
    guid: `sim-${sim.venueOrderId}`,
  };
}

/** Returns a Kite error envelope (kite-connect.md §3): the raw of a refused placement. */
export function kiteErrorJson(message: string, errorType: string): JsonValue {
  return { status: 'error', message, error_type: errorType, data: null };
}
