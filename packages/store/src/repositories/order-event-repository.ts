import type {
  AccountId,
  ClientOrderId,
  JsonValue,
  NewOrderEvent,
  OrderEventRepository,
  OrderEventSource,
  StoredOrderEvent,
  VenueOrderId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { jsonParam, num, tsParam } from './sql-params.ts';

interface OrderEventRow {
  readonly id: number;
  readonly account_id: string;
  readonly client_order_id: string | null;
  readonly venue_order_id: string | null;
  readonly source: string;
  readonly venue_status: string | null;
  readonly payload: JsonValue;
  readonly received_at: number;
}

const columns = 'id, account_id, client_order_id, venue_order_id, source, venue_status, payload, received_at';

function toEvent(row: OrderEventRow): StoredOrderEvent {
  return {
    id: num(row.id, 'order_events.id'),
    accountId: row.account_id as AccountId,
    clientOrderId: row.client_order_id as ClientOrderId | null,
    venueOrderId: row.venue_order_id as VenueOrderId | null,
    source: row.source as OrderEventSource,
    venueStatus: row.venue_status,
    payload: row.payload,
    receivedAt: num(row.received_at, 'order_events.received_at'),
  };
}

/** Stores every raw broker message about orders in SQL, append-only. */
export class SqlOrderEventRepository implements OrderEventRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async append(accountId: AccountId, event: NewOrderEvent): Promise<StoredOrderEvent> {
    const result = await this.#sql.query<OrderEventRow>(
      `INSERT INTO order_events (account_id, client_order_id, venue_order_id, source, venue_status, payload, received_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::timestamptz)
       RETURNING ${columns}`,
      [
        accountId,
        event.clientOrderId,
        event.venueOrderId,
        event.source,
        event.venueStatus,
        jsonParam(event.payload),
        tsParam(event.receivedAt),
      ],
    );
    return toEvent(result.rows[0] as OrderEventRow);
  }

  async listByOrder(accountId: AccountId, clientOrderId: ClientOrderId): Promise<StoredOrderEvent[]> {
    const result = await this.#sql.query<OrderEventRow>(
      `SELECT ${columns} FROM order_events WHERE account_id = $1 AND client_order_id = $2 ORDER BY id`,
      [accountId, clientOrderId],
    );
    return result.rows.map(toEvent);
  }

  async listByVenueOrder(accountId: AccountId, venueOrderId: VenueOrderId): Promise<StoredOrderEvent[]> {
    const result = await this.#sql.query<OrderEventRow>(
      `SELECT ${columns} FROM order_events WHERE account_id = $1 AND venue_order_id = $2 ORDER BY id`,
      [accountId, venueOrderId],
    );
    return result.rows.map(toEvent);
  }
}
