// Checks one client → server text frame of the live stream: JSON, a known `type`, the fields of that type's schema,
// instruments as EXCHANGE:SYMBOL or SYMBOL.EXCHANGE, bar intervals the process builds. A refusal names the problem
// so the client can fix it; the connection stays open.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import {
  LivePingSchema,
  LiveSubscribeSchema,
  LiveUnsubscribeSchema,
  type LiveClientMessage,
} from '@kitepilot/api-contract';
import type { BarInterval, InstrumentId } from '@kitepilot/core';
import { InstrumentRefError, parseInstrumentSymbol } from '@kitepilot/market-data';

/** A client message after its checks. */
export type LiveRequest =
  | {
      readonly type: 'subscribe';
      readonly instruments: readonly InstrumentId[];
      readonly bars: readonly BarInterval[];
    }
  | { readonly type: 'unsubscribe'; readonly instruments: readonly InstrumentId[] }
  | { readonly type: 'ping'; readonly id: string | number | null };

/** The result of reading a client message: the request, or what is wrong with it. */
export type LiveRequestResult =
  | { readonly ok: true; readonly request: LiveRequest }
  | { readonly ok: false; readonly message: string; readonly details: unknown };

const CHECKS: Record<LiveClientMessage['type'], TypeCheck<TSchema>> = {
  subscribe: TypeCompiler.Compile(LiveSubscribeSchema),
  unsubscribe: TypeCompiler.Compile(LiveUnsubscribeSchema),
  ping: TypeCompiler.Compile(LivePingSchema),
};

const TYPES = Object.keys(CHECKS);

const refuse = (message: string, details: unknown = null): LiveRequestResult => ({
  ok: false,
  message,
  details,
});

/** Reads a client frame; `barIntervals` are the intervals a subscription may ask for. */
export function readLiveRequest(
  data: string | null,
  barIntervals: readonly BarInterval[],
): LiveRequestResult {
  if (data === null) return refuse('binary frames are not accepted: send JSON text');
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    return refuse(`the message is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('the message must be a JSON object with a "type"');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    return refuse(
      `unknown message type ${JSON.stringify(type ?? null)}: expected one of ${TYPES.join(', ')}`,
      { type: type ?? null },
    );
  }
  const check = CHECKS[type as LiveClientMessage['type']];
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const path = first === undefined || first.path === '' ? '/' : first.path;
    const why = first?.message ?? 'does not match the schema';
    return refuse(`${type}: ${path} ${why}`, { type, path, value: first?.value ?? null });
  }
  const message = value as LiveClientMessage;
  if (message.type === 'ping') return { ok: true, request: { type: 'ping', id: message.id ?? null } };
  const instruments: InstrumentId[] = [];
  for (const ref of message.instruments) {
    try {
      instruments.push(parseInstrumentSymbol(ref));
    } catch (error) {
      if (!(error instanceof InstrumentRefError)) throw error;
      return refuse(`${message.type}: instrument ${JSON.stringify(ref)}: ${error.message}`, {
        type: message.type,
        instrument: ref,
      });
    }
  }
  if (message.type === 'unsubscribe') return { ok: true, request: { type: 'unsubscribe', instruments } };
  const bars = message.bars ?? [];
  const unavailable = bars.filter((b) => !barIntervals.includes(b));
  if (unavailable.length > 0) {
    return refuse(
      `subscribe: bar interval ${unavailable.join(', ')} is not built here (available: ${barIntervals.join(', ')})`,
      { type: 'subscribe', unavailable },
    );
  }
  return { ok: true, request: { type: 'subscribe', instruments, bars } };
}
