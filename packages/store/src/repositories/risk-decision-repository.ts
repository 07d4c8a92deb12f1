import {
  RISK_CHECK_CODES,
  type AccountId,
  type IntentId,
  type JsonValue,
  type RiskCheckCode,
  type RiskDecision,
  type RiskDecisionRepository,
  type StoredRiskDecision,
  type StrategyId,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { assertSameAccount, intParam, jsonParam, num, tsParam } from './sql-params.ts';

interface RiskDecisionRow {
  readonly id: number;
  readonly account_id: string;
  readonly intent_id: string;
  readonly strategy_id: string | null;
  readonly decision: string;
  readonly code: string | null;
  readonly reason: string;
  readonly slices: JsonValue;
  readonly details: JsonValue;
  readonly decided_at: number;
}

const columns = 'id, account_id, intent_id, strategy_id, decision, code, reason, slices, details, decided_at';

const codes: ReadonlySet<string> = new Set(RISK_CHECK_CODES);

function slicesOf(value: JsonValue, id: number): readonly number[] | null {
  if (value === null) return null;
  if (Array.isArray(value) && value.every((q) => typeof q === 'number')) return value as readonly number[];
  throw new StoreValueError(
    `risk_decisions ${id}: slices ${JSON.stringify(value)} is not an array of numbers`,
  );
}

function toDecision(row: RiskDecisionRow): StoredRiskDecision {
  const id = num(row.id, 'risk_decisions.id');
  // Rows written before migration 0004 carry no code or strategy: the trading path never wrote such rows.
  if (row.code === null || !codes.has(row.code) || row.strategy_id === null) {
    throw new StoreValueError(
      `risk_decisions ${id} has code ${JSON.stringify(row.code)} and strategy ${JSON.stringify(row.strategy_id)}; ` +
        'a decision needs a risk check code and a strategy',
    );
  }
  return {
    id,
    accountId: row.account_id as AccountId,
    intentId: row.intent_id as IntentId,
    strategyId: row.strategy_id as StrategyId,
    decision: row.decision as RiskDecision['decision'],
    code: row.code as RiskCheckCode,
    reason: row.reason,
    slices: slicesOf(row.slices, id),
    inputs: row.details,
    decidedAt: num(row.decided_at, 'risk_decisions.decided_at'),
  };
}

/** Stores risk decisions in SQL, append-only (DESIGN.md invariant 1); the decision's inputs go to `details`. */
export class SqlRiskDecisionRepository implements RiskDecisionRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async insert(accountId: AccountId, decision: RiskDecision): Promise<StoredRiskDecision> {
    assertSameAccount(accountId, decision.accountId, `risk decision for intent ${decision.intentId}`);
    const what = `risk decision for intent ${decision.intentId}`;
    const slices =
      decision.slices === null
        ? null
        : jsonParam(decision.slices.map((q, i) => intParam(q, `${what}: slice ${i} quantity`)));
    const result = await this.#sql.query<RiskDecisionRow>(
      `INSERT INTO risk_decisions (account_id, intent_id, strategy_id, decision, code, reason, slices, details,
                                   decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::timestamptz)
       RETURNING ${columns}`,
      [
        accountId,
        decision.intentId,
        decision.strategyId,
        decision.decision,
        decision.code,
        decision.reason,
        slices,
        jsonParam(decision.inputs),
        tsParam(decision.decidedAt),
      ],
    );
    return toDecision(result.rows[0] as RiskDecisionRow);
  }

  async listByIntent(accountId: AccountId, intentId: IntentId): Promise<StoredRiskDecision[]> {
    const result = await this.#sql.query<RiskDecisionRow>(
      `SELECT ${columns} FROM risk_decisions WHERE account_id = $1 AND intent_id = $2 ORDER BY decided_at, id`,
      [accountId, intentId],
    );
    return result.rows.map(toDecision);
  }

  async listBetween(accountId: AccountId, fromMs: number, toMs: number): Promise<StoredRiskDecision[]> {
    const result = await this.#sql.query<RiskDecisionRow>(
      `SELECT ${columns} FROM risk_decisions
       WHERE account_id = $1 AND decided_at >= $2::timestamptz AND decided_at < $3::timestamptz
       ORDER BY decided_at, id`,
      [accountId, tsParam(fromMs), tsParam(toMs)],
    );
    return result.rows.map(toDecision);
  }
}
