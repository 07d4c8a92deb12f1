// Backtest runs of the configured account over the API: `GET /api/backtests` (newest first, with the runs queued,
// running, failed or aborted), `GET /api/backtests/:runId` (the stored result), `…/:runId/report` (the HTML report),
// `GET /api/backtests/compare?ids=…` (rows or HTML), `POST /api/backtests` (start a run: 202 and its id) and
// `DELETE /api/backtests/:runId`.
//
// A started run gets its `runs` row (status running, config `{ startedBy: 'api', spec }`) before the answer; runs
// execute one at a time in the order they were posted (a POST while one runs is queued, up to MAX_QUEUED), each in a
// worker thread so that a long backtest does not stall this process's event loop (the API, postbacks, a trading
// kernel). The worker runs the backtest service unchanged against a store whose calls it forwards to this thread;
// the run becomes `completed` only once its result is stored, else `failed` (or `aborted`) with `{ error }` as its
// summary. A run this server was working on when it stopped is marked aborted at the next start.
import { randomInt } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  BACKTEST_DATA_FIELDS,
  BACKTEST_REQUEST_FIELDS,
  BacktestComparisonSchema,
  BacktestCompareQuerySchema,
  BacktestDeletedSchema,
  BacktestListQuerySchema,
  BacktestListResponseSchema,
  BacktestRequestSchema,
  BacktestResultSchema,
  BacktestRunParamsSchema,
  BacktestStartedSchema,
  type BacktestCompareQuery,
  type BacktestComparisonBody,
  type BacktestDeleted,
  type BacktestListQuery,
  type BacktestRequestBody,
  type BacktestRunParams,
  type BacktestStarted,
  type BacktestStatus,
} from '@kitepilot/api-contract';
import {
  InvalidIdError,
  parseAccountId,
  parseRunId,
  SeededRandom,
  TimeRandomIdGenerator,
  type JsonValue,
  type RunId,
} from '@kitepilot/core';
import {
  compareResults,
  renderComparisonHtml,
  renderHtmlReport,
  type BacktestResult,
} from '@kitepilot/research';
import { type BacktestSpec } from '../../research/backtest-spec.ts';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import {
  MAX_QUEUED,
  RUN_SCAN,
  DEFAULT_LIMIT,
  MAX_COMPARED,
  BACKTEST_STRATEGY_ID,
  BacktestRequestError,
  apiMessage,
  unknownRequestFields,
  backtestSpecOf,
  checkBacktestSpec,
} from '../../research/backtest-request.ts';
import type { LiveStatus } from '../../research/backtest-rows.ts';
import { objectOf, stringOf, listBacktestRows } from '../../research/backtest-rows.ts';
import type {
  BacktestWorkerJob,
  WorkerMessage,
  ReplyMessage,
  WorkerOutcome,
  RunOutcome,
  Job,
} from '../../research/backtest-worker.ts';
import {
  WORKER_REPOSITORIES,
  WORKER_BOOTSTRAP,
  WORKER_MODULE_URL,
  tsxApiUrl,
  newJob,
} from '../../research/backtest-worker.ts';

// ---- Routes ----

const JSON_ERRORS = { 400: { $ref: 'ErrorBody#' }, 404: { $ref: 'ErrorBody#' } } as const;
// Documents the HTML answers; Fastify serializes only JSON answers by schema, so the page is sent as it is.
const HTML_PAGE = { type: 'string', description: 'a self-contained HTML page (text/html)' } as const;

/** A run id or name the API does not know. */
class BacktestNotFoundError extends Error {
  override readonly name = 'BacktestNotFoundError';
  readonly details: unknown;

  constructor(message: string, details: unknown = null) {
    super(message);
    this.details = details;
  }
}

/**
 * Registers the backtest routes (see the file header). Runs are stored under the configured trading account.
 * Closing the app stops the running backtest and the queued ones (marked aborted) and waits for them.
 */
export function registerBacktestRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const log = ctx.logger.child({ component: 'backtests' });
  const registry = builtinStrategies();
  const ids = new TimeRandomIdGenerator(ctx.clock, new SeededRandom(randomInt(2 ** 31)));
  const account = parseAccountId(ctx.config.trading.account);
  const queue: Job[] = [];
  let active: Job | null = null;
  let closing = false;

  const live: LiveStatus = (runId) => {
    if (active?.runId === runId) return 'running';
    return queue.some((j) => j.runId === runId) ? 'queued' : null;
  };

  const finishRun = async (runId: RunId, outcome: RunOutcome): Promise<void> => {
    try {
      await ctx.store.runs.finish(account, runId, outcome);
    } catch (error) {
      log.error({ err: error, runId }, 'could not record the end of a backtest run');
    }
  };

  const answerCall = async (job: Job, call: Extract<WorkerMessage, { type: 'call' }>): Promise<unknown> => {
    if (
      call.repo === 'runs' &&
      call.method === 'create' &&
      (call.args[1] as { id?: string })?.id === job.runId
    ) {
      // The row was created in status running when the run was posted.
      return ctx.store.runs.get(account, job.runId);
    }
    if (call.repo === 'runs' && call.method === 'finish' && call.args[1] === job.runId) {
      // Completed only once the result is stored too: applied after the worker reports done.
      job.completed = call.args[2] as RunOutcome;
      return ctx.store.runs.get(account, job.runId);
    }
    const repository = WORKER_REPOSITORIES.has(call.repo)
      ? (ctx.store as unknown as Record<string, Record<string, unknown>>)[call.repo]
      : undefined;
    const method = repository?.[call.method];
    if (typeof method !== 'function') {
      throw new Error(`store.${call.repo}.${call.method} is not available to a backtest worker`);
    }
    const value = await (method as (...args: unknown[]) => Promise<unknown>).apply(repository, call.args);
    if (call.repo === 'backtests' && call.method === 'save') {
      job.saved ||= (call.args[1] as { runId?: string })?.runId === job.runId;
    }
    return value;
  };

  const runInWorker = (job: Job): Promise<WorkerOutcome> => {
    let worker: Worker;
    try {
      const message: BacktestWorkerJob = {
        runId: job.runId,
        accountId: account,
        spec: job.spec,
        calendar: {
          addHolidays: ctx.config.calendar.addHolidays,
          removeHolidays: ctx.config.calendar.removeHolidays,
        },
      };
      worker = new Worker(WORKER_BOOTSTRAP, {
        eval: true,
        workerData: { tsxApiUrl: tsxApiUrl(), moduleUrl: WORKER_MODULE_URL, job: message },
      });
    } catch (error) {
      return Promise.resolve({
        kind: 'failed',
        message: `the backtest worker could not start: ${(error as Error).message}`,
      });
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: WorkerOutcome) => {
        if (settled) return;
        settled = true;
        job.stop = null;
        resolve(outcome);
        void worker.terminate();
      };
      job.stop = (reason) => settle({ kind: 'aborted', message: reason });
      worker.on('message', (message: WorkerMessage) => {
        // Nothing the worker still sends after its run ended (stopped, failed) may reach the store.
        if (settled) return;
        if (message.type === 'call') {
          const call = answerCall(job, message).then(
            (value) =>
              worker.postMessage({ type: 'reply', id: message.id, ok: true, value } satisfies ReplyMessage),
            (error: unknown) =>
              worker.postMessage({
                type: 'reply',
                id: message.id,
                ok: false,
                name: (error as Error).name,
                message: (error as Error).message,
              } satisfies ReplyMessage),
          );
          job.inflight.add(call);
          void call.finally(() => job.inflight.delete(call));
        } else if (message.type === 'done') {
          settle({ kind: 'done' });
        } else {
          const known = ['BacktestSpecError', 'StrategyConfigError', 'BarFileError', 'WorkerStartError'];
          settle({
            kind: 'failed',
            message: apiMessage(
              known.includes(message.name) ? message.message : `${message.name}: ${message.message}`,
            ),
          });
        }
      });
      worker.on('error', (error) =>
        settle({ kind: 'failed', message: `the backtest worker failed: ${error.message}` }),
      );
      worker.on('exit', (code) =>
        settle({
          kind: 'failed',
          message: `the backtest worker exited (code ${code}) before the run finished`,
        }),
      );
    });
  };

  const execute = async (job: Job): Promise<void> => {
    job.state = 'running';
    const outcome = await runInWorker(job);
    // A store call the worker made before it ended finishes before the run's status is written.
    await Promise.allSettled([...job.inflight]);
    if (outcome.kind === 'done') {
      if (job.saved) {
        await finishRun(
          job.runId,
          job.completed ?? { status: 'completed', finishedAt: ctx.clock.now(), summary: null },
        );
        log.info({ runId: job.runId }, 'backtest completed');
        return;
      }
      await finishRun(job.runId, {
        status: 'failed',
        finishedAt: ctx.clock.now(),
        summary: { error: 'the backtest finished without storing its result' },
      });
      return;
    }
    if (outcome.kind === 'aborted') {
      // A result saved just before the stop would contradict the aborted row.
      await ctx.store.backtests.delete(account, job.runId).catch(() => false);
    }
    log.warn(
      { runId: job.runId, outcome: outcome.kind, reason: outcome.message },
      'backtest did not complete',
    );
    await finishRun(job.runId, {
      status: outcome.kind,
      finishedAt: ctx.clock.now(),
      summary: { error: outcome.message },
    });
  };

  const drain = async (): Promise<void> => {
    if (active !== null) return;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      active = job;
      try {
        await execute(job);
      } catch (error) {
        log.error({ err: error, runId: job.runId }, 'backtest run failed outside the worker');
      } finally {
        active = null;
        job.settle();
      }
    }
  };

  app.addHook('onReady', async () => {
    // Runs this API started that were still running when the server stopped can no longer finish.
    for (const run of await ctx.store.runs.listRecent(account, RUN_SCAN)) {
      if (run.environment !== 'backtest' || run.status !== 'running') continue;
      if (objectOf(run.config)?.['startedBy'] !== 'api' || live(run.id) !== null) continue;
      await finishRun(run.id, {
        status: 'aborted',
        finishedAt: ctx.clock.now(),
        summary: { error: 'the server stopped before the run finished' },
      });
    }
  });

  app.addHook('onClose', async () => {
    closing = true;
    for (const job of queue.splice(0)) {
      await finishRun(job.runId, {
        status: 'aborted',
        finishedAt: ctx.clock.now(),
        summary: { error: 'the server stopped before the run started' },
      });
      job.settle();
    }
    const running = active;
    if (running !== null) {
      running.stop?.('the server stopped during the run');
      await running.finished;
    }
  });

  app.get<{ Querystring: BacktestListQuery }>(
    '/api/backtests',
    {
      config: { access: 'readonly' },
      schema: {
        querystring: BacktestListQuerySchema,
        response: { 200: BacktestListResponseSchema, ...JSON_ERRORS },
      },
    },
    async (request) =>
      listBacktestRows(
        ctx.store,
        account,
        {
          limit: request.query.limit ?? DEFAULT_LIMIT,
          ...(request.query.strategy === undefined ? {} : { strategy: request.query.strategy }),
        },
        live,
      ),
  );

  /** Returns the stored result of a run; throws BacktestNotFoundError saying why there is none. */
  const resultOf = async (runId: RunId): Promise<BacktestResult> => {
    const stored = live(runId) === null ? await ctx.store.backtests.get(account, runId) : null;
    if (stored !== null) return stored.result as unknown as BacktestResult;
    const run = await ctx.store.runs.get(account, runId);
    if (run === null || run.environment !== 'backtest') {
      throw new BacktestNotFoundError(`no backtest run ${runId} for account ${account}`);
    }
    const status: BacktestStatus = run.status === 'running' ? (live(runId) ?? 'running') : run.status;
    const error = stringOf(objectOf(run.summary)?.['error']);
    const why =
      status === 'completed'
        ? 'its result was deleted'
        : status === 'failed' || status === 'aborted'
          ? `it ${status === 'failed' ? 'failed' : 'was aborted'}: ${error ?? 'no reason recorded'}`
          : `it is ${status}`;
    throw new BacktestNotFoundError(`backtest ${runId} has no result: ${why}`, { runId, status, error });
  };

  app.get<{ Params: BacktestRunParams }>(
    '/api/backtests/:runId',
    {
      config: { access: 'readonly' },
      schema: { params: BacktestRunParamsSchema, response: { 200: BacktestResultSchema, ...JSON_ERRORS } },
    },
    async (request, reply) => {
      try {
        return await resultOf(parseRunId(request.params.runId));
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );

  app.get<{ Params: BacktestRunParams }>(
    '/api/backtests/:runId/report',
    {
      config: { access: 'readonly' },
      schema: { params: BacktestRunParamsSchema, response: { 200: HTML_PAGE, ...JSON_ERRORS } },
    },
    async (request, reply) => {
      try {
        const result = await resultOf(parseRunId(request.params.runId));
        return reply.type('text/html; charset=utf-8').send(renderHtmlReport(result));
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );

  app.get<{ Querystring: BacktestCompareQuery }>(
    '/api/backtests/compare',
    {
      config: { access: 'readonly' },
      schema: {
        querystring: BacktestCompareQuerySchema,
        response: { 200: BacktestComparisonSchema, ...JSON_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const runIds = compareIdsOf(request.query.ids);
        const results: BacktestResult[] = [];
        const missing: string[] = [];
        for (const runId of runIds) {
          const stored = await ctx.store.backtests.get(account, runId);
          if (stored === null) missing.push(runId);
          else results.push(stored.result as unknown as BacktestResult);
        }
        if (missing.length > 0) {
          throw new BacktestNotFoundError(`no stored backtest result for ${missing.join(', ')}`, { missing });
        }
        if (request.query.format === 'html') {
          return reply.type('text/html; charset=utf-8').send(renderComparisonHtml(results));
        }
        const body: BacktestComparisonBody = {
          runs: results.map((r) => ({
            runId: r.runId,
            strategy: r.strategy,
            params: r.params,
            configHash: r.configHash,
          })),
          rows: compareResults(results).map((row) => ({ ...row, values: [...row.values] })),
        };
        return body;
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );

  app.post<{ Body: BacktestRequestBody }>(
    '/api/backtests',
    {
      config: { access: 'operator' },
      schema: {
        body: BacktestRequestSchema,
        response: { 202: BacktestStartedSchema, 400: { $ref: 'ErrorBody#' }, 503: { $ref: 'ErrorBody#' } },
      },
      // The body schema would silently drop unknown fields (Fastify removes additional properties); refuse them.
      preValidation: async (request, reply) => {
        const unknown = unknownRequestFields(request.body);
        if (unknown.length === 0) return;
        const known = BACKTEST_REQUEST_FIELDS.join(', ');
        return reply
          .status(400)
          .send(
            errorBody(
              'VALIDATION_FAILED',
              `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (known: ${known}; data: ${BACKTEST_DATA_FIELDS.join(', ')})`,
              { unknown },
            ),
          );
      },
    },
    async (request, reply) => {
      let spec: BacktestSpec;
      try {
        spec = backtestSpecOf(request.body);
        await checkBacktestSpec(spec, registry);
      } catch (error) {
        return replyBacktestError(reply, error);
      }
      if (closing) {
        return reply.status(503).send(errorBody('UNAVAILABLE', 'the server is shutting down'));
      }
      if (queue.length >= MAX_QUEUED) {
        return reply
          .status(503)
          .send(
            errorBody(
              'UNAVAILABLE',
              `${queue.length} backtests are already waiting behind the running one; post again when one has finished`,
            ),
          );
      }
      if ((await ctx.store.accounts.get(account)) === null) {
        await ctx.store.accounts.create({ id: account, name: 'default', createdAt: ctx.clock.now() });
      }
      const runId = ids.next('run');
      await ctx.store.runs.create(account, {
        id: runId,
        environment: 'backtest',
        strategyId: BACKTEST_STRATEGY_ID,
        config: { startedBy: 'api', spec: spec as unknown as JsonValue },
        startedAt: ctx.clock.now(),
      });
      const job = newJob(runId, spec);
      queue.push(job);
      const status: BacktestStarted['status'] = active === null ? 'running' : 'queued';
      void drain();
      log.info({ runId, strategy: spec.strategy, status }, 'backtest posted');
      return reply.status(202).send({ runId, status } satisfies BacktestStarted);
    },
  );

  app.delete<{ Params: BacktestRunParams }>(
    '/api/backtests/:runId',
    {
      config: { access: 'operator' },
      schema: { params: BacktestRunParamsSchema, response: { 200: BacktestDeletedSchema, ...JSON_ERRORS } },
    },
    async (request, reply) => {
      const runId = parseRunId(request.params.runId);
      const queued = queue.findIndex((j) => j.runId === runId);
      if (queued >= 0) {
        const [job] = queue.splice(queued, 1);
        await finishRun(runId, {
          status: 'aborted',
          finishedAt: ctx.clock.now(),
          summary: { error: 'deleted before it started' },
        });
        job?.settle();
        return { runId, deleted: false, aborted: true } satisfies BacktestDeleted;
      }
      if (active?.runId === runId) {
        const job = active;
        job.stop?.('deleted while running');
        await job.finished;
        // The run may have completed before the stop reached it: then its result is deleted like any other.
        if ((await ctx.store.runs.get(account, runId))?.status === 'aborted') {
          return { runId, deleted: false, aborted: true } satisfies BacktestDeleted;
        }
      }
      if (await ctx.store.backtests.delete(account, runId)) {
        return { runId, deleted: true, aborted: false } satisfies BacktestDeleted;
      }
      try {
        await resultOf(runId);
        return reply.status(404).send(errorBody('NOT_FOUND', `backtest ${runId} has no result to delete`));
      } catch (error) {
        return replyBacktestError(reply, error);
      }
    },
  );
}

/** Returns the distinct run ids of `ids=run_a,run_b`; throws BacktestRequestError naming a bad one. */
export function compareIdsOf(text: string): RunId[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const runIds: RunId[] = [];
  for (const part of parts) {
    let runId: RunId;
    try {
      runId = parseRunId(part);
    } catch (error) {
      if (error instanceof InvalidIdError)
        throw new BacktestRequestError('ids', `has ${error.message}`, { cause: error });
      throw error;
    }
    if (runIds.includes(runId)) throw new BacktestRequestError('ids', `lists ${runId} twice`);
    runIds.push(runId);
  }
  if (runIds.length < 2 || runIds.length > MAX_COMPARED) {
    throw new BacktestRequestError('ids', `must name 2 to ${MAX_COMPARED} runs, not ${runIds.length}`);
  }
  return runIds;
}

function replyBacktestError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof BacktestRequestError) {
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message, { field: error.field }));
  }
  if (error instanceof BacktestNotFoundError) {
    return reply.status(404).send(errorBody('NOT_FOUND', error.message, error.details));
  }
  throw error;
}
