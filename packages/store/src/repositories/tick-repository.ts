import {
  paise,
  type DataNamespace,
  type Depth,
  type DepthLevel,
  type InstrumentId,
  type InstrumentTick,
  type Paise,
  type TickMode,
  type TickRepository,
} from '@kitepilot/core';
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts';
import { parseSafeBigint } from '../driver/type-parsers.ts';
import { StoreValueError } from '../errors.ts';
import { CopyBinaryWriter } from './copy-binary.ts';
import { intParam, intParamOrNull, num, numOrNull, tsParam, tsParamOrNull } from './sql-params.ts';

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
  /** Legacy jsonb depth of rows written before migration 0003. */
  readonly depth: Depth | null;
  /** `depth_levels` as comma-separated text (see `depthLevelsText`). */
  readonly depth_levels: string | null;
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
  'depth_levels',
  'received_at',
] as const;

const casts: Partial<Record<(typeof insertColumns)[number], string>> = {
  ts: '::timestamptz',
  last_trade_time: '::timestamptz',
  exchange_ts: '::timestamptz',
  received_at: '::timestamptz',
  depth_levels: '::bigint[]',
};

const readColumns = [
  ...insertColumns.filter((c) => c !== 'namespace' && c !== 'ts' && c !== 'depth_levels'),
  'depth',
  "array_to_string(depth_levels, ',') AS depth_levels",
].join(', ');

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
      depth: row.depth_levels === null ? row.depth : parseDepthLevels(row.depth_levels),
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
    t.depth === null ? null : depthLevelsText(entry, t.depth),
    tsParam(t.tsInit),
  ];
}

/** How `SqlTickRepository.append` writes: COPY when the driver has it, or multi-row INSERT statements. */
export type TickWritePath = 'copy' | 'insert';

/** Options of `SqlTickRepository`. */
export interface SqlTickRepositoryOptions {
  /**
   * The write path; by default COPY whenever the driver offers it (measured faster on PostgreSQL and on PGlite,
   * docs/BENCHMARKS.md "ingest"), else INSERT (the embedded database reached through the local socket).
   */
  readonly writePath?: TickWritePath;
}

const dayMs = 86_400_000;

/** Returns the UTC day (`YYYY-MM-DD`) of an epoch-ms instant. */
function utcDay(epochMs: number): string {
  return new Date(Math.floor(epochMs / dayMs) * dayMs).toISOString().slice(0, 10);
}

function notSafe(entry: InstrumentTick, column: string, value: number): never {
  throw new StoreValueError(`tick of ${entry.instrumentId}: ${column} ${value} is not a safe integer`);
}

// The column helpers take a constant column name and build a message only on failure: this loop runs for every
// stored tick.
function int(value: number, column: string, entry: InstrumentTick): string {
  return Number.isSafeInteger(value) ? String(value) : notSafe(entry, column, value);
}

const depthColumns = {
  bid: { price: 'bid price', qty: 'bid qty', orders: 'bid orders' },
  ask: { price: 'ask price', qty: 'ask qty', orders: 'ask orders' },
} as const;

function appendLevels(
  out: string,
  levels: Depth['bids'],
  side: 'bid' | 'ask',
  entry: InstrumentTick,
): string {
  const c = depthColumns[side];
  for (const l of levels) {
    out += `,${int(l.pricePaise, c.price, entry)},${int(l.qty, c.qty, entry)},${int(l.orders, c.orders, entry)}`;
  }
  return out;
}

/**
 * Returns a tick's depth as the `bigint[]` literal of `depth_levels` (migration 0003): the bid level count, then
 * price, qty and orders of each bid level, then of each ask level.
 */
export function depthLevelsText(entry: InstrumentTick, depth: Depth): string {
  return `${appendLevels(appendLevels(`{${depth.bids.length}`, depth.bids, 'bid', entry), depth.asks, 'ask', entry)}}`;
}

/** Returns the Depth stored as `depth_levels` text (`array_to_string(depth_levels, ',')`). */
export function parseDepthLevels(text: string): Depth {
  const values = text.split(',').map((v) => parseSafeBigint(v));
  const bidCount = values[0] ?? Number.NaN;
  if (!Number.isSafeInteger(bidCount) || (values.length - 1) % 3 !== 0 || bidCount * 3 > values.length - 1) {
    throw new StoreValueError(
      `ticks.depth_levels '${text.slice(0, 80)}' is not [bid count, price, qty, orders…]`,
    );
  }
  const level = (k: number): DepthLevel => ({
    pricePaise: paise(values[1 + 3 * k] as number),
    qty: values[2 + 3 * k] as number,
    orders: values[3 + 3 * k] as number,
  });
  const levelCount = (values.length - 1) / 3;
  const bids: DepthLevel[] = [];
  const asks: DepthLevel[] = [];
  for (let k = 0; k < levelCount; k++) (k < bidCount ? bids : asks).push(level(k));
  return { bids, asks };
}

function writeDepthLevels(w: CopyBinaryWriter, depth: Depth): void {
  w.int8ArrayHeader(1 + 3 * (depth.bids.length + depth.asks.length));
  w.int8(depth.bids.length, 'bid level count');
  for (const l of depth.bids) {
    w.int8(l.pricePaise, 'bid price');
    w.int8(l.qty, 'bid qty');
    w.int8(l.orders, 'bid orders');
  }
  for (const l of depth.asks) {
    w.int8(l.pricePaise, 'ask price');
    w.int8(l.qty, 'ask qty');
    w.int8(l.orders, 'ask orders');
  }
}

function writeTickRow(w: CopyBinaryWriter, namespace: DataNamespace, e: InstrumentTick): void {
  const t = e.tick;
  w.row(insertColumns.length);
  w.text(namespace);
  w.text(e.instrumentId);
  w.timestamptz(t.exchangeTs ?? t.tsInit);
  w.int8(t.token, 'token');
  w.text(t.mode);
  w.bool(t.tradable);
  w.int8(t.lastPricePaise, 'last price');
  w.int8OrNull(t.lastTradedQty, 'last traded qty');
  w.int8OrNull(t.avgTradedPricePaise, 'average price');
  w.int8OrNull(t.volume, 'volume');
  w.int8OrNull(t.totalBuyQty, 'total buy qty');
  w.int8OrNull(t.totalSellQty, 'total sell qty');
  w.int8OrNull(t.openPaise, 'open');
  w.int8OrNull(t.highPaise, 'high');
  w.int8OrNull(t.lowPaise, 'low');
  w.int8OrNull(t.closePaise, 'close');
  w.int8OrNull(t.changePaise, 'change');
  w.timestamptzOrNull(t.lastTradeTime);
  w.int8OrNull(t.oi, 'oi');
  w.int8OrNull(t.oiDayHigh, 'oi day high');
  w.int8OrNull(t.oiDayLow, 'oi day low');
  w.timestamptzOrNull(t.exchangeTs);
  if (t.depth === null) w.nullValue();
  else writeDepthLevels(w, t.depth);
  w.timestamptz(t.tsInit);
}

/** Returns ticks as binary COPY data in `insertColumns` order. */
export function ticksCopyData(
  namespace: DataNamespace,
  ticks: readonly InstrumentTick[],
): Uint8Array<ArrayBuffer> {
  // About 660 bytes per full-mode row with depth.
  const w = new CopyBinaryWriter(Math.max(1024, ticks.length * 704));
  for (const e of ticks) {
    try {
      writeTickRow(w, namespace, e);
    } catch (error) {
      if (error instanceof StoreValueError) {
        throw new StoreValueError(`tick of ${e.instrumentId}: ${error.message}`);
      }
      throw error;
    }
  }
  return w.finish();
}

/**
 * Stores ticks in the day-partitioned `ticks` table. `append` first creates the partition of every UTC day in
 * the batch (remembering which exist), then writes the batch as one statement: COPY, or multi-row INSERTs inside
 * one transaction, so that a failed batch leaves nothing behind and can be retried without duplicates.
 */
export class SqlTickRepository implements TickRepository {
  readonly #sql: SqlDriver;
  readonly #writePath: TickWritePath;
  readonly #knownDays = new Set<string>();

  constructor(sql: SqlDriver, options: SqlTickRepositoryOptions = {}) {
    this.#sql = sql;
    const path = options.writePath ?? (sql.copyFrom === undefined ? 'insert' : 'copy');
    if (path === 'copy' && sql.copyFrom === undefined) {
      throw new StoreValueError(`the ${sql.kind} driver has no COPY path; use writePath 'insert'`);
    }
    this.#writePath = path;
  }

  /** Returns the write path `append` uses. */
  get writePath(): TickWritePath {
    return this.#writePath;
  }

  async append(namespace: DataNamespace, ticks: readonly InstrumentTick[]): Promise<number> {
    assertNamespace(namespace);
    if (ticks.length === 0) return 0;
    await this.#ensurePartitions(ticks);
    if (this.#writePath === 'copy' && this.#sql.copyFrom !== undefined) {
      return this.#sql.copyFrom(`ticks (${insertColumns.join(', ')})`, ticksCopyData(namespace, ticks));
    }
    if (ticks.length <= batchSize) return this.#insert(this.#sql, namespace, ticks);
    return this.#sql.transaction(async (tx) => {
      let written = 0;
      for (let offset = 0; offset < ticks.length; offset += batchSize) {
        written += await this.#insert(tx, namespace, ticks.slice(offset, offset + batchSize));
      }
      return written;
    });
  }

  async #insert(
    sql: SqlExecutor,
    namespace: DataNamespace,
    batch: readonly InstrumentTick[],
  ): Promise<number> {
    const params: unknown[] = [];
    const tuples = batch.map((entry) => {
      const base = params.length;
      params.push(...rowParams(namespace, entry));
      return `(${insertColumns.map((c, k) => `$${base + k + 1}${casts[c] ?? ''}`).join(', ')})`;
    });
    const result = await sql.query(
      `INSERT INTO ticks (${insertColumns.join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
    return result.affectedRows;
  }

  async #ensurePartitions(ticks: readonly InstrumentTick[]): Promise<void> {
    let lastDayNumber = Number.NaN;
    for (const entry of ticks) {
      const dayNumber = Math.floor(tickTime(entry) / dayMs);
      if (dayNumber === lastDayNumber) continue;
      lastDayNumber = dayNumber;
      const day = utcDay(dayNumber * dayMs);
      if (!this.#knownDays.has(day)) await this.ensureDayPartition(day);
    }
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
      `SELECT ${readColumns}
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
    this.#knownDays.add(day);
    return result.rows[0]?.created === true;
  }
}
