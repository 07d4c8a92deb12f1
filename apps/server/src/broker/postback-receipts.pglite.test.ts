import { PGlite } from '@electric-sql/pglite';
import { migrate, PgliteDriver } from '@kitepilot/store';
import { afterAll, beforeAll } from 'vitest';
import { postbackReceiptsContract } from './postback-receipts.contract.ts';

let driver: PgliteDriver | undefined;
beforeAll(async () => {
  driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
});
afterAll(() => driver?.close());

postbackReceiptsContract(() => {
  if (driver === undefined) throw new Error('the PGlite driver is not open yet');
  return driver;
});
