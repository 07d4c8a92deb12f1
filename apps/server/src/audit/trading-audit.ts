// What the kernel does that the audit trail must hold (DESIGN.md invariant 8): every order event and every risk
// decision, taken from the kernel bus as they are published, in kernel order. Commands, controls and alerts are
// audited by the trading environment itself.
import type {
  AccountId,
  JsonValue,
  NewAuditEvent,
  OrderLifecycleEvent,
  RiskDecision,
  RunId,
} from '@kitepilot/core';
import type { Bus, OrderUpdate } from '@kitepilot/engine';

/** Where the records go (an AuditSink). */
export interface AuditQueue {
  enqueue(event: NewAuditEvent): void;
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** Returns the audit kind of an order event: `OrderPendingCancel` → `order.pending-cancel`. */
export function orderAuditKind(type: OrderLifecycleEvent['type']): string {
  const rest = type.replace(/^Order/, '');
  return `order.${rest.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `-${c.toLowerCase()}`))}`;
}

/** Returns the audit record of an order event and the order after it. */
export function orderAuditRecord(accountId: AccountId, runId: RunId, update: OrderUpdate): NewAuditEvent {
  const { event, order } = update;
  const strategyId =
    order?.strategyId ??
    (event.type === 'OrderDenied'
      ? event.strategyId
      : event.type === 'OrderInitialized'
        ? event.order.strategyId
        : null);
  return {
    accountId,
    ts: event.tsInit,
    kind: orderAuditKind(event.type),
    actor: strategyId ?? 'system',
    payload: toJson({
      runId,
      event,
      order:
        order === null
          ? null
          : {
              clientOrderId: order.clientOrderId,
              intentId: order.intentId,
              venueOrderId: order.venueOrderId,
              status: order.status,
              filledQty: order.filledQty,
              filledValuePaise: order.filledValuePaise,
            },
    }),
  };
}

/** Returns the audit record of a risk decision (`risk.allowed` or `risk.denied`), with its inputs. */
export function riskAuditRecord(runId: RunId, decision: RiskDecision): NewAuditEvent {
  return {
    accountId: decision.accountId,
    ts: decision.decidedAt,
    kind: decision.decision === 'allow' ? 'risk.allowed' : 'risk.denied',
    actor: decision.strategyId,
    payload: toJson({ runId, ...decision }),
  };
}

/** Subscribes the audit queue to the order and risk-decision topics; returns a function that unsubscribes. */
export function subscribeTradingAudit(
  bus: Bus,
  queue: AuditQueue,
  run: { readonly accountId: AccountId; readonly runId: RunId },
): () => void {
  const off = [
    bus.subscribe('order', (update) => queue.enqueue(orderAuditRecord(run.accountId, run.runId, update))),
    bus.subscribe('risk-decision', (decision) => queue.enqueue(riskAuditRecord(run.runId, decision))),
  ];
  return () => {
    for (const unsubscribe of off) unsubscribe();
  };
}
