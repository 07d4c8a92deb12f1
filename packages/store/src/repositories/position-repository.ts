import {
  paise,
  type AccountId,
  type InstrumentId,
  type Position,
  type PositionRepository,
  type Product,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { assertSameAccount, intParam, num, tsParam } from './sql-params.ts';

interface PositionRow {
  readonly account_id: string;
  readonly instrument_id: string;
  readonly product: string;
  readonly net_qty: number;
  readonly cost_basis_paise: number;
  readonly realised_pnl_paise: number;
  readonly updated_at: number;
}

const columns =
  'account_id, instrument_id, product, net_qty, cost_basis_paise, realised_pnl_paise, updated_at';

function toPosition(row: PositionRow): Position {
  return {
    accountId: row.account_id as AccountId,
    instrumentId: row.instrument_id as InstrumentId,
    product: row.product as Product,
    netQty: num(row.net_qty, 'positions.net_qty'),
    costBasisPaise: paise(num(row.cost_basis_paise, 'positions.cost_basis_paise')),
    realisedPnlPaise: paise(num(row.realised_pnl_paise, 'positions.realised_pnl_paise')),
    updatedAt: num(row.updated_at, 'positions.updated_at'),
  };
}

/** Stores one position per account × instrument × product in SQL (DESIGN.md invariant 2). */
export class SqlPositionRepository implements PositionRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async save(accountId: AccountId, position: Position): Promise<Position> {
    assertSameAccount(accountId, position.accountId, `position ${position.instrumentId} ${position.product}`);
    const what = `position ${position.instrumentId} ${position.product}`;
    const result = await this.#sql.query<PositionRow>(
      `INSERT INTO positions (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz)
       ON CONFLICT (account_id, instrument_id, product) DO UPDATE SET
         net_qty = EXCLUDED.net_qty, cost_basis_paise = EXCLUDED.cost_basis_paise,
         realised_pnl_paise = EXCLUDED.realised_pnl_paise, updated_at = EXCLUDED.updated_at
       RETURNING ${columns}`,
      [
        accountId,
        position.instrumentId,
        position.product,
        intParam(position.netQty, `${what}: net qty`),
        intParam(position.costBasisPaise, `${what}: cost basis`),
        intParam(position.realisedPnlPaise, `${what}: realised P&L`),
        tsParam(position.updatedAt),
      ],
    );
    return toPosition(result.rows[0] as PositionRow);
  }

  async get(accountId: AccountId, instrumentId: InstrumentId, product: Product): Promise<Position | null> {
    const result = await this.#sql.query<PositionRow>(
      `SELECT ${columns} FROM positions WHERE account_id = $1 AND instrument_id = $2 AND product = $3`,
      [accountId, instrumentId, product],
    );
    const row = result.rows[0];
    return row === undefined ? null : toPosition(row);
  }

  async list(accountId: AccountId, options: { readonly openOnly?: boolean } = {}): Promise<Position[]> {
    const result = await this.#sql.query<PositionRow>(
      `SELECT ${columns} FROM positions WHERE account_id = $1 ${options.openOnly === true ? 'AND net_qty <> 0' : ''}
       ORDER BY instrument_id, product`,
      [accountId],
    );
    return result.rows.map(toPosition);
  }
}
