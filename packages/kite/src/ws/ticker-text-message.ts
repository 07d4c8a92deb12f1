import { parseKiteOrderUpdate, type KiteOrderUpdate } from '../parse/order-update.ts';

/** A ticker text message, classified (kite-connect.md §5.6). */
export type TickerTextMessage =
  | { readonly kind: 'order'; readonly update: KiteOrderUpdate }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'message'; readonly data: unknown }
  | { readonly kind: 'invalid'; readonly reason: string; readonly cause?: unknown };

/**
 * Returns the classified content of a ticker text message: an order update (`{"type":"order"}`, parsed
 * with parseKiteOrderUpdate), a broker error (`{"type":"error"}`), a broker message, or `invalid` with
 * the reason (bad JSON, unknown type, malformed order). Never throws.
 */
export function parseTickerTextMessage(text: string): TickerTextMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', reason: `text message is not JSON: ${text.slice(0, 200)}`, cause: error };
  }
  if (typeof json !== 'object' || json === null || !('type' in json)) {
    return { kind: 'invalid', reason: `text message has no "type": ${text.slice(0, 200)}` };
  }
  const { type, data } = json as { type: unknown; data?: unknown };
  if (type === 'order') {
    try {
      return { kind: 'order', update: parseKiteOrderUpdate(data) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { kind: 'invalid', reason: `order message could not be parsed: ${reason}`, cause: error };
    }
  }
  if (type === 'error') {
    return { kind: 'error', message: typeof data === 'string' ? data : JSON.stringify(data) };
  }
  if (type === 'message') return { kind: 'message', data };
  return { kind: 'invalid', reason: `text message has unknown type ${JSON.stringify(type)}` };
}
