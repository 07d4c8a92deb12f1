// The worker side of WorkerPool: answers each task posted by the pool with the handler's value, or with the
// message of what it threw (the worker stays up for the next task). It tells the pool once it is ready, so that
// the pool knows a worker that dies before that cannot load its module.
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskReply, TaskRequest, WorkerReady } from './worker-pool.ts';

/** Answers the pool's tasks with `handle`; throws when not called in a pool's worker thread. */
export function serveTasks<T, R>(handle: (task: T) => R | Promise<R>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveTasks runs only inside a WorkerPool worker thread');
  port.on('message', (request: TaskRequest) => {
    void (async () => {
      let reply: TaskReply;
      try {
        reply = { id: request.id, ok: true, value: await handle(request.task as T) };
        port.postMessage(reply);
      } catch (error) {
        reply = {
          id: request.id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        };
        port.postMessage(reply);
      }
    })();
  });
  const ready: WorkerReady = { ready: true };
  port.postMessage(ready);
}

/** Returns the data the pool gave this worker (WorkerPoolOptions.data). */
export function workerPoolData<D>(): D {
  return (workerData as { readonly data: D }).data;
}
