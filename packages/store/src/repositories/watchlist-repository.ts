import {
  asInstrumentId,
  type DataNamespace,
  type InstrumentId,
  type TickMode,
  type WatchlistEntry,
  type WatchlistRepository,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { num, tsParam } from './sql-params.ts';
import { assertNamespace } from './tick-repository.ts';

interface WatchlistRow {
  readonly instrument_id: string;
  readonly mode: string;
  readonly added_at: number;
  readonly created?: boolean;
}

const modes: readonly TickMode[] = ['ltp', 'quote', 'full'];

function assertMode(mode: TickMode): TickMode {
  if (!modes.includes(mode)) {
    throw new StoreValueError(`watchlist mode '${String(mode)}' is not one of ${modes.join(', ')}`);
  }
  return mode;
}

function toEntry(row: WatchlistRow): WatchlistEntry {
  return {
    instrumentId: row.instrument_id as InstrumentId,
    mode: row.mode as TickMode,
    addedAt: num(row.added_at, 'watchlist.added_at'),
  };
}

function entryParams(namespace: DataNamespace, entry: WatchlistEntry): unknown[] {
  return [
    assertNamespace(namespace),
    asInstrumentId(entry.instrumentId),
    assertMode(entry.mode),
    tsParam(entry.addedAt),
  ];
}

/** Stores the watchlist in SQL (table `watchlist`). */
export class SqlWatchlistRepository implements WatchlistRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async list(namespace: DataNamespace): Promise<WatchlistEntry[]> {
    const result = await this.#sql.query<WatchlistRow>(
      'SELECT instrument_id, mode, added_at FROM watchlist WHERE namespace = $1 ORDER BY instrument_id',
      [assertNamespace(namespace)],
    );
    return result.rows.map(toEntry);
  }

  async get(namespace: DataNamespace, instrumentId: InstrumentId): Promise<WatchlistEntry | null> {
    const result = await this.#sql.query<WatchlistRow>(
      'SELECT instrument_id, mode, added_at FROM watchlist WHERE namespace = $1 AND instrument_id = $2',
      [assertNamespace(namespace), instrumentId],
    );
    const row = result.rows[0];
    return row === undefined ? null : toEntry(row);
  }

  async put(
    namespace: DataNamespace,
    entry: WatchlistEntry,
  ): Promise<{ readonly value: WatchlistEntry; readonly created: boolean }> {
    // xmax = 0 only for a row this statement inserted (an updated row carries the updating transaction's id).
    const result = await this.#sql.query<WatchlistRow>(
      `INSERT INTO watchlist (namespace, instrument_id, mode, added_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (namespace, instrument_id) DO UPDATE SET mode = EXCLUDED.mode
       RETURNING instrument_id, mode, added_at, (xmax = 0) AS created`,
      entryParams(namespace, entry),
    );
    const row = result.rows[0] as WatchlistRow;
    return { value: toEntry(row), created: row.created === true };
  }

  async addIfMissing(namespace: DataNamespace, entry: WatchlistEntry): Promise<boolean> {
    const result = await this.#sql.query(
      `INSERT INTO watchlist (namespace, instrument_id, mode, added_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (namespace, instrument_id) DO NOTHING`,
      entryParams(namespace, entry),
    );
    return result.affectedRows === 1;
  }

  async remove(namespace: DataNamespace, instrumentId: InstrumentId): Promise<boolean> {
    const result = await this.#sql.query(
      'DELETE FROM watchlist WHERE namespace = $1 AND instrument_id = $2',
      [assertNamespace(namespace), instrumentId],
    );
    return result.affectedRows === 1;
  }
}
