import type {
  AccountId,
  JsonValue,
  NewRun,
  Run,
  RunEnvironment,
  RunId,
  RunRepository,
  RunStatus,
  StrategyId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { intParam, jsonParam, num, numOrNull, tsParam } from './sql-params.ts';

interface RunRow {
  readonly id: string;
  readonly account_id: string;
  readonly environment: string;
  readonly strategy_id: string;
  readonly config: JsonValue;
  readonly config_hash: string;
  readonly status: string;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly summary: JsonValue | null;
}

const columns =
  'id, account_id, environment, strategy_id, config, config_hash, status, started_at, finished_at, summary';

function toRun(row: RunRow): Run {
  return {
    id: row.id as RunId,
    accountId: row.account_id as AccountId,
    environment: row.environment as RunEnvironment,
    strategyId: row.strategy_id as StrategyId,
    config: row.config,
    configHash: row.config_hash,
    status: row.status as RunStatus,
    startedAt: num(row.started_at, 'runs.started_at'),
    finishedAt: numOrNull(row.finished_at, 'runs.finished_at'),
    summary: row.summary,
  };
}

/** Returns the sha256 (hex) of the canonical JSON of a run configuration: the hash every order links to. */
export function configHash(config: JsonValue): string {
  return sha256Hex(canonicalJson(config));
}

/** Stores runs with their configuration snapshot and its hash in SQL. */
export class SqlRunRepository implements RunRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async create(accountId: AccountId, run: NewRun): Promise<Run> {
    const result = await this.#sql.query<RunRow>(
      `INSERT INTO runs (id, account_id, environment, strategy_id, config, config_hash, status, started_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, 'running', $7::timestamptz)
       RETURNING ${columns}`,
      [
        run.id,
        accountId,
        run.environment,
        run.strategyId,
        jsonParam(run.config),
        configHash(run.config),
        tsParam(run.startedAt),
      ],
    );
    return toRun(result.rows[0] as RunRow);
  }

  async get(accountId: AccountId, id: RunId): Promise<Run | null> {
    const result = await this.#sql.query<RunRow>(
      `SELECT ${columns} FROM runs WHERE account_id = $1 AND id = $2`,
      [accountId, id],
    );
    const row = result.rows[0];
    return row === undefined ? null : toRun(row);
  }

  async finish(
    accountId: AccountId,
    id: RunId,
    outcome: {
      readonly status: Exclude<RunStatus, 'running'>;
      readonly finishedAt: number;
      readonly summary: JsonValue | null;
    },
  ): Promise<Run> {
    const result = await this.#sql.query<RunRow>(
      `UPDATE runs SET status = $3, finished_at = $4::timestamptz, summary = $5::jsonb
       WHERE account_id = $1 AND id = $2 AND status = 'running'
       RETURNING ${columns}`,
      [
        accountId,
        id,
        outcome.status,
        tsParam(outcome.finishedAt),
        outcome.summary === null ? null : jsonParam(outcome.summary),
      ],
    );
    const row = result.rows[0];
    if (row === undefined) {
      const existing = await this.get(accountId, id);
      throw new StoreValueError(
        existing === null
          ? `run ${id} does not exist for account ${accountId}`
          : `run ${id} is already ${existing.status}; cannot mark it ${outcome.status}`,
      );
    }
    return toRun(row);
  }

  async listRecent(accountId: AccountId, limit: number): Promise<Run[]> {
    const result = await this.#sql.query<RunRow>(
      `SELECT ${columns} FROM runs WHERE account_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
      [accountId, intParam(limit, 'limit')],
    );
    return result.rows.map(toRun);
  }
}
