import {
  QUARANTINE_REASONS,
  type DataNamespace,
  type InstrumentId,
  type JsonValue,
  type QuarantinedTick,
  type QuarantineReason,
  type StoredQuarantinedTick,
  type TickQuarantineRepository,
} from '@kitepilot/core';
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { assertNamespace } from './tick-repository.ts';
import { intParam, jsonParam, num, tsParam } from './sql-params.ts';

interface QuarantineRow {
  readonly id: number;
  readonly token: number;
  readonly instrument_id: string | null;
  readonly ts: number;
  readonly received_at: number;
  readonly reason_code: string;
  readonly reason: string;
  readonly raw: JsonValue;
}

// 8 parameters per row keeps a statement far under PostgreSQL's 65535-parameter limit.
const batchSize = 4000;

function reasonCode(value: string): QuarantineReason {
  const found = QUARANTINE_REASONS.find((r) => r === value);
  if (found === undefined)
    throw new StoreValueError(`tick_quarantine.reason_code '${value}' is not a known reason`);
  return found;
}

function toEntry(row: QuarantineRow): StoredQuarantinedTick {
  return {
    id: num(row.id, 'tick_quarantine.id'),
    token: num(row.token, 'tick_quarantine.token'),
    instrumentId: row.instrument_id as InstrumentId | null,
    ts: num(row.ts, 'tick_quarantine.ts'),
    receivedAt: num(row.received_at, 'tick_quarantine.received_at'),
    reasonCode: reasonCode(row.reason_code),
    reason: row.reason,
    raw: row.raw,
  };
}

/** Stores quarantined ticks in `tick_quarantine`; a batch is written atomically. */
export class SqlTickQuarantineRepository implements TickQuarantineRepository {
  readonly #sql: SqlDriver;

  constructor(sql: SqlDriver) {
    this.#sql = sql;
  }

  async append(namespace: DataNamespace, entries: readonly QuarantinedTick[]): Promise<number> {
    assertNamespace(namespace);
    if (entries.length === 0) return 0;
    if (entries.length <= batchSize) return this.#insert(this.#sql, namespace, entries);
    return this.#sql.transaction(async (tx) => {
      let written = 0;
      for (let offset = 0; offset < entries.length; offset += batchSize) {
        written += await this.#insert(tx, namespace, entries.slice(offset, offset + batchSize));
      }
      return written;
    });
  }

  async list(
    namespace: DataNamespace,
    fromMs: number,
    toMs: number,
    options: { readonly reason?: QuarantineReason; readonly limit?: number } = {},
  ): Promise<StoredQuarantinedTick[]> {
    assertNamespace(namespace);
    const result = await this.#sql.query<QuarantineRow>(
      `SELECT id, token, instrument_id, ts, received_at, reason_code, reason, raw
       FROM tick_quarantine
       WHERE namespace = $1 AND received_at >= $2::timestamptz AND received_at < $3::timestamptz
         AND ($4::text IS NULL OR reason_code = $4)
       ORDER BY received_at, id
       LIMIT $5`,
      [
        namespace,
        tsParam(fromMs),
        tsParam(toMs),
        options.reason ?? null,
        intParam(options.limit ?? 100_000, 'limit'),
      ],
    );
    return result.rows.map(toEntry);
  }

  async countByReason(
    namespace: DataNamespace,
    fromMs: number,
    toMs: number,
  ): Promise<Partial<Record<QuarantineReason, number>>> {
    assertNamespace(namespace);
    const result = await this.#sql.query<{ reason_code: string; n: number }>(
      `SELECT reason_code, count(*)::bigint AS n FROM tick_quarantine
       WHERE namespace = $1 AND received_at >= $2::timestamptz AND received_at < $3::timestamptz
       GROUP BY reason_code ORDER BY reason_code`,
      [namespace, tsParam(fromMs), tsParam(toMs)],
    );
    const counts: Partial<Record<QuarantineReason, number>> = {};
    for (const row of result.rows) counts[reasonCode(row.reason_code)] = num(row.n, 'count');
    return counts;
  }

  async #insert(
    sql: SqlExecutor,
    namespace: DataNamespace,
    entries: readonly QuarantinedTick[],
  ): Promise<number> {
    const params: unknown[] = [];
    const tuples = entries.map((e) => {
      const b = params.length;
      params.push(
        namespace,
        intParam(e.token, `quarantined tick token`),
        e.instrumentId,
        tsParam(e.ts),
        tsParam(e.receivedAt),
        reasonCode(e.reasonCode),
        e.reason,
        jsonParam(e.raw),
      );
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::timestamptz, $${b + 5}::timestamptz, $${b + 6}, $${b + 7}, $${b + 8}::jsonb)`;
    });
    const result = await sql.query(
      `INSERT INTO tick_quarantine (namespace, token, instrument_id, ts, received_at, reason_code, reason, raw)
       VALUES ${tuples.join(', ')}`,
      params,
    );
    return result.affectedRows;
  }
}
