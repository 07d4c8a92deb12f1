import {
  paise,
  type AccountId,
  type ClientOrderId,
  type InstrumentId,
  type IntentId,
  type Order,
  type OrderRepository,
  type OrderStatus,
  type OrderType,
  type Product,
  type RunId,
  type Side,
  type StrategyId,
  type Validity,
  type Variety,
  type VenueOrderId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import {
  assertSameAccount,
  intParam,
  intParamOrNull,
  jsonParam,
  num,
  numOrNull,
  tsParam,
} from './sql-params.ts';

interface OrderRow {
  readonly client_order_id: string;
  readonly account_id: string;
  readonly intent_id: string;
  readonly strategy_id: string;
  readonly run_id: string;
  readonly instrument_id: string;
  readonly side: string;
  readonly qty: number;
  readonly order_type: string;
  readonly product: string;
  readonly validity: string;
  readonly validity_ttl_minutes: number | null;
  readonly variety: string;
  readonly limit_price_paise: number | null;
  readonly trigger_price_paise: number | null;
  readonly venue_order_id: string | null;
  readonly status: string;
  readonly venue_status: string | null;
  readonly filled_qty: number;
  readonly filled_value_paise: number;
  readonly cancelled_qty: number;
  readonly status_message: string | null;
  readonly applied_event_ids: string[];
  readonly created_at: number;
  readonly updated_at: number;
}

const columns = `client_order_id, account_id, intent_id, strategy_id, run_id, instrument_id, side, qty, order_type,
  product, validity, validity_ttl_minutes, variety, limit_price_paise, trigger_price_paise, venue_order_id, status,
  venue_status, filled_qty, filled_value_paise, cancelled_qty, status_message, applied_event_ids, created_at, updated_at`;

function toOrder(row: OrderRow): Order {
  const limit = numOrNull(row.limit_price_paise, 'orders.limit_price_paise');
  const trigger = numOrNull(row.trigger_price_paise, 'orders.trigger_price_paise');
  return {
    clientOrderId: row.client_order_id as ClientOrderId,
    intentId: row.intent_id as IntentId,
    accountId: row.account_id as AccountId,
    strategyId: row.strategy_id as StrategyId,
    runId: row.run_id as RunId,
    instrumentId: row.instrument_id as InstrumentId,
    side: row.side as Side,
    qty: num(row.qty, 'orders.qty'),
    orderType: row.order_type as OrderType,
    product: row.product as Product,
    validity: row.validity as Validity,
    validityTtlMinutes: numOrNull(row.validity_ttl_minutes, 'orders.validity_ttl_minutes'),
    variety: row.variety as Variety,
    limitPricePaise: limit === null ? null : paise(limit),
    triggerPricePaise: trigger === null ? null : paise(trigger),
    venueOrderId: row.venue_order_id as VenueOrderId | null,
    status: row.status as OrderStatus,
    venueStatus: row.venue_status,
    filledQty: num(row.filled_qty, 'orders.filled_qty'),
    filledValuePaise: paise(num(row.filled_value_paise, 'orders.filled_value_paise')),
    cancelledQty: num(row.cancelled_qty, 'orders.cancelled_qty'),
    statusMessage: row.status_message,
    createdAt: num(row.created_at, 'orders.created_at'),
    updatedAt: num(row.updated_at, 'orders.updated_at'),
    appliedEventIds: row.applied_event_ids,
  };
}

/** Stores the current state of orders in SQL. */
export class SqlOrderRepository implements OrderRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async save(accountId: AccountId, order: Order): Promise<Order> {
    assertSameAccount(accountId, order.accountId, `order ${order.clientOrderId}`);
    const what = `order ${order.clientOrderId}`;
    // The WHERE of DO UPDATE keeps an order from ever moving to another account or intent: such a save matches
    // nothing and is reported below.
    const result = await this.#sql.query<OrderRow>(
      `INSERT INTO orders (${columns})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
               $23::jsonb, $24::timestamptz, $25::timestamptz)
       ON CONFLICT (client_order_id) DO UPDATE SET
         venue_order_id = EXCLUDED.venue_order_id, status = EXCLUDED.status, venue_status = EXCLUDED.venue_status,
         qty = EXCLUDED.qty, order_type = EXCLUDED.order_type, validity = EXCLUDED.validity,
         validity_ttl_minutes = EXCLUDED.validity_ttl_minutes, limit_price_paise = EXCLUDED.limit_price_paise,
         trigger_price_paise = EXCLUDED.trigger_price_paise, filled_qty = EXCLUDED.filled_qty,
         filled_value_paise = EXCLUDED.filled_value_paise, cancelled_qty = EXCLUDED.cancelled_qty,
         status_message = EXCLUDED.status_message, applied_event_ids = EXCLUDED.applied_event_ids,
         updated_at = EXCLUDED.updated_at
       WHERE orders.account_id = EXCLUDED.account_id AND orders.intent_id = EXCLUDED.intent_id
       RETURNING ${columns}`,
      [
        order.clientOrderId,
        accountId,
        order.intentId,
        order.strategyId,
        order.runId,
        order.instrumentId,
        order.side,
        intParam(order.qty, `${what}: qty`),
        order.orderType,
        order.product,
        order.validity,
        intParamOrNull(order.validityTtlMinutes, `${what}: validity minutes`),
        order.variety,
        intParamOrNull(order.limitPricePaise, `${what}: limit price`),
        intParamOrNull(order.triggerPricePaise, `${what}: trigger price`),
        order.venueOrderId,
        order.status,
        order.venueStatus,
        intParam(order.filledQty, `${what}: filled qty`),
        intParam(order.filledValuePaise, `${what}: filled value`),
        intParam(order.cancelledQty, `${what}: cancelled qty`),
        order.statusMessage,
        jsonParam(order.appliedEventIds),
        tsParam(order.createdAt),
        tsParam(order.updatedAt),
      ],
    );
    const row = result.rows[0];
    if (row === undefined) {
      throw new StoreValueError(
        `order ${order.clientOrderId} exists with another account or intent than ${accountId}/${order.intentId}`,
      );
    }
    return toOrder(row);
  }

  async get(accountId: AccountId, clientOrderId: ClientOrderId): Promise<Order | null> {
    const result = await this.#sql.query<OrderRow>(
      `SELECT ${columns} FROM orders WHERE account_id = $1 AND client_order_id = $2`,
      [accountId, clientOrderId],
    );
    const row = result.rows[0];
    return row === undefined ? null : toOrder(row);
  }

  async getByVenueOrderId(accountId: AccountId, venueOrderId: VenueOrderId): Promise<Order | null> {
    const result = await this.#sql.query<OrderRow>(
      `SELECT ${columns} FROM orders WHERE account_id = $1 AND venue_order_id = $2`,
      [accountId, venueOrderId],
    );
    const row = result.rows[0];
    return row === undefined ? null : toOrder(row);
  }

  async listByIntent(accountId: AccountId, intentId: IntentId): Promise<Order[]> {
    const result = await this.#sql.query<OrderRow>(
      `SELECT ${columns} FROM orders WHERE account_id = $1 AND intent_id = $2 ORDER BY created_at, client_order_id`,
      [accountId, intentId],
    );
    return result.rows.map(toOrder);
  }

  async listNonTerminal(accountId: AccountId): Promise<Order[]> {
    const result = await this.#sql.query<OrderRow>(
      `SELECT ${columns} FROM orders
       WHERE account_id = $1 AND status NOT IN ('FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED')
       ORDER BY created_at, client_order_id`,
      [accountId],
    );
    return result.rows.map(toOrder);
  }

  async listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<Order[]> {
    const result = await this.#sql.query<OrderRow>(
      `SELECT ${columns} FROM orders
       WHERE account_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
       ORDER BY created_at, client_order_id`,
      [accountId, tsParam(fromMs), tsParam(toMs)],
    );
    return result.rows.map(toOrder);
  }

  async listIntentIdsWithoutOrder(accountId: AccountId, fromMs: number, toMs: number): Promise<IntentId[]> {
    const result = await this.#sql.query<{ id: string }>(
      `SELECT i.id FROM order_intents i
       WHERE i.account_id = $1 AND i.ts_event >= $2::timestamptz AND i.ts_event < $3::timestamptz
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.account_id = i.account_id AND o.intent_id = i.id)
       ORDER BY i.ts_event, i.id`,
      [accountId, tsParam(fromMs), tsParam(toMs)],
    );
    return result.rows.map((row) => row.id as IntentId);
  }
}
