import { describe, expect, it } from 'vitest';
import { StoreUnreachableError } from '../errors.ts';
import { postgresTestGate } from '../testing/postgres-test-db.ts';
import { openPostgres, postgresTarget } from './postgres-driver.ts';

describe('postgresTarget', () => {
  it('returns host, port, database and user without the password', () => {
    const target = postgresTarget('postgres://trader:s3cret@db.internal:6543/kitepilot');
    expect(target).toEqual({ host: 'db.internal', port: 6543, database: 'kitepilot', user: 'trader' });
    expect(JSON.stringify(target)).not.toContain('s3cret');
  });

  it('defaults the port to 5432 and refuses a non-postgres scheme', () => {
    expect(postgresTarget('postgres://u@localhost/db').port).toBe(5432);
    expect(() => postgresTarget('mysql://u@localhost/db')).toThrow(/scheme 'mysql:'/);
  });
});

describe('openPostgres', () => {
  it('fails fast with StoreUnreachableError naming host and port, never the password', async () => {
    // Port 1 on loopback is closed: the connection is refused at once.
    const error = await openPostgres('postgres://trader:s3cret@127.0.0.1:1/kitepilot', {
      connectTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnreachableError);
    const e = error as StoreUnreachableError;
    expect(e.message).toMatch(
      /cannot reach PostgreSQL at 127\.0\.0\.1:1\/kitepilot as user 'trader' \(ECONNREFUSED\)/,
    );
    expect(e.message).not.toContain('s3cret');
    expect({ host: e.host, port: e.port, retryable: e.retryable }).toEqual({
      host: '127.0.0.1',
      port: 1,
      retryable: true,
    });
    expect(e.cause).toBeDefined();
  });

  const gate = postgresTestGate();
  it.skipIf(!gate.enabled)('names the server and the SQLSTATE when the database does not exist', async () => {
    const url = new URL(gate.url ?? '');
    url.pathname = '/kp_no_such_database';
    const error = await openPostgres(url.toString()).catch((e: unknown) => e);
    expect(error).toMatchObject({ sqlState: '3D000' });
    expect((error as Error).message).toMatch(/PostgreSQL at .+\/kp_no_such_database refused user/);
  });
});
