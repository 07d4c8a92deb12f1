// A fixed-size pool of worker threads running one TypeScript module (through tsx, see worker-boot.mjs) that answers
// tasks with serveTasks. Each worker runs one task at a time; tasks wait in a queue (urgent ones at its head).
// A task that throws in its worker rejects with TaskFailedError and the worker stays. A worker that dies (uncaught
// error, process.exit, out of memory) is replaced and its task is run once more; if it dies again the task rejects
// with WorkerDiedError. The pool's data (e.g. SharedArrayBuffer-backed bar columns) goes to every worker once, when
// it starts, not with each task.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What a WorkerPool takes. */
export interface WorkerPoolOptions {
  /** The module every worker imports; it calls serveTasks. */
  readonly module: URL;
  /** How many workers run at most (a whole number ≥ 1). */
  readonly size: number;
  /** Given to every worker (workerPoolData()); SharedArrayBuffers in it are shared, not copied. */
  readonly data?: unknown;
}

/** A task threw inside its worker; the message is the worker's. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
}

/** A task's worker died twice while running it (or the pool closed under it). */
export class WorkerDiedError extends Error {
  override readonly name = 'WorkerDiedError';
}

/** The messages between the pool and serveTasks. */
export interface TaskRequest {
  readonly id: number;
  readonly task: unknown;
}

/** A worker's answer to one task. */
export type TaskReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** What serveTasks posts once the worker's module has loaded. */
export interface WorkerReady {
  readonly ready: true;
}

/** Returns the default pool size: one less than the CPUs available to the process, at least 1. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Job {
  readonly id: number;
  readonly task: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  attempts: number;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  lastError: Error | null;
  /** True once the worker's module loaded and serves tasks. */
  ready: boolean;
}

/** Workers dying in a row before their module loaded: it cannot start, and the pool gives up. */
const MAX_START_FAILURES = 3;

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/** Runs tasks of type T in worker threads, answering R. */
export class WorkerPool<T, R> {
  readonly #options: WorkerPoolOptions;
  readonly #queue: Job[] = [];
  readonly #slots = new Set<Slot>();
  #nextId = 1;
  #closed = false;
  #started = 0;
  #died = 0;
  #startFailures = 0;
  #failure: WorkerDiedError | null = null;

  /** Creates the pool; workers start when tasks arrive. Throws a RangeError on a bad size. */
  constructor(options: WorkerPoolOptions) {
    if (!Number.isSafeInteger(options.size) || options.size < 1) {
      throw new RangeError(`a worker pool needs a whole number of workers ≥ 1, not ${options.size}`);
    }
    this.#options = options;
  }

  /** The most workers that run at once. */
  get size(): number {
    return this.#options.size;
  }

  /** How many workers were started and how many died, since the pool was made. */
  get stats(): { readonly started: number; readonly died: number } {
    return { started: this.#started, died: this.#died };
  }

  /** Why the pool gave up (its workers could not start), or null while it works. */
  get failure(): WorkerDiedError | null {
    return this.#failure;
  }

  /** Runs `task` in a worker; `urgent` puts it at the head of the queue. */
  run(task: T, options: { readonly urgent?: boolean } = {}): Promise<R> {
    if (this.#closed)
      return Promise.reject(this.#failure ?? new WorkerDiedError('the worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        task,
        resolve: resolve as (v: unknown) => void,
        reject,
        attempts: 0,
      };
      if (options.urgent === true) this.#queue.unshift(job);
      else this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Stops every worker; tasks queued or running reject with WorkerDiedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new WorkerDiedError('the worker pool is closed');
    for (const job of this.#queue.splice(0)) job.reject(closed);
    const slots = [...this.#slots];
    this.#slots.clear();
    for (const slot of slots) slot.job?.reject(closed);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** Rejects every task and stops the workers: the module cannot start. */
  #failAll(error: WorkerDiedError): void {
    this.#closed = true;
    this.#failure = error;
    for (const job of this.#queue.splice(0)) job.reject(error);
    const slots = [...this.#slots];
    this.#slots.clear();
    for (const slot of slots) {
      slot.job?.reject(error);
      void slot.worker.terminate();
    }
  }

  #dispatch(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.job === null) this.#assign(slot, this.#queue.shift() as Job);
    }
    while (this.#queue.length > 0 && this.#slots.size < this.#options.size) {
      this.#assign(this.#spawn(), this.#queue.shift() as Job);
    }
  }

  #assign(slot: Slot, job: Job): void {
    slot.job = job;
    job.attempts++;
    const request: TaskRequest = { id: job.id, task: job.task };
    slot.worker.postMessage(request);
  }

  #spawn(): Slot {
    const worker = new Worker(BOOT, {
      workerData: { module: this.#options.module.href, data: this.#options.data },
    });
    const slot: Slot = { worker, job: null, lastError: null, ready: false };
    this.#started++;
    this.#slots.add(slot);
    worker.on('message', (reply: TaskReply | WorkerReady) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.#startFailures = 0;
        return;
      }
      const job = slot.job;
      if (job === null || reply.id !== job.id) return;
      slot.job = null;
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new TaskFailedError(reply.message));
      this.#dispatch();
    });
    worker.on('error', (error: Error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code: number) => {
      if (!this.#slots.delete(slot) || this.#closed) return;
      this.#died++;
      const job = slot.job;
      const why = `exit code ${code}${slot.lastError === null ? '' : `: ${slot.lastError.message}`}`;
      if (!slot.ready) {
        // The module did not load: the task never ran, so this is not one of its attempts.
        if (job !== null) {
          job.attempts--;
          this.#queue.unshift(job);
        }
        if (++this.#startFailures >= MAX_START_FAILURES) {
          this.#failAll(new WorkerDiedError(`workers do not start (${why})`, { cause: slot.lastError }));
          return;
        }
      } else if (job !== null) {
        if (job.attempts < 2) this.#queue.unshift(job);
        else
          job.reject(
            new WorkerDiedError(`the worker died twice running this task (${why})`, {
              cause: slot.lastError,
            }),
          );
      }
      this.#dispatch();
    });
    return slot;
  }
}
