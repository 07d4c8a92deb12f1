// Startup reconciliation (DESIGN.md §4 invariant 3): our orders from the store against the broker's orderbook,
// trades and positions of the day. A pure planner plus a thin wrapper that reads the broker.
//
// The "not placed" rule. An order of ours without a venue order id (INITIALIZED, or SUBMITTED after an uncertain
// placement) that the broker's orderbook does not list under its tag (intentTag) was never placed, and is
// reported `submit-failed` ("not found at the broker after restart"), only when all of these hold:
//   1. the orderbook was read successfully now, after the process that might have sent it is gone;
//   2. at least `notFoundGraceMs` (default 10 s, SafeOrderPlacer's resolution window) passed since the order's
//      last change (`updatedAt`: creation, or the uncertain outcome), so a request still in flight at the crash
//      would have been registered (Kite lists an order as PUT ORDER REQ RECEIVED as soon as the OMS takes it);
//   3. the order was created on the same IST day as now: the orderbook holds today's orders only.
// This is the same test SafeOrderPlacer relies on to call a placement "not placed". An order that fails 2 is
// listed in `pending` with the time to look again; one that fails 3, or that has a venue id but is absent, is
// flagged for the operator. Nothing is ever resent here.
import {
  intentTag,
  isTerminalStatus,
  istDate,
  parseInstrumentId,
  parseVenueOrderId,
  type AccountId,
  type IntentId,
  type Order,
  type OrderEvent,
  type OrderUpdateReceived,
  type Position,
} from '@kitepilot/core';
import type { KiteRestClient } from '../http/kite-rest-client.ts';
import type { KiteOrder, KiteTrade } from '../http/parse-orders.ts';
import type { KitePosition } from '../http/parse-portfolio.ts';
import { kiteOrderUpdateToVenueStatus } from '../parse/order-update-event.ts';
import { KiteOrderUpdateError, parseKiteOrderUpdate } from '../parse/order-update.ts';
import {
  asJsonValue,
  fillEventFromTrade,
  intentIdOfKiteOrder,
  orderReport,
  type OrderRef,
} from './order-reports.ts';

/** What reconciliation compares. */
export interface ReconcileInput {
  readonly accountId: AccountId;
  readonly nowMs: number;
  /** Our orders that are not terminal (INITIALIZED, SUBMITTED, working), from the store. */
  readonly orders: readonly Order[];
  /** Every intent id we know today (open and finished orders); broker orders tagged with others are flagged. */
  readonly knownIntentIds?: Iterable<IntentId>;
  readonly brokerOrders: readonly KiteOrder[];
  readonly brokerTrades: readonly KiteTrade[];
  /** Our positions; compared with `brokerPositions` when both are given. */
  readonly positions?: readonly Position[];
  /** The broker's net positions. */
  readonly brokerPositions?: readonly KitePosition[];
  /** See the "not placed" rule (default 10 000 ms). */
  readonly notFoundGraceMs?: number;
}

/** Why a broker order or one of ours needs the operator. */
export type ReconcileFlagKind =
  /** Tagged by KitePilot, but with an intent we do not know (another installation, or lost state). */
  | 'unknown-intent'
  /** Tagged with a known intent, still working at the broker, yet not among our open orders. */
  | 'untracked-live-order'
  /** A second broker order carries the tag of one intent (invariant 3 would be broken). */
  | 'duplicate-tag'
  /** Our order has a venue order id the broker's orderbook does not list. */
  | 'missing-at-broker'
  /** Our order is from an earlier IST day: today's orderbook cannot say whether it was placed. */
  | 'earlier-day'
  /** Our cancellation was in flight at the crash and the broker still shows the order working. */
  | 'cancel-not-applied'
  /** The broker's order object could not be parsed: stored raw, not applied. */
  | 'malformed';

/** One flagged order. */
export interface ReconcileFlag {
  readonly kind: ReconcileFlagKind;
  readonly message: string;
  readonly order: Order | null;
  readonly brokerOrder: KiteOrder | null;
}

/** A broker order placed outside KitePilot (web, mobile, another app): adopted read-only, never managed. */
export interface ExternalOrder {
  readonly venueOrderId: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: string;
  readonly qty: number;
  readonly filledQty: number;
  readonly status: string;
  readonly tag: string | null;
}

/** A difference between our net quantity and the broker's for one exchange × symbol × product. */
export interface PositionMismatch {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: string;
  readonly ourQty: number;
  readonly brokerQty: number;
}

/** One order absent from the orderbook but too recent to be declared not placed. */
export interface PendingOrder {
  readonly order: Order;
  readonly recheckAtMs: number;
}

/** What to do after a restart. */
export interface ReconcilePlan {
  /** Reports to route to the order manager, in this order (source `orderbook`); already-applied ids are left out. */
  readonly reports: readonly OrderUpdateReceived[];
  /** Our orders declared not placed (their `submit-failed` is among `reports`). */
  readonly notPlaced: readonly Order[];
  readonly pending: readonly PendingOrder[];
  readonly flagged: readonly ReconcileFlag[];
  readonly external: readonly ExternalOrder[];
  readonly positionMismatches: readonly PositionMismatch[];
}

const WORKING_AT_BROKER: ReadonlySet<string> = new Set([
  'PUT ORDER REQ RECEIVED',
  'VALIDATION PENDING',
  'OPEN PENDING',
  'OPEN',
  'TRIGGER PENDING',
  'MODIFY VALIDATION PENDING',
  'MODIFY PENDING',
  'MODIFIED',
  'CANCEL PENDING',
  'AMO REQ RECEIVED',
  'UPDATE',
]);

/** Returns the reconciliation plan of `input` (see the file header for the rules). */
export function reconcile(input: ReconcileInput): ReconcilePlan {
  const grace = input.notFoundGraceMs ?? 10_000;
  const reports: OrderUpdateReceived[] = [];
  const notPlaced: Order[] = [];
  const pending: PendingOrder[] = [];
  const flagged: ReconcileFlag[] = [];
  const external: ExternalOrder[] = [];
  const known = new Set<IntentId>(input.knownIntentIds ?? []);
  for (const o of input.orders) known.add(o.intentId);

  const byVenue = new Map<string, KiteOrder>();
  const byTag = new Map<IntentId, KiteOrder>();
  for (const b of input.brokerOrders) {
    byVenue.set(b.orderId, b);
    const intent = intentIdOfKiteOrder(b);
    if (intent === null) continue;
    const first = byTag.get(intent);
    if (first === undefined) byTag.set(intent, b);
    else {
      flagged.push({
        kind: 'duplicate-tag',
        message: `broker orders ${first.orderId} and ${b.orderId} both carry the tag of intent ${intent}`,
        order: null,
        brokerOrder: b,
      });
    }
  }
  const tradesOf = new Map<string, KiteTrade[]>();
  for (const t of input.brokerTrades) {
    const list = tradesOf.get(t.orderId);
    if (list === undefined) tradesOf.set(t.orderId, [t]);
    else list.push(t);
  }

  const matched = new Set<string>();
  for (const order of input.orders) {
    if (isTerminalStatus(order.status)) continue;
    const b = order.venueOrderId !== null ? byVenue.get(order.venueOrderId) : byTag.get(order.intentId);
    if (b === undefined) {
      absent(order);
      continue;
    }
    matched.add(b.orderId);
    planMatched(order, b);
  }

  for (const b of input.brokerOrders) {
    if (matched.has(b.orderId)) continue;
    const intent = intentIdOfKiteOrder(b);
    if (intent === null) {
      external.push({
        venueOrderId: b.orderId,
        exchange: b.exchange,
        tradingsymbol: b.tradingsymbol,
        side: b.transactionType,
        qty: b.quantity,
        filledQty: b.filledQuantity,
        status: b.status,
        tag: b.tag,
      });
    } else if (!known.has(intent)) {
      flagged.push({
        kind: 'unknown-intent',
        message: `broker order ${b.orderId} (${b.status}) carries tag ${b.tag ?? ''} of unknown intent ${intent}`,
        order: null,
        brokerOrder: b,
      });
    } else if (WORKING_AT_BROKER.has(b.status) && byTag.get(intent) === b) {
      flagged.push({
        kind: 'untracked-live-order',
        message: `broker order ${b.orderId} of intent ${intent} is ${b.status} but we hold no open order for it`,
        order: null,
        brokerOrder: b,
      });
    }
  }

  return {
    reports,
    notPlaced,
    pending,
    flagged,
    external,
    positionMismatches:
      input.positions !== undefined && input.brokerPositions !== undefined
        ? positionMismatches(input.positions, input.brokerPositions)
        : [],
  };

  function push(order: Order, ref: OrderRef, event: OrderEvent, raw: unknown): void {
    if (order.appliedEventIds.includes(event.id)) return;
    reports.push(orderReport(input.accountId, ref, event, 'orderbook', asJsonValue(raw), input.nowMs));
  }

  function absent(order: Order): void {
    const tag = intentTag(order.intentId);
    if (order.venueOrderId !== null) {
      flagged.push({
        kind: istDate(order.createdAt) === istDate(input.nowMs) ? 'missing-at-broker' : 'earlier-day',
        message: `order ${order.clientOrderId} (${order.status}) has venue id ${order.venueOrderId}, which today's orderbook does not list`,
        order,
        brokerOrder: null,
      });
      return;
    }
    if (istDate(order.createdAt) !== istDate(input.nowMs)) {
      flagged.push({
        kind: 'earlier-day',
        message: `order ${order.clientOrderId} (${order.status}, tag ${tag}) is from ${istDate(order.createdAt)}; today's orderbook cannot show whether it was placed`,
        order,
        brokerOrder: null,
      });
      return;
    }
    const lastChange = Math.max(order.createdAt, order.updatedAt);
    if (input.nowMs - lastChange < grace) {
      pending.push({ order, recheckAtMs: lastChange + grace });
      return;
    }
    notPlaced.push(order);
    push(
      order,
      { clientOrderId: order.clientOrderId, intentId: order.intentId, venueOrderId: null },
      {
        type: 'submit-failed',
        id: `submit-failed:${order.clientOrderId}`,
        ts: input.nowMs,
        reason: `not found at the broker after restart: no order tagged ${tag} in today's orderbook`,
      },
      { reconciled: 'not-placed', tag },
    );
  }

  function planMatched(order: Order, b: KiteOrder): void {
    const venueOrderId = parseVenueOrderId(b.orderId);
    const ref: OrderRef = { clientOrderId: order.clientOrderId, intentId: order.intentId, venueOrderId };
    if (order.status === 'INITIALIZED') {
      push(
        order,
        ref,
        { type: 'submit', id: `submit:${order.clientOrderId}`, ts: input.nowMs, venueOrderId },
        {
          reconciled: 'placed',
          order_id: b.orderId,
        },
      );
    }
    let parsed;
    try {
      parsed = parseKiteOrderUpdate(b.raw);
    } catch (error) {
      if (!(error instanceof KiteOrderUpdateError)) throw error;
      flagged.push({ kind: 'malformed', message: error.message, order, brokerOrder: b });
    }
    if (parsed !== undefined) {
      let status = kiteOrderUpdateToVenueStatus(parsed);
      // A modification in flight at the crash: the broker's working status (applied before the request) must
      // still end PENDING_MODIFY, so it goes again under a reconciliation id.
      if (order.status === 'PENDING_MODIFY' && order.appliedEventIds.includes(status.id)) {
        status = {
          ...status,
          id: `reconcile:${order.clientOrderId}:${order.appliedEventIds.length}:${status.id}`,
        };
      }
      push(order, ref, status, b.raw);
      if (order.status === 'PENDING_CANCEL' && (b.status === 'OPEN' || b.status === 'TRIGGER PENDING')) {
        flagged.push({
          kind: 'cancel-not-applied',
          message: `order ${order.clientOrderId} is PENDING_CANCEL but ${b.status} at the broker: send the cancellation again`,
          order,
          brokerOrder: b,
        });
      }
    }
    for (const t of tradesOf.get(b.orderId) ?? []) {
      push(order, ref, fillEventFromTrade(t, input.nowMs), t.raw);
    }
  }
}

/** Returns the (exchange, symbol, product) keys where our net quantity differs from the broker's. */
export function positionMismatches(
  ours: readonly Position[],
  broker: readonly KitePosition[],
): PositionMismatch[] {
  const rows = new Map<
    string,
    { exchange: string; tradingsymbol: string; product: string; our: number; broker: number }
  >();
  const row = (exchange: string, tradingsymbol: string, product: string) => {
    const key = `${exchange}:${tradingsymbol}:${product}`;
    let r = rows.get(key);
    if (r === undefined) {
      r = { exchange, tradingsymbol, product, our: 0, broker: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const p of ours) {
    const { symbol, exchange } = parseInstrumentId(p.instrumentId);
    row(exchange, symbol, p.product).our += p.netQty;
  }
  for (const p of broker) row(p.exchange, p.tradingsymbol, p.product).broker += p.quantity;
  return [...rows.values()]
    .filter((r) => r.our !== r.broker)
    .map((r) => ({
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      product: r.product,
      ourQty: r.our,
      brokerQty: r.broker,
    }));
}

/** The input of reconcileWithBroker: reconcile's input without what it reads from the broker. */
export type ReconcileWithBrokerInput = Omit<
  ReconcileInput,
  'brokerOrders' | 'brokerTrades' | 'brokerPositions'
>;

/**
 * Reads today's orders, trades and (when `positions` is given) net positions from Kite and returns the plan.
 * A failed read rejects: without a successful orderbook read nothing may be declared not placed.
 */
export async function reconcileWithBroker(
  rest: KiteRestClient,
  input: ReconcileWithBrokerInput,
): Promise<ReconcilePlan> {
  const brokerOrders = await rest.getOrders();
  const brokerTrades = await rest.getTrades();
  const brokerPositions = input.positions === undefined ? undefined : (await rest.getPositions()).net;
  return reconcile({
    ...input,
    brokerOrders,
    brokerTrades,
    ...(brokerPositions === undefined ? {} : { brokerPositions }),
  });
}
