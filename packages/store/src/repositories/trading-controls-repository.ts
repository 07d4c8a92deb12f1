import {
  DEFAULT_TRADING_CONTROLS,
  type TradingControls,
  type TradingControlsRepository,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { jsonParam } from './sql-params.ts';

interface ControlsRow {
  readonly kill_switch: boolean;
  readonly halted: unknown;
  readonly halted_day: string | null;
  readonly live_acknowledged_day: string | null;
}

const columns = 'kill_switch, halted, halted_day, live_acknowledged_day';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function haltedOf(value: unknown): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreValueError(`trading_controls.halted ${JSON.stringify(value)} is not an object`);
  }
  const halted: Record<string, string> = {};
  for (const [account, reason] of Object.entries(value)) {
    if (typeof reason !== 'string') {
      throw new StoreValueError(
        `trading_controls.halted[${account}] ${JSON.stringify(reason)} is not a reason`,
      );
    }
    halted[account] = reason;
  }
  return halted;
}

function toControls(row: ControlsRow): TradingControls {
  return {
    killSwitch: row.kill_switch,
    halted: haltedOf(row.halted),
    haltedDay: row.halted_day,
    liveAcknowledgedDay: row.live_acknowledged_day,
  };
}

function dateParam(value: string | null, what: string): string | null {
  if (value !== null && !ISO_DATE.test(value)) {
    throw new StoreValueError(`${what} ${JSON.stringify(value)} is not a YYYY-MM-DD date`);
  }
  return value;
}

/** Stores the process's trading controls in SQL as the single row of trading_controls. */
export class SqlTradingControlsRepository implements TradingControlsRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async load(): Promise<TradingControls> {
    const result = await this.#sql.query<ControlsRow>(`SELECT ${columns} FROM trading_controls WHERE id = 1`);
    const row = result.rows[0];
    return row === undefined ? DEFAULT_TRADING_CONTROLS : toControls(row);
  }

  async save(controls: TradingControls): Promise<TradingControls> {
    const result = await this.#sql.query<ControlsRow>(
      `INSERT INTO trading_controls (id, ${columns}, updated_at)
       VALUES (1, $1, $2::jsonb, $3::date, $4::date, now())
       ON CONFLICT (id) DO UPDATE SET
         kill_switch = EXCLUDED.kill_switch, halted = EXCLUDED.halted, halted_day = EXCLUDED.halted_day,
         live_acknowledged_day = EXCLUDED.live_acknowledged_day, updated_at = EXCLUDED.updated_at
       RETURNING ${columns}`,
      [
        controls.killSwitch,
        jsonParam(controls.halted),
        dateParam(controls.haltedDay, 'halted day'),
        dateParam(controls.liveAcknowledgedDay, 'live acknowledgement day'),
      ],
    );
    return toControls(result.rows[0] as ControlsRow);
  }
}
