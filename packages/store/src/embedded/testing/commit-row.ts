// Child script: opens the embedded store in argv[2] as owner (durable when argv[4] is `durable`), inserts the row
// with id argv[3] and commits, prints `COMMITTED <id>` and then waits to be killed.
import { openEmbeddedStore } from '../open-embedded.ts';

const [dataDir, idText, mode] = process.argv.slice(2);
if (dataDir === undefined || idText === undefined)
  throw new Error('usage: commit-row.ts <dataDir> <id> [durable]');
const store = await openEmbeddedStore({
  dataDir,
  role: 'owner',
  durable: mode === 'durable',
  version: 'test',
});
await store.driver.exec('CREATE TABLE IF NOT EXISTS intents (id integer PRIMARY KEY, note text NOT NULL)');
await store.driver.transaction(async (tx) => {
  await tx.query('INSERT INTO intents (id, note) VALUES ($1, $2)', [
    Number(idText),
    'committed before kill -9',
  ]);
});
process.stdout.write(`COMMITTED ${idText}\n`);
setInterval(() => undefined, 60_000);
