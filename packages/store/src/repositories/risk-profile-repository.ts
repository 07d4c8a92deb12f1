import { paise, type AccountId, type JsonValue, type Paise, type RiskProfileId } from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, intParamOrNull, jsonParam, num, numOrNull, tsParam } from './sql-params.ts';

/** The limits a risk profile sets; the engine's RiskLimits in storable form (instruments as EXCHANGE:SYMBOL). */
export interface RiskProfileLimits {
  readonly dailyLossCapPaise: Paise;
  readonly maxInstrumentExposurePaise: Paise | null;
  readonly maxTotalExposurePaise: Paise | null;
  readonly maxOpenPositions: number | null;
  readonly maxOrderValuePaise: Paise | null;
  readonly maxOrdersPerSecond: number;
  readonly maxOrdersPerDay: number | null;
  readonly requireStopLoss: boolean;
  readonly freezeQtyPolicy: 'slice' | 'deny';
  /** IST `HH:MM`. */
  readonly entryWindowStart: string;
  readonly entryWindowEnd: string;
  /** Empty: every instrument may be traded. */
  readonly allowlist: readonly string[];
  readonly blocklist: readonly string[];
}

/** A stored risk profile of one account; at most one per account is active. */
export interface RiskProfile extends RiskProfileLimits {
  readonly id: RiskProfileId;
  readonly accountId: AccountId;
  readonly name: string;
  readonly active: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What deleting a profile did. */
export type RiskProfileDeleteOutcome = 'deleted' | 'missing' | 'active';

interface RiskProfileRow {
  readonly id: string;
  readonly account_id: string;
  readonly name: string;
  readonly daily_loss_cap_paise: number;
  readonly max_order_value_paise: number | null;
  readonly max_open_positions: number | null;
  readonly limits: Record<string, unknown>;
  readonly active: boolean;
  readonly created_at: number;
  readonly updated_at: number;
}

const columns =
  'id, account_id, name, daily_loss_cap_paise, max_order_value_paise, max_open_positions, limits, active, created_at, updated_at';

function paiseOrNull(value: unknown, what: string): Paise | null {
  if (value === null || value === undefined) return null;
  return paise(num(value, what));
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new StoreValueError(`${what} is not a list of strings`);
  }
  return value as string[];
}

function toProfile(row: RiskProfileRow): RiskProfile {
  const l = row.limits;
  const at = (key: string): string => `risk_profiles.limits.${key} of ${row.name}`;
  const policy = l['freezeQtyPolicy'];
  if (policy !== 'slice' && policy !== 'deny') {
    throw new StoreValueError(`${at('freezeQtyPolicy')} is ${JSON.stringify(policy)}`);
  }
  const text = (key: string): string => {
    const value = l[key];
    if (typeof value !== 'string') throw new StoreValueError(`${at(key)} is not a string`);
    return value;
  };
  if (typeof l['requireStopLoss'] !== 'boolean') {
    throw new StoreValueError(`${at('requireStopLoss')} is not a boolean`);
  }
  return {
    id: row.id as RiskProfileId,
    accountId: row.account_id as AccountId,
    name: row.name,
    active: row.active,
    dailyLossCapPaise: paise(num(row.daily_loss_cap_paise, 'risk_profiles.daily_loss_cap_paise')),
    maxOrderValuePaise: paiseOrNull(row.max_order_value_paise, 'risk_profiles.max_order_value_paise'),
    maxOpenPositions: numOrNull(row.max_open_positions, 'risk_profiles.max_open_positions'),
    maxInstrumentExposurePaise: paiseOrNull(
      l['maxInstrumentExposurePaise'] ?? null,
      at('maxInstrumentExposurePaise'),
    ),
    maxTotalExposurePaise: paiseOrNull(l['maxTotalExposurePaise'] ?? null, at('maxTotalExposurePaise')),
    maxOrdersPerSecond: num(l['maxOrdersPerSecond'], at('maxOrdersPerSecond')),
    maxOrdersPerDay: numOrNull(l['maxOrdersPerDay'] ?? null, at('maxOrdersPerDay')),
    requireStopLoss: l['requireStopLoss'],
    freezeQtyPolicy: policy,
    entryWindowStart: text('entryWindowStart'),
    entryWindowEnd: text('entryWindowEnd'),
    allowlist: stringList(l['allowlist'], at('allowlist')),
    blocklist: stringList(l['blocklist'], at('blocklist')),
    createdAt: num(row.created_at, 'risk_profiles.created_at'),
    updatedAt: num(row.updated_at, 'risk_profiles.updated_at'),
  };
}

/** Returns the limits that live in the `limits` jsonb column (the rest have columns of their own). */
function limitsJson(limits: RiskProfileLimits): JsonValue {
  return {
    maxInstrumentExposurePaise: limits.maxInstrumentExposurePaise,
    maxTotalExposurePaise: limits.maxTotalExposurePaise,
    maxOrdersPerSecond: limits.maxOrdersPerSecond,
    maxOrdersPerDay: limits.maxOrdersPerDay,
    requireStopLoss: limits.requireStopLoss,
    freezeQtyPolicy: limits.freezeQtyPolicy,
    entryWindowStart: limits.entryWindowStart,
    entryWindowEnd: limits.entryWindowEnd,
    allowlist: [...limits.allowlist],
    blocklist: [...limits.blocklist],
  };
}

function columnParams(limits: RiskProfileLimits): unknown[] {
  return [
    intParam(limits.dailyLossCapPaise, 'daily loss cap'),
    intParamOrNull(limits.maxOrderValuePaise, 'max order value'),
    intParamOrNull(limits.maxOpenPositions, 'max open positions'),
    jsonParam(limitsJson(limits)),
  ];
}

/**
 * Stores the risk profiles of accounts in SQL (table `risk_profiles`, migration 0001): list, read, create, replace
 * the limits, activate one (the others of the account are deactivated in the same transaction) and delete.
 */
export class SqlRiskProfileRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Returns up to `limit` profiles of the account with a name after `afterName` (null: from the start), by name. */
  async list(accountId: AccountId, afterName: string | null, limit: number): Promise<RiskProfile[]> {
    const result = await this.#driver.query<RiskProfileRow>(
      `SELECT ${columns} FROM risk_profiles WHERE account_id = $1 AND ($2::text IS NULL OR name > $2)
       ORDER BY name LIMIT $3`,
      [accountId, afterName, intParam(limit, 'limit')],
    );
    return result.rows.map(toProfile);
  }

  /** Returns the account's profile called `name`, or null. */
  async get(accountId: AccountId, name: string): Promise<RiskProfile | null> {
    const result = await this.#driver.query<RiskProfileRow>(
      `SELECT ${columns} FROM risk_profiles WHERE account_id = $1 AND name = $2`,
      [accountId, name],
    );
    const row = result.rows[0];
    return row === undefined ? null : toProfile(row);
  }

  /** Returns the account's active profile, or null when none is active. */
  async getActive(accountId: AccountId): Promise<RiskProfile | null> {
    const result = await this.#driver.query<RiskProfileRow>(
      `SELECT ${columns} FROM risk_profiles WHERE account_id = $1 AND active`,
      [accountId],
    );
    const row = result.rows[0];
    return row === undefined ? null : toProfile(row);
  }

  /** Inserts an inactive profile; a name the account already uses fails with a UNIQUE_VIOLATION StoreQueryError. */
  async create(
    accountId: AccountId,
    profile: { readonly id: RiskProfileId; readonly name: string; readonly at: number },
    limits: RiskProfileLimits,
  ): Promise<RiskProfile> {
    const result = await this.#driver.query<RiskProfileRow>(
      `INSERT INTO risk_profiles (id, account_id, name, daily_loss_cap_paise, max_order_value_paise,
         max_open_positions, limits, active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, false, $8::timestamptz, $8::timestamptz)
       RETURNING ${columns}`,
      [profile.id, accountId, profile.name, ...columnParams(limits), tsParam(profile.at)],
    );
    return toProfile(result.rows[0] as RiskProfileRow);
  }

  /** Replaces the limits of the profile called `name`; returns it, or null when there is none. */
  async update(
    accountId: AccountId,
    name: string,
    limits: RiskProfileLimits,
    at: number,
  ): Promise<RiskProfile | null> {
    const result = await this.#driver.query<RiskProfileRow>(
      `UPDATE risk_profiles SET daily_loss_cap_paise = $3, max_order_value_paise = $4, max_open_positions = $5,
         limits = $6::jsonb, updated_at = $7::timestamptz
       WHERE account_id = $1 AND name = $2
       RETURNING ${columns}`,
      [accountId, name, ...columnParams(limits), tsParam(at)],
    );
    const row = result.rows[0];
    return row === undefined ? null : toProfile(row);
  }

  /** Makes `name` the account's only active profile; returns it, or null (nothing changed) when there is none. */
  async activate(accountId: AccountId, name: string, at: number): Promise<RiskProfile | null> {
    return this.#driver.transaction(async (tx) => {
      const target = await tx.query<{ id: string }>(
        'SELECT id FROM risk_profiles WHERE account_id = $1 AND name = $2 FOR UPDATE',
        [accountId, name],
      );
      if (target.rows[0] === undefined) return null;
      // Deactivate first: the partial unique index allows one active row per account at any moment.
      await tx.query(
        `UPDATE risk_profiles SET active = false, updated_at = $3::timestamptz
         WHERE account_id = $1 AND active AND name <> $2`,
        [accountId, name, tsParam(at)],
      );
      const result = await tx.query<RiskProfileRow>(
        `UPDATE risk_profiles SET active = true, updated_at = CASE WHEN active THEN updated_at ELSE $3::timestamptz END
         WHERE account_id = $1 AND name = $2
         RETURNING ${columns}`,
        [accountId, name, tsParam(at)],
      );
      return toProfile(result.rows[0] as RiskProfileRow);
    });
  }

  /** Deletes the profile called `name` unless it is the active one. */
  async delete(accountId: AccountId, name: string): Promise<RiskProfileDeleteOutcome> {
    const deleted = await this.#driver.query(
      'DELETE FROM risk_profiles WHERE account_id = $1 AND name = $2 AND NOT active',
      [accountId, name],
    );
    if (deleted.affectedRows > 0) return 'deleted';
    return (await this.get(accountId, name)) === null ? 'missing' : 'active';
  }
}
