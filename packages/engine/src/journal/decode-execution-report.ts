// Strict decoding of the execution reports a journal line carries (core ExecutionReport and its OrderEvent).
import {
  paise,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parseVenueOrderId,
  parseVenueTradeId,
  type AccountId,
  type ExecutionReport,
  type JsonValue,
  type OrderAmendment,
  type OrderEvent,
  type OrderEventSource,
  type OrderUpdateReceived,
  type Paise,
} from '@kitepilot/core';
import type { JsonReader } from './json-reader.ts';

const SOURCES: readonly OrderEventSource[] = ['postback', 'websocket', 'orderbook', 'rest'];
const LINKS = ['market-data', 'execution', 'order-updates'] as const;
const EVENT_TYPES = [
  'submit',
  'submit-uncertain',
  'submit-failed',
  'modify-request',
  'cancel-request',
  'venue-status',
  'fill',
] as const;

const ALL_REPORT_FIELDS = [
  'accountId',
  'clientOrderId',
  'intentId',
  'venueOrderId',
  'update',
  'source',
  'raw',
  'tsEvent',
  'tsInit',
  'link',
  'gapStartMs',
  'gapEndMs',
  'reason',
];

/** Returns the value of `key` parsed by `parse` (a core id or money parser), as a JournalFormatError on failure. */
export function parsed<T>(r: JsonReader, key: string, parse: (s: string) => T): T {
  const s = r.string(key);
  try {
    return parse(s);
  } catch (error) {
    return r.fail(key, `is malformed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/** Returns the value of `key` parsed by `parse`, or null. */
export function parsedOrNull<T>(r: JsonReader, key: string, parse: (s: string) => T): T | null {
  return r.raw(key) === null ? null : parsed(r, key, parse);
}

/** Returns the integer paise at `key`. */
export function paiseAt(r: JsonReader, key: string): Paise {
  return paise(r.int(key));
}

/** Returns the integer paise at `key`, or null. */
export function paiseOrNull(r: JsonReader, key: string): Paise | null {
  const n = r.intOrNull(key);
  return n === null ? null : paise(n);
}

function decodeAmendment(r: JsonReader, key: string): OrderAmendment | null {
  if (r.raw(key) === null) return null;
  const a = r.object(key, ['qty', 'limitPricePaise', 'triggerPricePaise']);
  return {
    qty: a.int('qty'),
    limitPricePaise: paiseOrNull(a, 'limitPricePaise'),
    triggerPricePaise: paiseOrNull(a, 'triggerPricePaise'),
  };
}

function decodeOrderEvent(parent: JsonReader, key: string): OrderEvent {
  const peek = parent.object(key, [
    'type',
    'id',
    'ts',
    'venueOrderId',
    'reason',
    'status',
    'filledQty',
    'cancelledQty',
    'message',
    'amendment',
    'venueTradeId',
    'qty',
    'pricePaise',
  ]);
  const type = peek.oneOf('type', EVENT_TYPES);
  const base = ['type', 'id', 'ts'];
  const fields: Record<(typeof EVENT_TYPES)[number], readonly string[]> = {
    submit: [...base, 'venueOrderId'],
    'submit-uncertain': [...base, 'reason'],
    'submit-failed': [...base, 'reason'],
    'modify-request': base,
    'cancel-request': base,
    'venue-status': [...base, 'status', 'venueOrderId', 'filledQty', 'cancelledQty', 'message', 'amendment'],
    fill: [...base, 'venueTradeId', 'qty', 'pricePaise'],
  };
  const r = parent.object(key, fields[type]);
  const id = r.string('id');
  const ts = r.int('ts');
  switch (type) {
    case 'submit':
      return { type, id, ts, venueOrderId: parsedOrNull(r, 'venueOrderId', parseVenueOrderId) };
    case 'submit-uncertain':
    case 'submit-failed':
      return { type, id, ts, reason: r.string('reason') };
    case 'modify-request':
    case 'cancel-request':
      return { type, id, ts };
    case 'venue-status':
      return {
        type,
        id,
        ts,
        status: r.string('status'),
        venueOrderId: parsedOrNull(r, 'venueOrderId', parseVenueOrderId),
        filledQty: r.intOrNull('filledQty'),
        cancelledQty: r.intOrNull('cancelledQty'),
        message: r.stringOrNull('message'),
        amendment: decodeAmendment(r, 'amendment'),
      };
    case 'fill':
      return {
        type,
        id,
        ts,
        venueTradeId: parsed(r, 'venueTradeId', parseVenueTradeId),
        qty: r.int('qty'),
        pricePaise: paiseAt(r, 'pricePaise'),
      };
  }
}

function decodeOrderUpdate(r: JsonReader): OrderUpdateReceived {
  const report: OrderUpdateReceived = {
    type: 'OrderUpdateReceived',
    accountId: parsed(r, 'accountId', parseAccountId),
    clientOrderId: parsedOrNull(r, 'clientOrderId', parseClientOrderId),
    intentId: parsedOrNull(r, 'intentId', parseIntentId),
    venueOrderId: parsedOrNull(r, 'venueOrderId', parseVenueOrderId),
    update: decodeOrderEvent(r, 'update'),
    tsEvent: r.int('tsEvent'),
    tsInit: r.int('tsInit'),
  };
  // Optional fields stay absent when they were absent (exact round trip).
  const source = r.has('source') ? { source: r.oneOf('source', SOURCES) } : {};
  const raw = r.has('raw') ? { raw: r.raw('raw') as JsonValue } : {};
  return { ...report, ...source, ...raw };
}

function accountOrNull(r: JsonReader): AccountId | null {
  return parsedOrNull(r, 'accountId', parseAccountId);
}

/** Decodes the execution report at `key` of `parent`. */
export function decodeExecutionReport(parent: JsonReader, key: string): ExecutionReport {
  const type = parent
    .object(key, ['type', ...new Set(ALL_REPORT_FIELDS)])
    .oneOf('type', ['OrderUpdateReceived', 'BrokerConnected', 'BrokerDisconnected', 'SessionExpired']);
  switch (type) {
    case 'OrderUpdateReceived':
      return decodeOrderUpdate(
        parent.object(key, [
          'type',
          'accountId',
          'clientOrderId',
          'intentId',
          'venueOrderId',
          'update',
          'source',
          'raw',
          'tsEvent',
          'tsInit',
        ]),
      );
    case 'BrokerConnected': {
      const r = parent.object(key, ['type', 'accountId', 'link', 'tsEvent', 'tsInit']);
      return {
        type,
        accountId: accountOrNull(r),
        link: r.oneOf('link', LINKS),
        tsEvent: r.int('tsEvent'),
        tsInit: r.int('tsInit'),
      };
    }
    case 'BrokerDisconnected': {
      const r = parent.object(key, [
        'type',
        'accountId',
        'link',
        'gapStartMs',
        'gapEndMs',
        'reason',
        'tsEvent',
        'tsInit',
      ]);
      return {
        type,
        accountId: accountOrNull(r),
        link: r.oneOf('link', LINKS),
        gapStartMs: r.int('gapStartMs'),
        gapEndMs: r.intOrNull('gapEndMs'),
        reason: r.string('reason'),
        tsEvent: r.int('tsEvent'),
        tsInit: r.int('tsInit'),
      };
    }
    case 'SessionExpired': {
      const r = parent.object(key, ['type', 'accountId', 'tsEvent', 'tsInit']);
      return {
        type,
        accountId: parsed(r, 'accountId', parseAccountId),
        tsEvent: r.int('tsEvent'),
        tsInit: r.int('tsInit'),
      };
    }
  }
}
