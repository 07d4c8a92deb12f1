import type { AccountId, InstrumentId, StrategyId } from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, jsonParam, num, tsParam } from './sql-params.ts';

/** A strategy parameter value as stored (the strategy's own parser has validated it). */
export type StoredParamValue = number | string | boolean;

/** The fields of a strategy definition the caller sets. */
export interface StoredStrategyFields {
  /** A registered built-in strategy name (`sma-cross`). */
  readonly kind: string;
  readonly instrumentId: InstrumentId;
  readonly qty: number;
  readonly product: 'MIS' | 'CNC' | 'NRML';
  /** The parameters besides symbol, qty and product. */
  readonly params: Readonly<Record<string, StoredParamValue>>;
  readonly enabled: boolean;
}

/** A stored strategy definition of one account (migration 0008). */
export interface StoredStrategy extends StoredStrategyFields {
  readonly id: StrategyId;
  readonly accountId: AccountId;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface StoredStrategyRow {
  readonly account_id: string;
  readonly id: string;
  readonly kind: string;
  readonly instrument_id: string;
  readonly qty: number;
  readonly product: string;
  readonly params: Record<string, unknown>;
  readonly enabled: boolean;
  readonly created_at: number;
  readonly updated_at: number;
}

const columns = 'account_id, id, kind, instrument_id, qty, product, params, enabled, created_at, updated_at';
const products = ['MIS', 'CNC', 'NRML'] as const;

function toDefinition(row: StoredStrategyRow): StoredStrategy {
  const params: Record<string, StoredParamValue> = {};
  for (const [key, value] of Object.entries(row.params)) {
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      throw new StoreValueError(
        `strategy_definitions.params.${key} of ${row.id} is ${JSON.stringify(value)}, not a number, string or boolean`,
      );
    }
    params[key] = value;
  }
  const product = products.find((p) => p === row.product);
  if (product === undefined) {
    throw new StoreValueError(`strategy_definitions.product of ${row.id} is ${JSON.stringify(row.product)}`);
  }
  return {
    accountId: row.account_id as AccountId,
    id: row.id as StrategyId,
    kind: row.kind,
    instrumentId: row.instrument_id as InstrumentId,
    qty: num(row.qty, 'strategy_definitions.qty'),
    product,
    params,
    enabled: row.enabled,
    createdAt: num(row.created_at, 'strategy_definitions.created_at'),
    updatedAt: num(row.updated_at, 'strategy_definitions.updated_at'),
  };
}

function fieldParams(fields: StoredStrategyFields): unknown[] {
  return [
    fields.kind,
    fields.instrumentId,
    intParam(fields.qty, 'qty'),
    fields.product,
    jsonParam({ ...fields.params }),
    fields.enabled,
  ];
}

/** Stores strategy definitions in SQL (table `strategy_definitions`, migration 0008). */
export class SqlStrategyDefinitionRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Returns up to `limit` definitions of the account with an id after `afterId` (null: from the start), by id. */
  async list(accountId: AccountId, afterId: string | null, limit: number): Promise<StoredStrategy[]> {
    const result = await this.#driver.query<StoredStrategyRow>(
      `SELECT ${columns} FROM strategy_definitions WHERE account_id = $1 AND ($2::text IS NULL OR id > $2)
       ORDER BY id LIMIT $3`,
      [accountId, afterId, intParam(limit, 'limit')],
    );
    return result.rows.map(toDefinition);
  }

  /** Returns every enabled definition of the account, by id. */
  async listEnabled(accountId: AccountId): Promise<StoredStrategy[]> {
    const result = await this.#driver.query<StoredStrategyRow>(
      `SELECT ${columns} FROM strategy_definitions WHERE account_id = $1 AND enabled ORDER BY id`,
      [accountId],
    );
    return result.rows.map(toDefinition);
  }

  /** Returns the definition, or null. */
  async get(accountId: AccountId, id: StrategyId): Promise<StoredStrategy | null> {
    const result = await this.#driver.query<StoredStrategyRow>(
      `SELECT ${columns} FROM strategy_definitions WHERE account_id = $1 AND id = $2`,
      [accountId, id],
    );
    const row = result.rows[0];
    return row === undefined ? null : toDefinition(row);
  }

  /** Inserts a definition; an id the account already uses fails with a UNIQUE_VIOLATION StoreQueryError. */
  async create(
    accountId: AccountId,
    id: StrategyId,
    fields: StoredStrategyFields,
    at: number,
  ): Promise<StoredStrategy> {
    const result = await this.#driver.query<StoredStrategyRow>(
      `INSERT INTO strategy_definitions (${columns})
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::timestamptz, $9::timestamptz)
       RETURNING ${columns}`,
      [accountId, id, ...fieldParams(fields), tsParam(at)],
    );
    return toDefinition(result.rows[0] as StoredStrategyRow);
  }

  /** Replaces every field of the definition; returns it, or null when there is none. */
  async update(
    accountId: AccountId,
    id: StrategyId,
    fields: StoredStrategyFields,
    at: number,
  ): Promise<StoredStrategy | null> {
    const result = await this.#driver.query<StoredStrategyRow>(
      `UPDATE strategy_definitions SET kind = $3, instrument_id = $4, qty = $5, product = $6, params = $7::jsonb,
         enabled = $8, updated_at = GREATEST(created_at, $9::timestamptz)
       WHERE account_id = $1 AND id = $2
       RETURNING ${columns}`,
      [accountId, id, ...fieldParams(fields), tsParam(at)],
    );
    const row = result.rows[0];
    return row === undefined ? null : toDefinition(row);
  }

  /** Sets the enabled flag; returns the definition, or null when there is none. */
  async setEnabled(
    accountId: AccountId,
    id: StrategyId,
    enabled: boolean,
    at: number,
  ): Promise<StoredStrategy | null> {
    const result = await this.#driver.query<StoredStrategyRow>(
      `UPDATE strategy_definitions
       SET enabled = $3, updated_at = CASE WHEN enabled = $3 THEN updated_at ELSE GREATEST(created_at, $4::timestamptz) END
       WHERE account_id = $1 AND id = $2
       RETURNING ${columns}`,
      [accountId, id, enabled, tsParam(at)],
    );
    const row = result.rows[0];
    return row === undefined ? null : toDefinition(row);
  }

  /** Deletes the definition; returns whether it existed. */
  async delete(accountId: AccountId, id: StrategyId): Promise<boolean> {
    const result = await this.#driver.query(
      'DELETE FROM strategy_definitions WHERE account_id = $1 AND id = $2',
      [accountId, id],
    );
    return result.affectedRows > 0;
  }
}
