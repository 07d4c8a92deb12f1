import {
  createThrowawayPostgresDatabase,
  migrate,
  PostgresDriver,
  postgresTestGate,
  type ThrowawayPostgresDatabase,
} from '@kitepilot/store';
import { afterAll, beforeAll, describe } from 'vitest';
import { postbackReceiptsContract } from './postback-receipts.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('postback receipts on PostgreSQL', () => {
  let database: ThrowawayPostgresDatabase | undefined;
  let driver: PostgresDriver | undefined;
  beforeAll(async () => {
    database = await createThrowawayPostgresDatabase(gate.url ?? '');
    driver = new PostgresDriver(database.url);
    await migrate(driver);
  });
  afterAll(async () => {
    await driver?.close();
    await database?.drop();
  });
  postbackReceiptsContract(() => {
    if (driver === undefined) throw new Error('the PostgreSQL driver is not open yet');
    return driver;
  });
});
