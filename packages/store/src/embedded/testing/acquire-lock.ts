// Child script: waits for a line on stdin, then tries to take the data-directory lock of argv[2] and reports
// `WON <pid>` or `LOST <error name> <message>`; a winner keeps the lock until it is killed.
import { createInterface } from 'node:readline';
import { acquireDataDirLock } from '../data-dir-lock.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: acquire-lock.ts <dataDir> [--now]');
const now = process.argv.includes('--now');

async function attempt(): Promise<void> {
  try {
    await acquireDataDirLock(dataDir as string, { version: 'test' });
    process.stdout.write(`WON ${process.pid}\n`);
  } catch (error) {
    const e = error as Error;
    process.stdout.write(`LOST ${e.name} ${e.message}\n`);
  }
}

if (now) {
  void attempt();
} else {
  process.stdout.write('READY\n');
  createInterface({ input: process.stdin }).once('line', () => void attempt());
}
// Stay alive (holding the lock if won) until the parent kills us.
setInterval(() => undefined, 60_000);
