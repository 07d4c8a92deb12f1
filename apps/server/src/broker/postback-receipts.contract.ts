// PostbackReceipts on a real store: verified receipts are deduplicated by digest (also under concurrent deliveries),
// refused ones are all kept, and the body comes back byte-exact from jsonb.
import { parseAccountId, parseVenueOrderId } from '@kitepilot/core';
import type { SqlDriver } from '@kitepilot/store';
import { describe, expect, it } from 'vitest';
import { PostbackReceipts, receiptBytes, type PostbackArrival } from './postback-receipts.ts';

/** Registers the receipt tests over `driver()` (a migrated schema). */
export function postbackReceiptsContract(driver: () => SqlDriver): void {
  const account = parseAccountId('acc_receipts');
  const arrival = (body: string | Buffer, orderId: string | null): PostbackArrival => ({
    accountId: account,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    contentType: 'application/json',
    venueOrderId: orderId === null ? null : parseVenueOrderId(orderId),
    venueStatus: 'COMPLETE',
    receivedAt: Date.UTC(2026, 10, 23, 4, 30),
  });
  const payloads = async (orderId: string | null) =>
    (
      await driver().query<{ payload: Record<string, never> }>(
        `SELECT payload FROM order_events WHERE account_id = $1 AND venue_order_id IS NOT DISTINCT FROM $2 ORDER BY id`,
        [account, orderId],
      )
    ).rows.map((r) => r.payload);

  describe('PostbackReceipts', () => {
    it('stores one verified receipt per digest, even for concurrent deliveries', async () => {
      await driver().query(`INSERT INTO accounts (id, name) VALUES ($1, 'r') ON CONFLICT DO NOTHING`, [
        account,
      ]);
      const receipts = new PostbackReceipts(driver());
      const text = ' {"order_id": "9001", "status": "COMPLETE"}\n';
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => receipts.recordVerified(arrival(text, '9001'), 'd1'.padEnd(64, '0'))),
      );
      expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.id)).size).toBe(1);
      const [stored, ...more] = await payloads('9001');
      expect(more).toEqual([]);
      expect(receiptBytes(stored ?? null)?.toString()).toBe(text);
      expect((await receipts.recordVerified(arrival(text, '9001'), 'd2'.padEnd(64, '0'))).duplicate).toBe(
        false,
      );
    });

    it('keeps every refused receipt with its reason and exact bytes', async () => {
      const receipts = new PostbackReceipts(driver());
      const bytes = Buffer.from([0xff, 0x00, 0x7b]);
      await receipts.recordRefused(arrival(bytes, null), 'not UTF-8');
      await receipts.recordRefused(arrival(bytes, null), 'not UTF-8');
      const stored = await payloads(null);
      expect(stored).toHaveLength(2);
      expect(stored[0]).toMatchObject({ verified: false, reason: 'not UTF-8', bytes: 3 });
      expect(receiptBytes(stored[1] ?? null)?.equals(bytes)).toBe(true);
    });
  });
}
