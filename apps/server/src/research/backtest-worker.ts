// Running a posted backtest in a worker thread: the worker runs the backtest service unchanged against a store whose
// calls it forwards to the server's thread (only the repositories the service uses).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type MessagePort } from 'node:worker_threads';
import { NseCalendar, type AccountId, type RunId } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { runBacktestSpec } from './backtest-service.ts';
import { type BacktestSpec } from './backtest-spec.ts';
import { builtinStrategies } from '../trading/builtin-strategies.ts';

/** What a backtest worker gets: the run, its spec and the calendar overrides. */
export interface BacktestWorkerJob {
  readonly runId: string;
  readonly accountId: AccountId;
  readonly spec: BacktestSpec;
  readonly calendar: Pick<Config['calendar'], 'addHolidays' | 'removeHolidays'>;
}

export type WorkerMessage =
  | {
      readonly type: 'call';
      readonly id: number;
      readonly repo: string;
      readonly method: string;
      readonly args: unknown[];
    }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };

export type ReplyMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: false;
      readonly name: string;
      readonly message: string;
    };

/** The store repositories a backtest worker may call through this thread. */
export const WORKER_REPOSITORIES = new Set(['accounts', 'instruments', 'bars', 'runs', 'backtests']);

/** Returns a Store whose repository calls are posted to the thread that owns the real store. */
export function forwardingStore(port: MessagePort): Store {
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  port.on('message', (message: ReplyMessage) => {
    const call = calls.get(message.id);
    if (call === undefined) return;
    calls.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(Object.assign(new Error(message.message), { name: message.name }));
  });
  const repository = (repo: string): object =>
    new Proxy(
      {},
      {
        get: (_target, method) =>
          typeof method !== 'string' || method === 'then'
            ? undefined
            : (...args: unknown[]) =>
                new Promise((resolve, reject) => {
                  const id = next++;
                  calls.set(id, { resolve, reject });
                  port.postMessage({ type: 'call', id, repo, method, args } satisfies WorkerMessage);
                }),
      },
    );
  return new Proxy(
    {},
    { get: (_target, repo) => (typeof repo !== 'string' || repo === 'then' ? undefined : repository(repo)) },
  ) as Store;
}

/** Runs one backtest inside a worker thread, its store calls forwarded through `port`; reports done or failed. */
export async function runBacktestWorker(port: MessagePort, job: BacktestWorkerJob): Promise<void> {
  try {
    await runBacktestSpec(job.spec, {
      registry: builtinStrategies(),
      calendar: new NseCalendar({
        holidays: job.calendar.addHolidays,
        removeHolidays: job.calendar.removeHolidays,
      }),
      store: forwardingStore(port),
      accountId: job.accountId,
      newRunId: () => job.runId,
    });
    port.postMessage({ type: 'done' } satisfies WorkerMessage);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ type: 'failed', name: e.name, message: e.message } satisfies WorkerMessage);
  }
}

/** This module's URL: the worker imports runBacktestWorker from it. */
export const WORKER_MODULE_URL = import.meta.url;

// The worker's entry, a CommonJS script: tsx's loader is registered in the worker first, because on Node 20 a
// worker does not inherit the module hooks of the thread that started it, and this module is TypeScript.
export const WORKER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsxApiUrl);
  register();
  const { runBacktestWorker } = await import(workerData.moduleUrl);
  await runBacktestWorker(parentPort, workerData.job);
})().catch((error) => {
  parentPort.postMessage({ type: 'failed', name: 'WorkerStartError', message: 'the backtest worker could not start: ' + (error && error.message) });
});
`;

let tsxApi: string | null = null;

/** Returns the file URL of tsx's ESM API (`tsx/esm/api`, import condition). */
export function tsxApiUrl(): string {
  if (tsxApi !== null) return tsxApi;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require('tsx/package.json') as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = manifest.exports?.['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (file === undefined) throw new Error(`${manifestPath} exports no ESM tsx/esm/api entry`);
  tsxApi = new URL(file, pathToFileURL(manifestPath)).href;
  return tsxApi;
}

/** How a worker run ended. */
export type WorkerOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string };

export type RunOutcome = Parameters<Store['runs']['finish']>[2];

/** One posted run. */
export interface Job {
  readonly runId: RunId;
  readonly spec: BacktestSpec;
  state: 'queued' | 'running';
  /** Stops the worker of a running job, which then ends aborted with `reason`. */
  stop: ((reason: string) => void) | null;
  /** The outcome the service asked to store for the run; applied once its result is stored. */
  completed: RunOutcome | null;
  /** True once the worker stored the run's result. */
  saved: boolean;
  readonly inflight: Set<Promise<unknown>>;
  readonly finished: Promise<void>;
  readonly settle: () => void;
}

export function newJob(runId: RunId, spec: BacktestSpec): Job {
  let settle = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return {
    runId,
    spec,
    state: 'queued',
    stop: null,
    completed: null,
    saved: false,
    inflight: new Set(),
    finished,
    settle,
  };
}
