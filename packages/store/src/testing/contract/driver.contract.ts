import { describe, expect, it } from 'vitest';
import { StoreClosedError, StoreQueryError, StoreValueError } from '../../errors.ts';
import type { StoreTestBackend } from '../store-test-backend.ts';

/** Runs the SqlDriver contract: value parsing, error mapping, transactions, close. */
export function driverContract(backend: StoreTestBackend): void {
  describe(`SqlDriver (${backend.kind})`, () => {
    it('returns bigint values at the safe-integer edge exactly as JS numbers', async () => {
      const d = backend.driver();
      const max = Number.MAX_SAFE_INTEGER;
      const result = await d.query<{ a: number; b: number; c: number }>(
        'SELECT $1::bigint AS a, $2::bigint AS b, (-9007199254740991)::bigint AS c',
        [max, -max],
      );
      expect(result.rows[0]).toEqual({ a: max, b: -max, c: -max });
    });

    it('throws StoreValueError instead of rounding a bigint beyond 2^53 - 1', async () => {
      const d = backend.driver();
      await expect(d.query('SELECT 9007199254740992::bigint AS a')).rejects.toThrow(StoreValueError);
      await expect(d.query('SELECT 9007199254740992::bigint AS a')).rejects.toThrow(/9007199254740992/);
    });

    it('returns an integral numeric (a sum of bigints) as a number and refuses a fractional one', async () => {
      const d = backend.driver();
      const sum = await d.query<{ s: number }>(
        'SELECT sum(x) AS s FROM (VALUES (4503599627370495::bigint), (1)) v(x)',
      );
      expect(sum.rows[0]?.s).toBe(4503599627370496);
      await expect(d.query('SELECT 1.5::numeric AS n')).rejects.toThrow(/1\.5 is not an integer/);
    });

    it('returns timestamptz as epoch milliseconds whatever the session time zone', async () => {
      const d = backend.driver();
      const ms = Date.UTC(2026, 10, 20, 3, 45, 12, 345);
      const inIst = await d.transaction(async (tx) => {
        await tx.exec("SET LOCAL TimeZone = 'Asia/Kolkata'");
        return tx.query<{ t: number }>('SELECT $1::timestamptz AS t', [new Date(ms).toISOString()]);
      });
      expect(inIst.rows[0]?.t).toBe(ms);
      const plain = await d.query<{ t: number; day: string }>(
        "SELECT '2026-11-20 09:15:00+05:30'::timestamptz AS t, '2026-11-20'::date AS day",
      );
      expect(plain.rows[0]).toEqual({ t: Date.UTC(2026, 10, 20, 3, 45), day: '2026-11-20' });
    });

    it('maps a unique violation to StoreQueryError with its SQLSTATE, constraint and cause', async () => {
      const d = backend.driver();
      await d.exec('CREATE TABLE IF NOT EXISTS kp_unique (id int PRIMARY KEY)');
      await d.exec('DELETE FROM kp_unique');
      await d.query('INSERT INTO kp_unique VALUES (1)');
      const error = await d.query('INSERT INTO kp_unique VALUES (1)').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreQueryError);
      const e = error as StoreQueryError;
      expect(e.code).toBe('UNIQUE_VIOLATION');
      expect(e.sqlState).toBe('23505');
      expect(e.constraint).toBe('kp_unique_pkey');
      expect(e.message).toMatch(/duplicate key.*\[SQLSTATE 23505\] in: INSERT INTO kp_unique/);
      expect(e.cause).toBeDefined();
    });

    it('maps a syntax error to QUERY_FAILED with SQLSTATE 42601', async () => {
      const error = await backend
        .driver()
        .query('SELEC 1')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'QUERY_FAILED', sqlState: '42601' });
    });

    it('commits a transaction whose body resolves and rolls back one whose body throws, rethrowing its error', async () => {
      const d = backend.driver();
      await d.exec('CREATE TABLE IF NOT EXISTS kp_tx (v int); DELETE FROM kp_tx;');
      await d.transaction(async (tx) => {
        await tx.query('INSERT INTO kp_tx VALUES (1)');
      });
      const bodyError = new Error('body failed');
      const thrown = await d
        .transaction(async (tx) => {
          await tx.query('INSERT INTO kp_tx VALUES (2)');
          throw bodyError;
        })
        .catch((e: unknown) => e);
      expect(thrown).toBe(bodyError);
      const rows = await d.query<{ v: number }>('SELECT v FROM kp_tx ORDER BY v');
      expect(rows.rows).toEqual([{ v: 1 }]);
    });

    it('maps a constraint that fails at COMMIT to a typed error', async () => {
      const d = backend.driver();
      await d.exec(`CREATE TABLE IF NOT EXISTS kp_parent (id int PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS kp_child (pid int REFERENCES kp_parent (id) DEFERRABLE INITIALLY DEFERRED);`);
      const error = await d
        .transaction(async (tx) => {
          await tx.query('INSERT INTO kp_child VALUES (42)');
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreQueryError);
      expect(error).toMatchObject({ code: 'FOREIGN_KEY_VIOLATION', sqlState: '23503' });
      expect((await d.query('SELECT count(*) AS n FROM kp_child')).rows).toEqual([{ n: 0 }]);
    });

    it('refuses a transaction handle used after the transaction ended', async () => {
      const leaked = await backend.driver().transaction(async (tx) => tx);
      await expect(leaked.query('SELECT 1')).rejects.toThrow(StoreClosedError);
    });

    it('throws StoreClosedError after close', async () => {
      const second = await backend.openSecondDriver();
      await second.close();
      await expect(second.query('SELECT 1')).rejects.toThrow(StoreClosedError);
    });
  });
}
