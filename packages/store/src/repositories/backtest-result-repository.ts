import type {
  AccountId,
  BacktestResultListOptions,
  BacktestResultRepository,
  BacktestResultSummary,
  JsonValue,
  NewBacktestResult,
  RunId,
  StoredBacktestResult,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, num, numOrNull, tsParam, tsParamOrNull } from './sql-params.ts';

interface BacktestResultRow {
  readonly run_id: string;
  readonly account_id: string;
  readonly strategy: string;
  readonly params: JsonValue;
  readonly metrics: JsonValue;
  readonly order_list_hash: string;
  readonly data_from: number | null;
  readonly data_to: number | null;
  readonly created_at: number;
  readonly result?: JsonValue;
}

const summaryColumns =
  'run_id, account_id, strategy, params, metrics, order_list_hash, data_from, data_to, created_at';

const sha256Hex = /^[0-9a-f]{64}$/;

// PostgreSQL's jsonb cannot hold the character U+0000 nor a lone UTF-16 surrogate in a string.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unfitForJsonb(text: string): boolean {
  return text.includes('\u0000') || loneSurrogate.test(text);
}

/**
 * Returns `value` as `$n::jsonb` parameter text. Throws a StoreValueError naming the key when it holds what
 * JSON.stringify would silently turn into null or drop (NaN, ±Infinity, undefined, functions), a bigint, or a
 * string jsonb cannot hold (U+0000, a lone surrogate), rather than storing something other than what was given.
 */
export function strictJsonParam(value: JsonValue, what: string): string {
  const text = JSON.stringify(value, (key: string, item: unknown) => {
    if (unfitForJsonb(key)) {
      throw new StoreValueError(`${what}: the key ${JSON.stringify(key)} holds U+0000 or a lone surrogate`);
    }
    if (typeof item === 'number' && !Number.isFinite(item)) {
      throw new StoreValueError(`${what}: the number at key '${key}' is ${item}, which JSON cannot hold`);
    }
    if (typeof item === 'string' && unfitForJsonb(item)) {
      throw new StoreValueError(`${what}: the string at key '${key}' holds U+0000 or a lone surrogate`);
    }
    if (
      item === undefined ||
      typeof item === 'function' ||
      typeof item === 'symbol' ||
      typeof item === 'bigint'
    ) {
      throw new StoreValueError(
        `${what}: the value at key '${key}' is ${typeof item}, which JSON cannot hold`,
      );
    }
    return item;
  }) as string | undefined;
  if (text === undefined) throw new StoreValueError(`${what} is not a JSON value`);
  return text;
}

function toSummary(row: BacktestResultRow): BacktestResultSummary {
  return {
    runId: row.run_id as RunId,
    accountId: row.account_id as AccountId,
    strategy: row.strategy,
    params: row.params,
    metrics: row.metrics,
    orderListHash: row.order_list_hash,
    dataFrom: numOrNull(row.data_from, 'backtest_results.data_from'),
    dataTo: numOrNull(row.data_to, 'backtest_results.data_to'),
    createdAt: num(row.created_at, 'backtest_results.created_at'),
  };
}

/** Returns `limit` after checking it is a non-negative safe integer. */
export function limitParam(limit: number): number {
  if (intParam(limit, 'limit') < 0) throw new StoreValueError(`limit ${limit} is negative`);
  return limit;
}

/** Stores backtest result documents in SQL, one per run, beside the run's row in runs. */
export class SqlBacktestResultRepository implements BacktestResultRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async save(accountId: AccountId, record: NewBacktestResult): Promise<void> {
    const what = `backtest result of run ${record.runId}`;
    if (!sha256Hex.test(record.orderListHash)) {
      throw new StoreValueError(
        `${what}: order list hash '${record.orderListHash}' is not 64 lowercase hex digits`,
      );
    }
    // INSERT … SELECT from runs: no row is written unless the run exists for this account, and a result of
    // another account's run is never replaced.
    const result = await this.#sql.query<{ run_id: string }>(
      `INSERT INTO backtest_results
         (run_id, account_id, strategy, params, metrics, result, order_list_hash, data_from, data_to, created_at)
       SELECT id, account_id, $3::text, $4::jsonb, $5::jsonb, $6::jsonb, $7::text, $8::timestamptz, $9::timestamptz,
              $10::timestamptz
       FROM runs WHERE account_id = $1 AND id = $2
       ON CONFLICT (run_id) DO UPDATE SET
         strategy = EXCLUDED.strategy, params = EXCLUDED.params, metrics = EXCLUDED.metrics,
         result = EXCLUDED.result, order_list_hash = EXCLUDED.order_list_hash, data_from = EXCLUDED.data_from,
         data_to = EXCLUDED.data_to, created_at = EXCLUDED.created_at
       WHERE backtest_results.account_id = EXCLUDED.account_id
       RETURNING run_id`,
      [
        accountId,
        record.runId,
        record.strategy,
        strictJsonParam(record.params, `${what}: params`),
        strictJsonParam(record.metrics, `${what}: metrics`),
        strictJsonParam(record.result, `${what}: result`),
        record.orderListHash,
        tsParamOrNull(record.dataFrom),
        tsParamOrNull(record.dataTo),
        tsParam(record.createdAt),
      ],
    );
    if (result.rows.length === 0) {
      throw new StoreValueError(`cannot store the ${what}: account ${accountId} has no run ${record.runId}`);
    }
  }

  async get(accountId: AccountId, runId: RunId): Promise<StoredBacktestResult | null> {
    const result = await this.#sql.query<BacktestResultRow>(
      `SELECT ${summaryColumns}, result FROM backtest_results WHERE account_id = $1 AND run_id = $2`,
      [accountId, runId],
    );
    const row = result.rows[0];
    if (row === undefined) return null;
    if (row.result === undefined)
      throw new StoreValueError(`backtest_results.result of run ${runId} is missing`);
    return { ...toSummary(row), result: row.result };
  }

  async list(accountId: AccountId, options: BacktestResultListOptions): Promise<BacktestResultSummary[]> {
    const limit = limitParam(options.limit);
    const result =
      options.strategy === undefined
        ? await this.#sql.query<BacktestResultRow>(
            `SELECT ${summaryColumns} FROM backtest_results WHERE account_id = $1
             ORDER BY created_at DESC, run_id DESC LIMIT $2`,
            [accountId, limit],
          )
        : await this.#sql.query<BacktestResultRow>(
            `SELECT ${summaryColumns} FROM backtest_results WHERE account_id = $1 AND strategy = $3
             ORDER BY created_at DESC, run_id DESC LIMIT $2`,
            [accountId, limit, options.strategy],
          );
    return result.rows.map(toSummary);
  }

  async delete(accountId: AccountId, runId: RunId): Promise<boolean> {
    const result = await this.#sql.query(
      'DELETE FROM backtest_results WHERE account_id = $1 AND run_id = $2',
      [accountId, runId],
    );
    return result.affectedRows > 0;
  }
}
