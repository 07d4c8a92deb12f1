// The entry of every WorkerPool thread: registers tsx's loader in this thread, then imports the pool's module.
// Node 20 does not apply `--import tsx` given in a Worker's execArgv, and a worker does not inherit the loader
// the main thread registered, so the TypeScript module could not load without this.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
