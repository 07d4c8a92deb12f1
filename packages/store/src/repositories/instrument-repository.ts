import {
  paise,
  type Exchange,
  type DataNamespace,
  type Instrument,
  type InstrumentId,
  type InstrumentRepository,
  type InstrumentType,
} from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, intParamOrNull, num, numOrNull } from './sql-params.ts';
import { assertNamespace } from './tick-repository.ts';

/** An `instruments` row as the repositories read it. */
export interface InstrumentRow {
  readonly instrument_id: string;
  readonly exchange: string;
  readonly instrument_type: string;
  readonly trading_symbol: string;
  readonly name: string;
  readonly token: number;
  readonly exchange_token: number;
  readonly tick_size_paise: number;
  readonly lot_size: number;
  readonly freeze_qty: number | null;
  readonly expiry: string | null;
  readonly strike_paise: number | null;
  readonly underlying: string | null;
}

const columns = `instrument_id, exchange, instrument_type, trading_symbol, name, token, exchange_token, tick_size_paise,
  lot_size, freeze_qty, expiry, strike_paise, underlying`;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function assertDate(date: string, what: string): string {
  if (!datePattern.test(date)) throw new StoreValueError(`${what} '${date}' is not a YYYY-MM-DD date`);
  return date;
}

/** Returns the instrument of an `instruments` row. */
export function toInstrument(row: InstrumentRow): Instrument {
  const strike = numOrNull(row.strike_paise, 'instruments.strike_paise');
  return {
    id: row.instrument_id as InstrumentId,
    exchange: row.exchange as Exchange,
    type: row.instrument_type as InstrumentType,
    tradingSymbol: row.trading_symbol,
    name: row.name,
    token: num(row.token, 'instruments.token'),
    exchangeToken: num(row.exchange_token, 'instruments.exchange_token'),
    tickSizePaise: paise(num(row.tick_size_paise, 'instruments.tick_size_paise')),
    lotSize: num(row.lot_size, 'instruments.lot_size'),
    freezeQty: numOrNull(row.freeze_qty, 'instruments.freeze_qty'),
    expiry: row.expiry,
    strikePaise: strike === null ? null : paise(strike),
    underlying: row.underlying,
  };
}

// 14 parameters per row keeps a batch of 1000 rows under PostgreSQL's 65535-parameter limit.
const batchSize = 1000;

/** Stores daily instrument versions in SQL. */
export class SqlInstrumentRepository implements InstrumentRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  async saveVersion(
    namespace: DataNamespace,
    validFrom: string,
    instruments: readonly Instrument[],
  ): Promise<number> {
    assertDate(validFrom, 'instrument version date');
    assertNamespace(namespace);
    return this.#driver.transaction(async (tx) => {
      await tx.query('DELETE FROM instruments WHERE namespace = $1 AND valid_from = $2::date', [
        namespace,
        validFrom,
      ]);
      let written = 0;
      for (let offset = 0; offset < instruments.length; offset += batchSize) {
        const batch = instruments.slice(offset, offset + batchSize);
        const params: unknown[] = [validFrom, namespace];
        const tuples = batch.map((i) => {
          const base = params.length;
          params.push(
            i.id,
            i.exchange,
            i.type,
            i.tradingSymbol,
            i.name,
            intParam(i.token, `token of ${i.id}`),
            intParam(i.exchangeToken, `exchange token of ${i.id}`),
            intParam(i.tickSizePaise, `tick size of ${i.id}`),
            intParam(i.lotSize, `lot size of ${i.id}`),
            intParamOrNull(i.freezeQty, `freeze quantity of ${i.id}`),
            i.expiry === null ? null : assertDate(i.expiry, `expiry of ${i.id}`),
            intParamOrNull(i.strikePaise, `strike of ${i.id}`),
            i.underlying,
          );
          const p = (k: number): string => `$${base + k}`;
          return `($2, ${p(1)}, $1::date, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}::date, ${p(12)}, ${p(13)})`;
        });
        const result = await tx.query(
          `INSERT INTO instruments (namespace, instrument_id, valid_from, exchange, instrument_type, trading_symbol, name, token,
             exchange_token, tick_size_paise, lot_size, freeze_qty, expiry, strike_paise, underlying)
           VALUES ${tuples.join(', ')}`,
          params,
        );
        written += result.affectedRows;
      }
      return written;
    });
  }

  async get(namespace: DataNamespace, id: InstrumentId, onDate: string): Promise<Instrument | null> {
    const result = await this.#driver.query<InstrumentRow>(
      `SELECT ${columns} FROM instruments WHERE namespace = $3 AND instrument_id = $1 AND valid_from <= $2::date
       ORDER BY valid_from DESC LIMIT 1`,
      [id, assertDate(onDate, 'date'), assertNamespace(namespace)],
    );
    const row = result.rows[0];
    return row === undefined ? null : toInstrument(row);
  }

  async getByToken(namespace: DataNamespace, token: number, onDate: string): Promise<Instrument | null> {
    const result = await this.#driver.query<InstrumentRow>(
      `SELECT ${columns} FROM instruments WHERE namespace = $3 AND token = $1 AND valid_from <= $2::date
       ORDER BY valid_from DESC LIMIT 1`,
      [intParam(token, 'token'), assertDate(onDate, 'date'), assertNamespace(namespace)],
    );
    const row = result.rows[0];
    return row === undefined ? null : toInstrument(row);
  }

  async listVersion(namespace: DataNamespace, onDate: string): Promise<Instrument[]> {
    const result = await this.#driver.query<InstrumentRow>(
      `SELECT ${columns} FROM instruments
       WHERE namespace = $2
         AND valid_from = (SELECT max(valid_from) FROM instruments WHERE namespace = $2 AND valid_from <= $1::date)
       ORDER BY instrument_id`,
      [assertDate(onDate, 'date'), assertNamespace(namespace)],
    );
    return result.rows.map(toInstrument);
  }

  async latestVersion(namespace: DataNamespace): Promise<string | null> {
    const result = await this.#driver.query<{ latest: string | null }>(
      'SELECT max(valid_from) AS latest FROM instruments WHERE namespace = $1',
      [assertNamespace(namespace)],
    );
    return result.rows[0]?.latest ?? null;
  }
}
