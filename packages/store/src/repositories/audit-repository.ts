import type {
  AccountId,
  AuditEvent,
  AuditRepository,
  AuditVerification,
  JsonValue,
  NewAuditEvent,
} from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { intParam, jsonParam, num, tsParam } from './sql-params.ts';

interface AuditRow {
  readonly seq: number;
  readonly account_id: string | null;
  readonly ts: number;
  readonly kind: string;
  readonly actor: string;
  readonly payload: JsonValue;
  readonly prev_hash: string;
  readonly hash: string;
}

const columns = 'seq, account_id, ts, kind, actor, payload, prev_hash, hash';

/** The prev_hash of the first record. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

// Any fixed key; appenders take it so that two of them never chain onto the same predecessor.
const auditLockKey = 4_851_170_226_014;

/**
 * Returns the hash of an audit record: sha256 (hex) of `prevHash`, a newline, and the canonical JSON of
 * `{ accountId, actor, kind, payload, seq, ts }` (ts in epoch ms).
 */
export function auditHash(prevHash: string, seq: number, event: NewAuditEvent): string {
  const record: JsonValue = {
    accountId: event.accountId,
    actor: event.actor,
    kind: event.kind,
    payload: event.payload,
    seq,
    ts: event.ts,
  };
  return sha256Hex(`${prevHash}\n${canonicalJson(record)}`);
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    seq: num(row.seq, 'audit_events.seq'),
    accountId: row.account_id as AccountId | null,
    ts: num(row.ts, 'audit_events.ts'),
    kind: row.kind,
    actor: row.actor,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

// Rows per page while verifying, so that a long log is not read into memory at once.
const verifyPageSize = 1000;

/** Stores the append-only, hash-chained audit log in SQL (DESIGN.md invariant 8). */
export class SqlAuditRepository implements AuditRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    return this.#driver.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [auditLockKey]);
      const last = await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
      );
      const previous = last.rows[0];
      const seq = previous === undefined ? 1 : num(previous.seq, 'audit_events.seq') + 1;
      const prevHash = previous?.hash ?? AUDIT_GENESIS_HASH;
      const hash = auditHash(prevHash, seq, event);
      const result = await tx.query<AuditRow>(
        `INSERT INTO audit_events (${columns}) VALUES ($1, $2, $3::timestamptz, $4, $5, $6::jsonb, $7, $8)
         RETURNING ${columns}`,
        [
          seq,
          event.accountId,
          tsParam(event.ts),
          event.kind,
          event.actor,
          jsonParam(event.payload),
          prevHash,
          hash,
        ],
      );
      return toAuditEvent(result.rows[0] as AuditRow);
    });
  }

  async read(afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const result = await this.#driver.query<AuditRow>(
      `SELECT ${columns} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [intParam(afterSeq, 'afterSeq'), intParam(limit, 'limit')],
    );
    return result.rows.map(toAuditEvent);
  }

  async readByAccount(accountId: AccountId, afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const result = await this.#driver.query<AuditRow>(
      `SELECT ${columns} FROM audit_events WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [accountId, intParam(afterSeq, 'afterSeq'), intParam(limit, 'limit')],
    );
    return result.rows.map(toAuditEvent);
  }

  async verify(): Promise<AuditVerification> {
    let prevHash = AUDIT_GENESIS_HASH;
    let expectedSeq = 1;
    for (;;) {
      const page = await this.read(expectedSeq - 1, verifyPageSize);
      for (const event of page) {
        if (event.seq !== expectedSeq) {
          return {
            ok: false,
            seq: expectedSeq,
            reason: `record ${expectedSeq} is missing (next is ${event.seq})`,
          };
        }
        if (event.prevHash !== prevHash) {
          return {
            ok: false,
            seq: event.seq,
            reason: `prev_hash ${event.prevHash} does not match the hash ${prevHash} of record ${event.seq - 1}`,
          };
        }
        const hash = auditHash(prevHash, event.seq, event);
        if (hash !== event.hash) {
          return {
            ok: false,
            seq: event.seq,
            reason: `stored hash ${event.hash} differs from the recomputed ${hash}`,
          };
        }
        prevHash = hash;
        expectedSeq += 1;
      }
      if (page.length < verifyPageSize) return { ok: true, count: expectedSeq - 1, lastHash: prevHash };
    }
  }
}
