import {
  paise,
  type Bar,
  type BarInterval,
  type BarOrigin,
  type BarRepository,
  type DataNamespace,
  type InstrumentId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { intParam, intParamOrNull, num, numOrNull, tsParam } from './sql-params.ts';
import { assertNamespace } from './tick-repository.ts';

interface BarRow {
  readonly instrument_id: string;
  readonly bar_interval: string;
  readonly start_at: number;
  readonly open_paise: number;
  readonly high_paise: number;
  readonly low_paise: number;
  readonly close_paise: number;
  readonly volume: number;
  readonly oi: number | null;
  readonly origin: string;
}

function toBar(row: BarRow): Bar {
  return {
    instrumentId: row.instrument_id as InstrumentId,
    interval: row.bar_interval as BarInterval,
    start: num(row.start_at, 'bars.start_at'),
    openPaise: paise(num(row.open_paise, 'bars.open_paise')),
    highPaise: paise(num(row.high_paise, 'bars.high_paise')),
    lowPaise: paise(num(row.low_paise, 'bars.low_paise')),
    closePaise: paise(num(row.close_paise, 'bars.close_paise')),
    volume: num(row.volume, 'bars.volume'),
    oi: numOrNull(row.oi, 'bars.oi'),
    origin: row.origin as BarOrigin,
  };
}

// 11 parameters per row.
const batchSize = 4000;

/** Stores bars in SQL, one per namespace × instrument × interval × start. */
export class SqlBarRepository implements BarRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async upsert(namespace: DataNamespace, bars: readonly Bar[]): Promise<number> {
    assertNamespace(namespace);
    // One statement cannot upsert the same key twice (PostgreSQL: "cannot affect row a second time"): last one wins.
    const byKey = new Map<string, Bar>();
    for (const b of bars) byKey.set(`${b.instrumentId}|${b.interval}|${b.start}`, b);
    const unique = [...byKey.values()];
    let written = 0;
    for (let offset = 0; offset < unique.length; offset += batchSize) {
      const batch = unique.slice(offset, offset + batchSize);
      const params: unknown[] = [namespace];
      const tuples = batch.map((b) => {
        const base = params.length;
        const what = `bar ${b.instrumentId} ${b.interval} @${b.start}`;
        params.push(
          b.instrumentId,
          b.interval,
          tsParam(b.start),
          intParam(b.openPaise, `${what}: open`),
          intParam(b.highPaise, `${what}: high`),
          intParam(b.lowPaise, `${what}: low`),
          intParam(b.closePaise, `${what}: close`),
          intParam(b.volume, `${what}: volume`),
          intParamOrNull(b.oi, `${what}: oi`),
          b.origin,
        );
        const p = (k: number): string => `$${base + k}`;
        return `($1, ${p(1)}, ${p(2)}, ${p(3)}::timestamptz, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)})`;
      });
      const result = await this.#sql.query(
        `INSERT INTO bars (namespace, instrument_id, bar_interval, start_at, open_paise, high_paise, low_paise,
           close_paise, volume, oi, origin)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (namespace, instrument_id, bar_interval, start_at) DO UPDATE SET
           open_paise = EXCLUDED.open_paise, high_paise = EXCLUDED.high_paise, low_paise = EXCLUDED.low_paise,
           close_paise = EXCLUDED.close_paise, volume = EXCLUDED.volume, oi = EXCLUDED.oi, origin = EXCLUDED.origin`,
        params,
      );
      written += result.affectedRows;
    }
    return written;
  }

  async read(
    namespace: DataNamespace,
    instrumentId: InstrumentId,
    interval: BarInterval,
    fromMs: number,
    toMs: number,
  ): Promise<Bar[]> {
    assertNamespace(namespace);
    const result = await this.#sql.query<BarRow>(
      `SELECT instrument_id, bar_interval, start_at, open_paise, high_paise, low_paise, close_paise, volume, oi, origin
       FROM bars
       WHERE namespace = $1 AND instrument_id = $2 AND bar_interval = $3
         AND start_at >= $4::timestamptz AND start_at < $5::timestamptz
       ORDER BY start_at`,
      [namespace, instrumentId, interval, tsParam(fromMs), tsParam(toMs)],
    );
    return result.rows.map(toBar);
  }
}
