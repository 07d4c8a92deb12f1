import {
  paise,
  type AccountId,
  type InsertOutcome,
  type InstrumentId,
  type IntentId,
  type OrderIntent,
  type OrderIntentRepository,
  type OrderType,
  type Product,
  type RunId,
  type Side,
  type StrategyId,
  type Validity,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { assertSameAccount, intParam, intParamOrNull, num, numOrNull, tsParam } from './sql-params.ts';

interface IntentRow {
  readonly id: string;
  readonly account_id: string;
  readonly strategy_id: string;
  readonly run_id: string;
  readonly instrument_id: string;
  readonly side: string;
  readonly qty: number;
  readonly order_type: string;
  readonly product: string;
  readonly validity: string;
  readonly validity_ttl_minutes: number | null;
  readonly limit_price_paise: number | null;
  readonly trigger_price_paise: number | null;
  readonly stop_loss_paise: number | null;
  readonly reason: string;
  readonly ts_event: number;
  readonly ts_init: number;
}

const columns = `id, account_id, strategy_id, run_id, instrument_id, side, qty, order_type, product, validity,
  validity_ttl_minutes, limit_price_paise, trigger_price_paise, stop_loss_paise, reason, ts_event, ts_init`;

function paiseOrNull(value: number | null, column: string): ReturnType<typeof paise> | null {
  const n = numOrNull(value, column);
  return n === null ? null : paise(n);
}

function toIntent(row: IntentRow): OrderIntent {
  return {
    id: row.id as IntentId,
    accountId: row.account_id as AccountId,
    strategyId: row.strategy_id as StrategyId,
    runId: row.run_id as RunId,
    instrumentId: row.instrument_id as InstrumentId,
    side: row.side as Side,
    qty: num(row.qty, 'order_intents.qty'),
    orderType: row.order_type as OrderType,
    product: row.product as Product,
    validity: row.validity as Validity,
    validityTtlMinutes: numOrNull(row.validity_ttl_minutes, 'order_intents.validity_ttl_minutes'),
    limitPricePaise: paiseOrNull(row.limit_price_paise, 'order_intents.limit_price_paise'),
    triggerPricePaise: paiseOrNull(row.trigger_price_paise, 'order_intents.trigger_price_paise'),
    stopLossPaise: paiseOrNull(row.stop_loss_paise, 'order_intents.stop_loss_paise'),
    reason: row.reason,
    tsEvent: num(row.ts_event, 'order_intents.ts_event'),
    tsInit: num(row.ts_init, 'order_intents.ts_init'),
  };
}

/** Stores order intents in SQL; `insert` is idempotent on the intent id (DESIGN.md invariant 3). */
export class SqlOrderIntentRepository implements OrderIntentRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async insert(accountId: AccountId, intent: OrderIntent): Promise<InsertOutcome<OrderIntent>> {
    assertSameAccount(accountId, intent.accountId, `intent ${intent.id}`);
    const what = `intent ${intent.id}`;
    // ON CONFLICT DO NOTHING makes a concurrent or repeated insert of the same id a no-op instead of an error.
    const inserted = await this.#sql.query<IntentRow>(
      `INSERT INTO order_intents (${columns})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::timestamptz, $17::timestamptz)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${columns}`,
      [
        intent.id,
        accountId,
        intent.strategyId,
        intent.runId,
        intent.instrumentId,
        intent.side,
        intParam(intent.qty, `${what}: qty`),
        intent.orderType,
        intent.product,
        intent.validity,
        intParamOrNull(intent.validityTtlMinutes, `${what}: validity minutes`),
        intParamOrNull(intent.limitPricePaise, `${what}: limit price`),
        intParamOrNull(intent.triggerPricePaise, `${what}: trigger price`),
        intParamOrNull(intent.stopLossPaise, `${what}: stop loss`),
        intent.reason,
        tsParam(intent.tsEvent),
        tsParam(intent.tsInit),
      ],
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { value: toIntent(row), created: true };
    const existing = await this.get(accountId, intent.id);
    if (existing === null) {
      // The id exists but under another account: ids are global, so this is a generator bug, never a retry.
      throw new StoreValueError(
        `intent id ${intent.id} already exists for a different account than ${accountId}`,
      );
    }
    return { value: existing, created: false };
  }

  async get(accountId: AccountId, id: IntentId): Promise<OrderIntent | null> {
    const result = await this.#sql.query<IntentRow>(
      `SELECT ${columns} FROM order_intents WHERE account_id = $1 AND id = $2`,
      [accountId, id],
    );
    const row = result.rows[0];
    return row === undefined ? null : toIntent(row);
  }

  async listByRun(accountId: AccountId, runId: RunId): Promise<OrderIntent[]> {
    const result = await this.#sql.query<IntentRow>(
      `SELECT ${columns} FROM order_intents WHERE account_id = $1 AND run_id = $2 ORDER BY ts_event, id`,
      [accountId, runId],
    );
    return result.rows.map(toIntent);
  }
}
