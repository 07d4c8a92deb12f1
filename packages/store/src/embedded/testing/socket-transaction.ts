// Child script: connects with `pg` to the local socket argv[2], opens a transaction, inserts id argv[3] into
// `intents`, prints `IN-TRANSACTION` and waits to be killed without committing.
import pg from 'pg';
import { localSocketConnection } from '../local-socket-server.ts';

const [socketPath, idText] = process.argv.slice(2);
if (socketPath === undefined || idText === undefined)
  throw new Error('usage: socket-transaction.ts <socket> <id>');
const client = new pg.Client({
  ...localSocketConnection(socketPath),
  user: 'postgres',
  database: 'postgres',
});
await client.connect();
await client.query('BEGIN');
await client.query('INSERT INTO intents (id, note) VALUES ($1, $2)', [Number(idText), 'never committed']);
process.stdout.write('IN-TRANSACTION\n');
setInterval(() => undefined, 60_000);
