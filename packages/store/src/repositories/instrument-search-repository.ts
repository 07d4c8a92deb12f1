import {
  type DataNamespace,
  type Exchange,
  type Instrument,
  type InstrumentId,
  type InstrumentType,
} from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { toInstrument, type InstrumentRow } from './instrument-repository.ts';
import { intParam } from './sql-params.ts';
import { assertNamespace } from './tick-repository.ts';

/** Kite's segments: cash by exchange, futures and options by derivatives exchange, and indices. */
export const INSTRUMENT_SEGMENTS = [
  'NSE',
  'BSE',
  'NFO-FUT',
  'NFO-OPT',
  'BFO-FUT',
  'BFO-OPT',
  'INDICES',
] as const;

/** One of Kite's instrument segments. */
export type InstrumentSegment = (typeof INSTRUMENT_SEGMENTS)[number];

/** Returns the Kite segment of an instrument: `INDICES`, the exchange for equity, `NFO-FUT`, `NFO-OPT`, … */
export function instrumentSegment(instrument: Pick<Instrument, 'exchange' | 'type'>): InstrumentSegment {
  switch (instrument.type) {
    case 'INDEX':
      return 'INDICES';
    case 'EQ':
      return instrument.exchange as 'NSE' | 'BSE';
    case 'FUT':
      return `${instrument.exchange as 'NFO' | 'BFO'}-FUT`;
    case 'CE':
    case 'PE':
      return `${instrument.exchange as 'NFO' | 'BFO'}-OPT`;
  }
}

/** The exchange and instrument types a segment stands for (null exchange: any). */
function segmentFilter(segment: InstrumentSegment): {
  readonly exchange: Exchange | null;
  readonly types: readonly InstrumentType[];
} {
  switch (segment) {
    case 'INDICES':
      return { exchange: null, types: ['INDEX'] };
    case 'NSE':
    case 'BSE':
      return { exchange: segment, types: ['EQ'] };
    case 'NFO-FUT':
    case 'BFO-FUT':
      return { exchange: segment.slice(0, 3) as Exchange, types: ['FUT'] };
    case 'NFO-OPT':
    case 'BFO-OPT':
      return { exchange: segment.slice(0, 3) as Exchange, types: ['CE', 'PE'] };
  }
}

/** What to look for in the instruments master. */
export interface InstrumentSearch {
  /** The master version in force on this IST date (`YYYY-MM-DD`) is searched. */
  readonly onDate: string;
  readonly exchange: Exchange | null;
  readonly segment: InstrumentSegment | null;
  /** Case-insensitive text within the trading symbol, the name or the underlying; null: everything. */
  readonly text: string | null;
  /** Only ids after this one (the last id of the previous page). */
  readonly afterId: string | null;
  readonly limit: number;
}

/** An instrument with the date of the master version it comes from. */
export interface VersionedInstrument {
  readonly instrument: Instrument;
  readonly validFrom: string;
}

interface SearchRow extends InstrumentRow {
  readonly valid_from: string;
}

const columns = `instrument_id, valid_from, exchange, instrument_type, trading_symbol, name, token, exchange_token,
  tick_size_paise, lot_size, freeze_qty, expiry, strike_paise, underlying`;

function toVersioned(row: SearchRow): VersionedInstrument {
  return { instrument: toInstrument(row), validFrom: row.valid_from };
}

/** Returns `text` as an ILIKE pattern matching it anywhere, with `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Searches the stored instruments master (table `instruments`) page by page, by instrument id. */
export class SqlInstrumentSearchRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Returns up to `search.limit` instruments of the version in force on `search.onDate`, by id. */
  async search(namespace: DataNamespace, search: InstrumentSearch): Promise<VersionedInstrument[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(search.onDate)) {
      throw new StoreValueError(`date '${search.onDate}' is not a YYYY-MM-DD date`);
    }
    const segment = search.segment === null ? null : segmentFilter(search.segment);
    const result = await this.#driver.query<SearchRow>(
      `SELECT ${columns} FROM instruments
       WHERE namespace = $1
         AND valid_from = (SELECT max(valid_from) FROM instruments WHERE namespace = $1 AND valid_from <= $2::date)
         AND ($3::text IS NULL OR exchange = $3)
         AND ($4::text IS NULL OR exchange = $4)
         AND ($5::text IS NULL OR instrument_type = ANY (string_to_array($5, ',')))
         AND ($6::text IS NULL OR trading_symbol ILIKE $6 OR name ILIKE $6 OR underlying ILIKE $6)
         AND ($7::text IS NULL OR instrument_id > $7)
       ORDER BY instrument_id
       LIMIT $8`,
      [
        assertNamespace(namespace),
        search.onDate,
        search.exchange,
        segment?.exchange ?? null,
        segment === null ? null : segment.types.join(','),
        search.text === null ? null : containsPattern(search.text),
        search.afterId,
        intParam(search.limit, 'limit'),
      ],
    );
    return result.rows.map(toVersioned);
  }

  /** Returns the newest stored version of the instrument, or null when no version lists it. */
  async latest(namespace: DataNamespace, id: InstrumentId): Promise<VersionedInstrument | null> {
    const result = await this.#driver.query<SearchRow>(
      `SELECT ${columns} FROM instruments WHERE namespace = $1 AND instrument_id = $2
       ORDER BY valid_from DESC LIMIT 1`,
      [assertNamespace(namespace), id],
    );
    const row = result.rows[0];
    return row === undefined ? null : toVersioned(row);
  }
}
