// The crash-recovery verdict: our stored orders and fills compared with the broker's orderbook and tradebook.
// Orders are ours when their Kite tag carries one of our intent ids (intentTag). The checks, each a violation
// message with the ids involved:
// - at most one broker order per tag (an intent never becomes two live orders, across crashes and restarts);
// - every broker order of ours is known to us under its intent, with the broker's order id;
// - every broker trade of our orders is exactly one of our fills (by trade id), on the right order, with the
//   broker's quantity and price; no fill of ours lacks a broker trade;
// - a known order's status and filled quantity match the broker's;
// - an order of ours the broker never saw is terminal and unfilled (never stuck working, never filled).
import { intentIdFromTag, type OrderStatus } from '@kitepilot/core';

/** A broker order as the check needs it (from GET /orders). */
export interface BrokerOrderView {
  readonly orderId: string;
  readonly tag: string | null;
  /** The Kite status (`COMPLETE`, `CANCELLED`, `REJECTED`, `OPEN`, …). */
  readonly status: string;
  readonly quantity: number;
  readonly filledQuantity: number;
}

/** A broker trade as the check needs it (from GET /trades). */
export interface BrokerTradeView {
  readonly tradeId: string;
  readonly orderId: string;
  readonly quantity: number;
  readonly pricePaise: number;
}

/** One of our stored orders (the fields of `kitepilot orders --json`). */
export interface OurOrderView {
  readonly clientOrderId: string;
  readonly intentId: string;
  readonly venueOrderId: string | null;
  readonly status: string;
  readonly filledQty: number;
}

/** One of our stored fills (the fields of `kitepilot fills --json`). */
export interface OurFillView {
  readonly clientOrderId: string;
  readonly venueTradeId: string;
  readonly qty: number;
  readonly pricePaise: number;
}

/** Everything the check compares. */
export interface CrashLedger {
  readonly brokerOrders: readonly BrokerOrderView[];
  readonly brokerTrades: readonly BrokerTradeView[];
  readonly ourOrders: readonly OurOrderView[];
  readonly ourFills: readonly OurFillView[];
}

/** What the check saw besides the violations: counts for the report. */
export interface CrashLedgerSummary {
  readonly brokerOrdersOfOurs: number;
  readonly brokerTradesOfOurs: number;
  readonly ourOrders: number;
  readonly ourFills: number;
  readonly ourOrdersNeverAtBroker: number;
}

/** The verdict: an empty `violations` list means the ledgers agree. */
export interface CrashLedgerVerdict {
  readonly violations: readonly string[];
  readonly summary: CrashLedgerSummary;
}

const BROKER_TERMINAL: Readonly<Record<string, OrderStatus>> = {
  COMPLETE: 'FILLED',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
};

const OUR_TERMINAL: ReadonlySet<string> = new Set(['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED']);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

/** Returns the violations of the crash-recovery invariants (file header) between the broker and our store. */
export function checkCrashLedger(ledger: CrashLedger): CrashLedgerVerdict {
  const violations: string[] = [];
  const ours = ledger.brokerOrders.flatMap((order) => {
    const intentId = intentIdFromTag(order.tag);
    return intentId === null ? [] : [{ order, intentId: intentId as string }];
  });
  const brokerByIntent = groupBy(ours, (o) => o.intentId);
  const brokerOrderIds = new Set(ours.map((o) => o.order.orderId));
  const ourByIntent = groupBy(ledger.ourOrders, (o) => o.intentId);
  const ourByClientId = new Map(ledger.ourOrders.map((o) => [o.clientOrderId, o]));

  for (const [intentId, orders] of brokerByIntent) {
    if (orders.length > 1) {
      violations.push(
        `duplicate order: tag ${orders[0]?.order.tag ?? '?'} (intent ${intentId}) is on ${orders.length} ` +
          `broker orders ${orders.map((o) => o.order.orderId).join(', ')}`,
      );
    }
  }
  for (const [intentId, orders] of ourByIntent) {
    if (orders.length > 1) {
      violations.push(
        `intent ${intentId} has ${orders.length} stored orders ${orders.map((o) => o.clientOrderId).join(', ')}`,
      );
    }
  }

  for (const { order: broker, intentId } of ours) {
    const mine = ourByIntent.get(intentId)?.[0];
    if (mine === undefined) {
      violations.push(
        `unknown order: broker order ${broker.orderId} (tag ${broker.tag ?? ''}, ${broker.status}, ` +
          `filled ${broker.filledQuantity}) has no stored order for intent ${intentId}`,
      );
      continue;
    }
    const what = `order ${mine.clientOrderId} (intent ${intentId}, broker ${broker.orderId})`;
    if (mine.venueOrderId !== broker.orderId) {
      violations.push(`${what}: stored venue order id ${String(mine.venueOrderId)} is not ${broker.orderId}`);
    }
    const expected = BROKER_TERMINAL[broker.status];
    if (expected !== undefined && mine.status !== expected) {
      violations.push(`${what}: status ${mine.status}, the broker says ${broker.status}`);
    }
    if (expected === undefined && OUR_TERMINAL.has(mine.status)) {
      violations.push(`${what}: terminal ${mine.status} while the broker still works it (${broker.status})`);
    }
    if (mine.filledQty !== broker.filledQuantity) {
      violations.push(`${what}: filled ${mine.filledQty}, the broker filled ${broker.filledQuantity}`);
    }
  }

  let neverAtBroker = 0;
  for (const mine of ledger.ourOrders) {
    if (brokerByIntent.has(mine.intentId)) continue;
    neverAtBroker += 1;
    const what = `order ${mine.clientOrderId} (intent ${mine.intentId}) never reached the broker`;
    if (!OUR_TERMINAL.has(mine.status)) violations.push(`${what} but is stuck in ${mine.status}`);
    else if (mine.filledQty !== 0 || mine.status === 'FILLED') {
      violations.push(`${what} but shows ${mine.status} with ${mine.filledQty} filled`);
    }
    if (mine.venueOrderId !== null) {
      violations.push(`${what} but carries venue order id ${mine.venueOrderId}`);
    }
  }

  const fillsByTrade = groupBy(ledger.ourFills, (f) => f.venueTradeId);
  const tradesOfOurs = ledger.brokerTrades.filter((t) => brokerOrderIds.has(t.orderId));
  for (const trade of tradesOfOurs) {
    const fills = fillsByTrade.get(trade.tradeId) ?? [];
    const what = `broker trade ${trade.tradeId} (order ${trade.orderId}, ${trade.quantity} @ ${trade.pricePaise} paise)`;
    if (fills.length === 0) {
      violations.push(`lost fill: ${what} is not among our fills`);
      continue;
    }
    if (fills.length > 1) violations.push(`duplicate fill: ${what} is ${fills.length} of our fills`);
    for (const fill of fills) {
      const order = ourByClientId.get(fill.clientOrderId);
      if (order?.venueOrderId !== trade.orderId) {
        violations.push(
          `${what}: our fill is on order ${fill.clientOrderId} (venue ${String(order?.venueOrderId)})`,
        );
      }
      if (fill.qty !== trade.quantity || fill.pricePaise !== trade.pricePaise) {
        violations.push(`${what}: our fill says ${fill.qty} @ ${fill.pricePaise} paise`);
      }
    }
  }
  const brokerTradeIds = new Set(ledger.brokerTrades.map((t) => t.tradeId));
  for (const fill of ledger.ourFills) {
    if (!brokerTradeIds.has(fill.venueTradeId)) {
      violations.push(
        `phantom fill: our fill ${fill.venueTradeId} on order ${fill.clientOrderId} (${fill.qty} @ ` +
          `${fill.pricePaise} paise) has no broker trade`,
      );
    }
  }

  return {
    violations,
    summary: {
      brokerOrdersOfOurs: ours.length,
      brokerTradesOfOurs: tradesOfOurs.length,
      ourOrders: ledger.ourOrders.length,
      ourFills: ledger.ourFills.length,
      ourOrdersNeverAtBroker: neverAtBroker,
    },
  };
}
