import {
  paise,
  type AccountId,
  type ClientOrderId,
  type Fill,
  type FillId,
  type FillRepository,
  type InsertOutcome,
  type InstrumentId,
  type Product,
  type Side,
  type VenueTradeId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { assertSameAccount, intParam, num, tsParam } from './sql-params.ts';

interface FillRow {
  readonly id: string;
  readonly account_id: string;
  readonly client_order_id: string;
  readonly venue_trade_id: string;
  readonly instrument_id: string;
  readonly product: string;
  readonly side: string;
  readonly qty: number;
  readonly price_paise: number;
  readonly ts_event: number;
  readonly ts_init: number;
}

const columns =
  'id, account_id, client_order_id, venue_trade_id, instrument_id, product, side, qty, price_paise, ts_event, ts_init';

function toFill(row: FillRow): Fill {
  return {
    id: row.id as FillId,
    clientOrderId: row.client_order_id as ClientOrderId,
    venueTradeId: row.venue_trade_id as VenueTradeId,
    accountId: row.account_id as AccountId,
    instrumentId: row.instrument_id as InstrumentId,
    product: row.product as Product,
    side: row.side as Side,
    qty: num(row.qty, 'fills.qty'),
    pricePaise: paise(num(row.price_paise, 'fills.price_paise')),
    tsEvent: num(row.ts_event, 'fills.ts_event'),
    tsInit: num(row.ts_init, 'fills.ts_init'),
  };
}

/** Stores fills in SQL; a venue trade id is stored once per account however often the trade is reported. */
export class SqlFillRepository implements FillRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async insert(accountId: AccountId, fill: Fill): Promise<InsertOutcome<Fill>> {
    assertSameAccount(accountId, fill.accountId, `fill ${fill.id}`);
    const what = `fill ${fill.id} (trade ${fill.venueTradeId})`;
    // The same trade arrives by postback, WebSocket and trade-book poll; only the first report is stored.
    const inserted = await this.#sql.query<FillRow>(
      `INSERT INTO fills (${columns})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11::timestamptz)
       ON CONFLICT (account_id, venue_trade_id) DO NOTHING
       RETURNING ${columns}`,
      [
        fill.id,
        accountId,
        fill.clientOrderId,
        fill.venueTradeId,
        fill.instrumentId,
        fill.product,
        fill.side,
        intParam(fill.qty, `${what}: qty`),
        intParam(fill.pricePaise, `${what}: price`),
        tsParam(fill.tsEvent),
        tsParam(fill.tsInit),
      ],
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { value: toFill(row), created: true };
    const existing = await this.getByVenueTradeId(accountId, fill.venueTradeId);
    if (existing === null) {
      throw new StoreValueError(`${what} was neither inserted nor found for account ${accountId}`);
    }
    return { value: existing, created: false };
  }

  async getByVenueTradeId(accountId: AccountId, venueTradeId: VenueTradeId): Promise<Fill | null> {
    const result = await this.#sql.query<FillRow>(
      `SELECT ${columns} FROM fills WHERE account_id = $1 AND venue_trade_id = $2`,
      [accountId, venueTradeId],
    );
    const row = result.rows[0];
    return row === undefined ? null : toFill(row);
  }

  async listByOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Fill[]> {
    const result = await this.#sql.query<FillRow>(
      `SELECT ${columns} FROM fills WHERE account_id = $1 AND client_order_id = $2 ORDER BY ts_event, id`,
      [accountId, clientOrderId],
    );
    return result.rows.map(toFill);
  }

  async listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<Fill[]> {
    const result = await this.#sql.query<FillRow>(
      `SELECT ${columns} FROM fills
       WHERE account_id = $1 AND ts_event >= $2::timestamptz AND ts_event < $3::timestamptz
       ORDER BY ts_event, id`,
      [accountId, tsParam(fromMs), tsParam(toMs)],
    );
    return result.rows.map(toFill);
  }
}
