// The record of every Kite postback the HTTP edge receives, in order_events (source `postback`). A receipt keeps the
// body byte-exact (`raw` when it is UTF-8 text jsonb can hold, else `rawBase64`; jsonb would reorder and re-space a
// JSON payload), whether its checksum verified, and for a verified one the SHA-256 of its canonical JSON: the same
// postback delivered twice (Kite retries; a replay) has the same digest and is applied once. The trading that
// applies a postback stores its own order event beside the receipt.
import { createHash } from 'node:crypto';
import { canonicalJson, type AccountId, type JsonValue, type VenueOrderId } from '@kitepilot/core';
import { toTimestamptzParam, type SqlDriver } from '@kitepilot/store';

/** The `receipt` marker of a receipt's payload. */
export const POSTBACK_RECEIPT = 'kite-postback';

/** Returns the SHA-256 (hex) of the canonical JSON of a postback body: equal for equal content. */
export function postbackDigest(body: JsonValue): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Returns the body as stored: `{ raw }` when it is UTF-8 without NUL (jsonb text cannot hold one), else base64. */
export function rawBodyFields(body: Uint8Array): { raw: string } | { rawBase64: string } {
  try {
    const text = utf8.decode(body);
    if (!text.includes('\u0000')) return { raw: text };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return { rawBase64: Buffer.from(body).toString('base64') };
}

/** Returns the bytes a receipt's payload holds. */
export function receiptBytes(payload: JsonValue): Buffer | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const fields = payload as { readonly [key: string]: JsonValue };
  const raw = fields['raw'];
  const rawBase64 = fields['rawBase64'];
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  if (typeof rawBase64 === 'string') return Buffer.from(rawBase64, 'base64');
  return null;
}

/** One postback as received. */
export interface PostbackArrival {
  readonly accountId: AccountId;
  readonly body: Uint8Array;
  readonly contentType: string | null;
  readonly venueOrderId: VenueOrderId | null;
  readonly venueStatus: string | null;
  readonly receivedAt: number;
}

/** Stores postback receipts and finds earlier ones. */
export class PostbackReceipts {
  readonly #driver: SqlDriver;

  /** Creates the receipts over `driver` (a migrated schema). */
  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Stores a postback that was refused (`reason` says why); returns the order event id. */
  async recordRefused(arrival: PostbackArrival, reason: string): Promise<number> {
    return this.#insert(this.#driver, arrival, { verified: false, digest: null, reason });
  }

  /**
   * Stores a verified postback unless a verified receipt with the same digest exists for the account; returns the
   * new order event id, or the earlier one with `duplicate: true`. The check and the insert hold a transaction-scoped
   * advisory lock on the digest, so concurrent deliveries (also from other processes on PostgreSQL) store one.
   */
  async recordVerified(
    arrival: PostbackArrival,
    digest: string,
  ): Promise<{ readonly id: number; readonly duplicate: boolean }> {
    return this.#driver.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${POSTBACK_RECEIPT}:${arrival.accountId}:${digest}`,
      ]);
      const earlier = await tx.query<{ id: number }>(
        `SELECT id FROM order_events
          WHERE account_id = $1 AND source = 'postback' AND venue_order_id IS NOT DISTINCT FROM $2
            AND payload->>'receipt' = $3 AND payload->>'digest' = $4 AND payload->>'verified' = 'true'
          ORDER BY id LIMIT 1`,
        [arrival.accountId, arrival.venueOrderId, POSTBACK_RECEIPT, digest],
      );
      const found = earlier.rows[0];
      if (found !== undefined) return { id: Number(found.id), duplicate: true };
      return {
        id: await this.#insert(tx, arrival, { verified: true, digest, reason: null }),
        duplicate: false,
      };
    });
  }

  async #insert(
    sql: Pick<SqlDriver, 'query'>,
    arrival: PostbackArrival,
    outcome: { verified: boolean; digest: string | null; reason: string | null },
  ): Promise<number> {
    const payload: JsonValue = {
      receipt: POSTBACK_RECEIPT,
      verified: outcome.verified,
      digest: outcome.digest,
      reason: outcome.reason,
      contentType: arrival.contentType,
      bytes: arrival.body.length,
      ...rawBodyFields(arrival.body),
    };
    const result = await sql.query<{ id: number }>(
      `INSERT INTO order_events (account_id, client_order_id, venue_order_id, source, venue_status, payload, received_at)
       VALUES ($1, NULL, $2, 'postback', $3, $4::jsonb, $5::timestamptz) RETURNING id`,
      [
        arrival.accountId,
        arrival.venueOrderId,
        arrival.venueStatus,
        JSON.stringify(payload),
        toTimestamptzParam(arrival.receivedAt),
      ],
    );
    return Number(result.rows[0]?.id);
  }
}
