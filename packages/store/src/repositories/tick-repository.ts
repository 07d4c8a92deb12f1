import {
  paise,
  type DataNamespace,
  type Depth,
  type InstrumentId,
  type InstrumentTick,
  type JsonValue,
  type Paise,
  type TickMode,
  type TickRepository,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, intParamOrNull, jsonParam, num, numOrNull, tsParam, tsParamOrNull } from './sql-params.ts';

interface TickRow {
  readonly instrument_id: string;
  readonly token: number;
  readonly mode: string;
  readonly tradable: boolean;
  readonly last_price_paise: number;
  readonly last_traded_qty: number | null;
  readonly avg_traded_price_paise: number | null;
  readonly volume: number | null;
  readonly total_buy_qty: number | null;
  readonly total_sell_qty: number | null;
  readonly open_paise: number | null;
  readonly high_paise: number | null;
  readonly low_paise: number | null;
  readonly close_paise: number | null;
  readonly change_paise: number | null;
  readonly last_trade_time: number | null;
  readonly oi: number | null;
  readonly oi_day_high: number | null;
  readonly oi_day_low: number | null;
  readonly exchange_ts: number | null;
  readonly depth: Depth | null;
  readonly received_at: number;
}

const insertColumns = [
  'namespace',
  'instrument_id',
  'ts',
  'token',
  'mode',
  'tradable',
  'last_price_paise',
  'last_traded_qty',
  'avg_traded_price_paise',
  'volume',
  'total_buy_qty',
  'total_sell_qty',
  'open_paise',
  'high_paise',
  'low_paise',
  'close_paise',
  'change_paise',
  'last_trade_time',
  'oi',
  'oi_day_high',
  'oi_day_low',
  'exchange_ts',
  'depth',
  'received_at',
] as const;

const casts: Partial<Record<(typeof insertColumns)[number], string>> = {
  ts: '::timestamptz',
  last_trade_time: '::timestamptz',
  exchange_ts: '::timestamptz',
  received_at: '::timestamptz',
  depth: '::jsonb',
};

// 24 parameters per row keeps a batch under PostgreSQL's 65535-parameter limit.
const batchSize = 2000;

const namespaces: readonly DataNamespace[] = ['real', 'simulated'];

/** Throws unless `namespace` is `real` or `simulated` (DESIGN.md invariant 9: the caller must say which). */
export function assertNamespace(namespace: DataNamespace): DataNamespace {
  if (!namespaces.includes(namespace)) {
    throw new StoreValueError(`market data namespace '${String(namespace)}' is not 'real' or 'simulated'`);
  }
  return namespace;
}

function paiseOrNull(value: number | null, column: string): Paise | null {
  const n = numOrNull(value, column);
  return n === null ? null : paise(n);
}

function toInstrumentTick(row: TickRow): InstrumentTick {
  return {
    instrumentId: row.instrument_id as InstrumentId,
    tick: {
      token: num(row.token, 'ticks.token'),
      tradable: row.tradable,
      mode: row.mode as TickMode,
      lastPricePaise: paise(num(row.last_price_paise, 'ticks.last_price_paise')),
      lastTradedQty: numOrNull(row.last_traded_qty, 'ticks.last_traded_qty'),
      avgTradedPricePaise: paiseOrNull(row.avg_traded_price_paise, 'ticks.avg_traded_price_paise'),
      volume: numOrNull(row.volume, 'ticks.volume'),
      totalBuyQty: numOrNull(row.total_buy_qty, 'ticks.total_buy_qty'),
      totalSellQty: numOrNull(row.total_sell_qty, 'ticks.total_sell_qty'),
      openPaise: paiseOrNull(row.open_paise, 'ticks.open_paise'),
      highPaise: paiseOrNull(row.high_paise, 'ticks.high_paise'),
      lowPaise: paiseOrNull(row.low_paise, 'ticks.low_paise'),
      closePaise: paiseOrNull(row.close_paise, 'ticks.close_paise'),
      changePaise: paiseOrNull(row.change_paise, 'ticks.change_paise'),
      lastTradeTime: numOrNull(row.last_trade_time, 'ticks.last_trade_time'),
      oi: numOrNull(row.oi, 'ticks.oi'),
      oiDayHigh: numOrNull(row.oi_day_high, 'ticks.oi_day_high'),
      oiDayLow: numOrNull(row.oi_day_low, 'ticks.oi_day_low'),
      exchangeTs: numOrNull(row.exchange_ts, 'ticks.exchange_ts'),
      depth: row.depth,
      tsInit: num(row.received_at, 'ticks.received_at'),
    },
  };
}

/** Returns the time a tick is filed under: the exchange timestamp when the packet has one, else the receive time. */
export function tickTime(entry: InstrumentTick): number {
  return entry.tick.exchangeTs ?? entry.tick.tsInit;
}

function rowParams(namespace: DataNamespace, entry: InstrumentTick): unknown[] {
  const t = entry.tick;
  const what = `tick of ${entry.instrumentId}`;
  return [
    namespace,
    entry.instrumentId,
    tsParam(tickTime(entry)),
    intParam(t.token, `${what}: token`),
    t.mode,
    t.tradable,
    intParam(t.lastPricePaise, `${what}: last price`),
    intParamOrNull(t.lastTradedQty, `${what}: last traded qty`),
    intParamOrNull(t.avgTradedPricePaise, `${what}: average price`),
    intParamOrNull(t.volume, `${what}: volume`),
    intParamOrNull(t.totalBuyQty, `${what}: total buy qty`),
    intParamOrNull(t.totalSellQty, `${what}: total sell qty`),
    intParamOrNull(t.openPaise, `${what}: open`),
    intParamOrNull(t.highPaise, `${what}: high`),
    intParamOrNull(t.lowPaise, `${what}: low`),
    intParamOrNull(t.closePaise, `${what}: close`),
    intParamOrNull(t.changePaise, `${what}: change`),
    tsParamOrNull(t.lastTradeTime),
    intParamOrNull(t.oi, `${what}: oi`),
    intParamOrNull(t.oiDayHigh, `${what}: oi day high`),
    intParamOrNull(t.oiDayLow, `${what}: oi day low`),
    tsParamOrNull(t.exchangeTs),
    t.depth === null ? null : jsonParam(t.depth as unknown as JsonValue),
    tsParam(t.tsInit),
  ];
}

/** Stores ticks in the day-partitioned `ticks` table. */
export class SqlTickRepository implements TickRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async append(namespace: DataNamespace, ticks: readonly InstrumentTick[]): Promise<number> {
    assertNamespace(namespace);
    let written = 0;
    for (let offset = 0; offset < ticks.length; offset += batchSize) {
      const batch = ticks.slice(offset, offset + batchSize);
      const params: unknown[] = [];
      const tuples = batch.map((entry) => {
        const base = params.length;
        params.push(...rowParams(namespace, entry));
        return `(${insertColumns.map((c, k) => `$${base + k + 1}${casts[c] ?? ''}`).join(', ')})`;
      });
      const result = await this.#sql.query(
        `INSERT INTO ticks (${insertColumns.join(', ')}) VALUES ${tuples.join(', ')}`,
        params,
      );
      written += result.affectedRows;
    }
    return written;
  }

  async read(
    namespace: DataNamespace,
    instrumentId: InstrumentId,
    fromMs: number,
    toMs: number,
    limit = 100_000,
  ): Promise<InstrumentTick[]> {
    assertNamespace(namespace);
    const result = await this.#sql.query<TickRow>(
      `SELECT ${insertColumns.filter((c) => c !== 'namespace' && c !== 'ts').join(', ')}
       FROM ticks
       WHERE namespace = $1 AND instrument_id = $2 AND ts >= $3::timestamptz AND ts < $4::timestamptz
       ORDER BY ts, seq
       LIMIT $5`,
      [namespace, instrumentId, tsParam(fromMs), tsParam(toMs), intParam(limit, 'limit')],
    );
    return result.rows.map(toInstrumentTick);
  }

  async ensureDayPartition(day: string): Promise<boolean> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new StoreValueError(`partition day '${day}' is not YYYY-MM-DD`);
    const result = await this.#sql.query<{ created: boolean }>(
      'SELECT create_ticks_partition($1::date) AS created',
      [day],
    );
    return result.rows[0]?.created === true;
  }
}
