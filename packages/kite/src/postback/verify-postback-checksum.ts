import { createHash, timingSafeEqual } from 'node:crypto';

/** Returns hex(SHA-256(order_id + order_timestamp + api_secret)), the checksum Kite puts in a postback (§6). */
export function postbackChecksum(orderId: string, orderTimestamp: string, apiSecret: string): string {
  return createHash('sha256')
    .update(orderId + orderTimestamp + apiSecret, 'utf8')
    .digest('hex');
}

/**
 * Returns true when the postback `body` (the raw JSON text or its parsed object) carries the checksum Kite computes
 * from its `order_id`, its raw `order_timestamp` and our API secret (kite-connect.md §6); compared in constant time.
 */
export function verifyPostbackChecksum(body: unknown, apiSecret: string): boolean {
  let payload: unknown = body;
  if (typeof body === 'string') {
    try {
      payload = JSON.parse(body) as unknown;
    } catch {
      // A body that is not JSON cannot carry a valid checksum; the caller rejects it.
      return false;
    }
  }
  if (typeof payload !== 'object' || payload === null) return false;
  const o = payload as Record<string, unknown>;
  const orderId = o['order_id'];
  const timestamp = o['order_timestamp'];
  const checksum = o['checksum'];
  if (typeof orderId !== 'string' || typeof timestamp !== 'string' || typeof checksum !== 'string')
    return false;
  const expected = Buffer.from(postbackChecksum(orderId, timestamp, apiSecret), 'utf8');
  const given = Buffer.from(checksum.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
