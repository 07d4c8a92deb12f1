import { parseKiteOrderUpdate, type KiteOrderUpdate } from '../parse/order-update.ts';
import { verifyPostbackChecksum } from './verify-postback-checksum.ts';

/** Thrown when a postback's checksum does not match (forged, corrupted, or signed with another app's secret). */
export class PostbackChecksumError extends Error {}

/**
 * Returns the order update of a postback body after verifying its checksum (kite-connect.md §6); throws
 * PostbackChecksumError when it does not verify and KiteOrderUpdateError when the order is malformed.
 */
export function parsePostback(body: string, apiSecret: string): KiteOrderUpdate {
  if (!verifyPostbackChecksum(body, apiSecret)) {
    let orderId = 'unknown';
    try {
      const parsed = JSON.parse(body) as unknown;
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as Record<string, unknown>)['order_id'] === 'string'
      ) {
        orderId = (parsed as Record<string, string>)['order_id'] ?? 'unknown';
      }
    } catch (error) {
      throw new PostbackChecksumError(`postback body of ${body.length} bytes is not JSON`, { cause: error });
    }
    throw new PostbackChecksumError(`postback for order ${orderId} has a checksum that does not verify`);
  }
  return parseKiteOrderUpdate(JSON.parse(body) as unknown);
}
