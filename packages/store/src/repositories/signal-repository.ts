import type {
  AccountId,
  InsertOutcome,
  InstrumentId,
  RunId,
  Signal,
  SignalDirection,
  SignalId,
  SignalRepository,
  StrategyId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { assertSameAccount, num, numOrNull, tsParam } from './sql-params.ts';

interface SignalRow {
  readonly id: string;
  readonly account_id: string;
  readonly run_id: string;
  readonly strategy_id: string;
  readonly instrument_id: string;
  readonly direction: string;
  readonly strength: number | null;
  readonly reason: string;
  readonly ts_event: number;
  readonly ts_init: number | null;
}

const columns =
  'id, account_id, run_id, strategy_id, instrument_id, direction, strength, reason, ts_event, ts_init';

function toSignal(row: SignalRow): Signal {
  const tsEvent = num(row.ts_event, 'signals.ts_event');
  return {
    id: row.id as SignalId,
    accountId: row.account_id as AccountId,
    runId: row.run_id as RunId,
    strategyId: row.strategy_id as StrategyId,
    instrumentId: row.instrument_id as InstrumentId,
    direction: row.direction as SignalDirection,
    strength: numOrNull(row.strength, 'signals.strength'),
    reason: row.reason,
    tsEvent,
    // Rows written before migration 0004 have no ts_init; their event time is the best record of it.
    tsInit: numOrNull(row.ts_init, 'signals.ts_init') ?? tsEvent,
  };
}

/** Stores strategy signals in SQL; `insert` is idempotent on the signal id. */
export class SqlSignalRepository implements SignalRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async insert(accountId: AccountId, signal: Signal): Promise<InsertOutcome<Signal>> {
    assertSameAccount(accountId, signal.accountId, `signal ${signal.id}`);
    if (signal.strength !== null && !Number.isFinite(signal.strength)) {
      throw new StoreValueError(`signal ${signal.id}: strength ${signal.strength} is not a finite number`);
    }
    const inserted = await this.#sql.query<SignalRow>(
      `INSERT INTO signals (${columns})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10::timestamptz)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${columns}`,
      [
        signal.id,
        accountId,
        signal.runId,
        signal.strategyId,
        signal.instrumentId,
        signal.direction,
        signal.strength,
        signal.reason,
        tsParam(signal.tsEvent),
        tsParam(signal.tsInit),
      ],
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { value: toSignal(row), created: true };
    const existing = await this.#sql.query<SignalRow>(
      `SELECT ${columns} FROM signals WHERE account_id = $1 AND id = $2`,
      [accountId, signal.id],
    );
    const stored = existing.rows[0];
    if (stored === undefined) {
      throw new StoreValueError(
        `signal id ${signal.id} already exists for a different account than ${accountId}`,
      );
    }
    return { value: toSignal(stored), created: false };
  }

  async listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<Signal[]> {
    const result = await this.#sql.query<SignalRow>(
      `SELECT ${columns} FROM signals
       WHERE account_id = $1 AND ts_event >= $2::timestamptz AND ts_event < $3::timestamptz
       ORDER BY ts_event, id`,
      [accountId, tsParam(fromMs), tsParam(toMs)],
    );
    return result.rows.map(toSignal);
  }

  async listByRun(accountId: AccountId, runId: RunId): Promise<Signal[]> {
    const result = await this.#sql.query<SignalRow>(
      `SELECT ${columns} FROM signals WHERE account_id = $1 AND run_id = $2 ORDER BY ts_event, id`,
      [accountId, runId],
    );
    return result.rows.map(toSignal);
  }
}
