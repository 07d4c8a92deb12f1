import {
  createThrowawayPostgresDatabase,
  migrate,
  PostgresDriver,
  postgresTestGate,
  type ThrowawayPostgresDatabase,
} from '@kitepilot/store';
import { afterAll, beforeAll, describe } from 'vitest';
import { keyRotationContract } from './key-rotation.contract.ts';

const gate = postgresTestGate();

describe.skipIf(!gate.enabled)('key rotation on PostgreSQL', () => {
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
  keyRotationContract(() => {
    if (driver === undefined) throw new Error('the PostgreSQL driver is not open yet');
    return driver;
  });
});
