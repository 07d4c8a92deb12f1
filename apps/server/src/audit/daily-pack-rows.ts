// The rows of the daily pack: one flat record per order, fill, signal, risk decision, raw order event and audit
// record, the same in the JSONL and the CSV file. Every time is given twice: `…Utc` (ISO 8601, Z) and `…Ist` (ISO 8601,
// +05:30); money in integer paise and as rupee strings.
import {
  formatIst,
  type AuditEvent,
  type Fill,
  type JsonValue,
  type Order,
  type Signal,
  type StoredOrderEvent,
  type StoredRiskDecision,
} from '@kitepilot/core';
import { fillRow, orderRow } from '../http/routes/trading-reads.ts';

/** A flat row of the pack. */
export type PackRow = { readonly [key: string]: JsonValue };

/** Returns `{ <name>Utc, <name>Ist }` of an epoch-ms time. */
function times(name: string, epochMs: number): PackRow {
  return { [`${name}Utc`]: new Date(epochMs).toISOString(), [`${name}Ist`]: formatIst(epochMs) };
}

/** Returns the pack row of an order. */
export function orderPackRow(order: Order): PackRow {
  const { createdAt: _created, updatedAt: _updated, ...row } = orderRow(order);
  return { ...row, ...times('createdAt', order.createdAt), ...times('updatedAt', order.updatedAt) };
}

/** Returns the pack row of a fill. */
export function fillPackRow(fill: Fill): PackRow {
  const { tsEvent: _event, tsInit: _init, ...row } = fillRow(fill);
  return { ...row, ...times('tsEvent', fill.tsEvent), ...times('tsInit', fill.tsInit) };
}

/** Returns the pack row of a signal. */
export function signalPackRow(signal: Signal): PackRow {
  return {
    id: signal.id,
    accountId: signal.accountId,
    runId: signal.runId,
    strategyId: signal.strategyId,
    instrumentId: signal.instrumentId,
    direction: signal.direction,
    strength: signal.strength,
    reason: signal.reason,
    ...times('tsEvent', signal.tsEvent),
    ...times('tsInit', signal.tsInit),
  };
}

/** Returns the pack row of a risk decision, with its inputs. */
export function riskDecisionPackRow(decision: StoredRiskDecision): PackRow {
  return {
    id: decision.id,
    accountId: decision.accountId,
    intentId: decision.intentId,
    strategyId: decision.strategyId,
    decision: decision.decision,
    code: decision.code,
    reason: decision.reason,
    slices: decision.slices === null ? null : [...decision.slices],
    inputs: decision.inputs,
    ...times('decidedAt', decision.decidedAt),
  };
}

/** Returns the pack row of a raw broker message about an order. */
export function orderEventPackRow(event: StoredOrderEvent): PackRow {
  return {
    id: event.id,
    accountId: event.accountId,
    clientOrderId: event.clientOrderId,
    venueOrderId: event.venueOrderId,
    source: event.source,
    venueStatus: event.venueStatus,
    payload: event.payload,
    ...times('receivedAt', event.receivedAt),
  };
}

/** Returns the pack row of an audit record. */
export function auditPackRow(event: AuditEvent): PackRow {
  return {
    seq: event.seq,
    accountId: event.accountId,
    kind: event.kind,
    actor: event.actor,
    ...times('ts', event.ts),
    payload: event.payload,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** The CSV columns of each table of the pack, in order. */
export const PACK_COLUMNS = {
  orders: [
    'clientOrderId',
    'intentId',
    'accountId',
    'strategyId',
    'runId',
    'instrumentId',
    'side',
    'qty',
    'orderType',
    'product',
    'validity',
    'variety',
    'limitPricePaise',
    'limitPrice',
    'triggerPricePaise',
    'triggerPrice',
    'venueOrderId',
    'status',
    'venueStatus',
    'filledQty',
    'cancelledQty',
    'filledValuePaise',
    'filledValue',
    'averagePricePaise',
    'averagePrice',
    'statusMessage',
    'createdAtUtc',
    'createdAtIst',
    'updatedAtUtc',
    'updatedAtIst',
  ],
  fills: [
    'id',
    'clientOrderId',
    'venueTradeId',
    'accountId',
    'instrumentId',
    'product',
    'side',
    'qty',
    'pricePaise',
    'price',
    'valuePaise',
    'value',
    'tsEventUtc',
    'tsEventIst',
    'tsInitUtc',
    'tsInitIst',
  ],
  signals: [
    'id',
    'accountId',
    'runId',
    'strategyId',
    'instrumentId',
    'direction',
    'strength',
    'reason',
    'tsEventUtc',
    'tsEventIst',
    'tsInitUtc',
    'tsInitIst',
  ],
  'risk-decisions': [
    'id',
    'accountId',
    'intentId',
    'strategyId',
    'decision',
    'code',
    'reason',
    'slices',
    'inputs',
    'decidedAtUtc',
    'decidedAtIst',
  ],
  'order-events': [
    'id',
    'accountId',
    'clientOrderId',
    'venueOrderId',
    'source',
    'venueStatus',
    'payload',
    'receivedAtUtc',
    'receivedAtIst',
  ],
  'audit-events': ['seq', 'accountId', 'kind', 'actor', 'tsUtc', 'tsIst', 'payload', 'prevHash', 'hash'],
} as const satisfies Record<string, readonly string[]>;

/** The name of one table of the pack. */
export type PackTable = keyof typeof PACK_COLUMNS;
