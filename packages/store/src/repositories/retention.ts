// Deletes market data past its retention window (ticks by day partition, quarantined ticks, bars). Only the tables
// named here are touched; nothing order-related (orders, fills, intents, events, positions, audit) is ever deleted.
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { tsParam } from './sql-params.ts';

const partitionName = /^ticks_(\d{4})(\d{2})(\d{2})$/;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function assertDay(day: string): string {
  if (!dayPattern.test(day)) throw new StoreValueError(`retention day '${day}' is not YYYY-MM-DD`);
  return day;
}

/** Returns the UTC day (`YYYY-MM-DD`) of a tick partition name `ticks_YYYYMMDD`, or null for another name. */
export function tickPartitionDay(name: string): string | null {
  const m = partitionName.exec(name);
  return m === null ? null : `${m[1]}-${m[2]}-${m[3]}`;
}

/** Drops old tick partitions and deletes old rows of the unpartitioned tick tables and of bars, in SQL. */
export class SqlRetentionRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Returns the UTC days of the attached day partitions of `ticks` (`ticks_YYYYMMDD`), oldest first. */
  async listTickPartitions(): Promise<string[]> {
    const result = await this.#sql.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'ticks'::regclass`,
    );
    return result.rows
      .map((r) => tickPartitionDay(r.name))
      .filter((d): d is string => d !== null)
      .sort();
  }

  /** Drops every day partition of `ticks` whose UTC day is before `day`; returns the dropped days, oldest first. */
  async dropTickPartitionsBefore(day: string): Promise<string[]> {
    assertDay(day);
    const dropped: string[] = [];
    for (const partitionDay of await this.listTickPartitions()) {
      if (partitionDay >= day) continue;
      // The name is rebuilt from the validated day, so no identifier from the catalog reaches the SQL text.
      await this.#sql.exec(`DROP TABLE IF EXISTS ticks_${partitionDay.replaceAll('-', '')}`);
      dropped.push(partitionDay);
    }
    return dropped;
  }

  /** Deletes rows of the default tick partition (days without a partition) with time before `beforeMs`. */
  async deleteUnpartitionedTicksBefore(beforeMs: number): Promise<number> {
    const result = await this.#sql.query('DELETE FROM ticks_default WHERE ts < $1::timestamptz', [
      tsParam(beforeMs),
    ]);
    return result.affectedRows;
  }

  /** Deletes quarantined ticks received before `beforeMs`. */
  async deleteQuarantinedTicksBefore(beforeMs: number): Promise<number> {
    const result = await this.#sql.query('DELETE FROM tick_quarantine WHERE received_at < $1::timestamptz', [
      tsParam(beforeMs),
    ]);
    return result.affectedRows;
  }

  /** Deletes bars (every namespace, interval and origin) that start before `beforeMs`. */
  async deleteBarsBefore(beforeMs: number): Promise<number> {
    const result = await this.#sql.query('DELETE FROM bars WHERE start_at < $1::timestamptz', [
      tsParam(beforeMs),
    ]);
    return result.affectedRows;
  }
}
