import type { Account, AccountId, AccountRepository } from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { num, tsParam } from './sql-params.ts';

interface AccountRow {
  readonly id: string;
  readonly name: string;
  readonly created_at: number;
}

function toAccount(row: AccountRow): Account {
  return { id: row.id as AccountId, name: row.name, createdAt: num(row.created_at, 'accounts.created_at') };
}

/** Stores accounts in SQL. */
export class SqlAccountRepository implements AccountRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async create(account: Account): Promise<Account> {
    const result = await this.#sql.query<AccountRow>(
      'INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3::timestamptz) RETURNING id, name, created_at',
      [account.id, account.name, tsParam(account.createdAt)],
    );
    return toAccount(result.rows[0] as AccountRow);
  }

  async get(id: AccountId): Promise<Account | null> {
    const result = await this.#sql.query<AccountRow>(
      'SELECT id, name, created_at FROM accounts WHERE id = $1',
      [id],
    );
    const row = result.rows[0];
    return row === undefined ? null : toAccount(row);
  }

  async list(): Promise<Account[]> {
    const result = await this.#sql.query<AccountRow>('SELECT id, name, created_at FROM accounts ORDER BY id');
    return result.rows.map(toAccount);
  }
}
