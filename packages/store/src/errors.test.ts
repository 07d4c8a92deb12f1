import { describe, expect, it } from 'vitest';
import { StoreError, StoreQueryError, toStoreError } from './errors.ts';

describe('toStoreError', () => {
  it('maps a database error to a typed error keeping SQLSTATE, detail, constraint and cause', () => {
    const cause = Object.assign(
      new Error('insert or update on table "fills" violates foreign key constraint'),
      {
        code: '23503',
        detail: 'Key (account_id)=(acc_X) is not present in table "accounts".',
        constraint: 'fills_account_id_fkey',
        table: 'fills',
      },
    );
    const error = toStoreError(cause, 'INSERT INTO fills VALUES ($1)');
    expect(error).toBeInstanceOf(StoreQueryError);
    expect(error).toMatchObject({
      code: 'FOREIGN_KEY_VIOLATION',
      sqlState: '23503',
      constraint: 'fills_account_id_fkey',
      table: 'fills',
      retryable: false,
      cause,
    });
    expect(error.message).toBe(
      'insert or update on table "fills" violates foreign key constraint (Key (account_id)=(acc_X) is not present in ' +
        'table "accounts".) [SQLSTATE 23503] in: INSERT INTO fills VALUES ($1)',
    );
  });

  it('marks serialization failures and connection-class states retryable', () => {
    expect(toStoreError(Object.assign(new Error('x'), { code: '40001' }), 'SELECT 1').retryable).toBe(true);
    expect(toStoreError(Object.assign(new Error('x'), { code: '08006' }), 'SELECT 1').retryable).toBe(true);
  });

  it('passes store errors through and wraps anything else as QUERY_FAILED without a SQLSTATE', () => {
    const original = new StoreError('CLOSED', 'closed');
    expect(toStoreError(original, 'SELECT 1')).toBe(original);
    expect(
      toStoreError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'SELECT 1'),
    ).toMatchObject({
      code: 'QUERY_FAILED',
      sqlState: null,
    });
  });
});
