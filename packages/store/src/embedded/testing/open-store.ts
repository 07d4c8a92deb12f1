// Child script: opens the embedded store in argv[2] with role argv[3], prints `OPENED <access>` and the rows of
// `SELECT id FROM intents` as `ROWS <json>` (client role), or `FAILED <error name> <message>`; then exits, or with
// `--stay` keeps the store open until killed.
import { openEmbeddedStore } from '../open-embedded.ts';

const [dataDir, role] = process.argv.slice(2);
if (dataDir === undefined || (role !== 'owner' && role !== 'client')) {
  throw new Error('usage: open-store.ts <dataDir> owner|client [--stay]');
}
try {
  const store = await openEmbeddedStore({ dataDir, role, version: 'test' });
  process.stdout.write(`OPENED ${store.access}\n`);
  if (role === 'client') {
    await store.driver.query('INSERT INTO intents (id, note) VALUES ($1, $2)', [
      process.pid,
      'from a client',
    ]);
    const { rows } = await store.driver.query<{ id: number }>('SELECT id FROM intents ORDER BY id');
    process.stdout.write(`ROWS ${JSON.stringify(rows.map((row) => row.id))}\n`);
  }
  if (process.argv.includes('--stay')) {
    setInterval(() => undefined, 60_000);
  } else {
    await store.close();
  }
} catch (error) {
  const e = error as Error;
  process.stdout.write(`FAILED ${e.name} ${e.message}\n`);
  process.exitCode = 1;
}
