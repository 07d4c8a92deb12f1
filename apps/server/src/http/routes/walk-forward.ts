// Walk-forward studies over the API. `POST /api/walk-forward` checks the request, loads the bars and stores the
// study before answering 202 with its id; the study then runs in this process in the background (worker threads),
// saving each window as it finishes. `GET /api/walk-forward` lists the studies, `GET /api/walk-forward/:id` gives
// one with its windows and stitched out-of-sample result, and `POST /api/walk-forward/:id/resume` continues a study
// left unfinished (a restart, a crash). Closing the app stops running studies after the windows in progress; they
// stay resumable.
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  WalkForwardIdParamsSchema,
  WalkForwardListQuerySchema,
  WalkForwardListResponseSchema,
  WalkForwardRequestSchema,
  WalkForwardStartedSchema,
  WalkForwardStudySchema,
  type WalkForwardIdParams,
  type WalkForwardListQuery,
  type WalkForwardRequestBody,
  type WalkForwardStarted,
} from '@kitepilot/api-contract';
import { InvalidIdError, parseAccountId } from '@kitepilot/core';
import { StrategyConfigError } from '@kitepilot/engine';
import { BarFileError } from '@kitepilot/research';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import { BacktestSpecError } from '../../research/backtest-spec.ts';
import {
  createWalkForwardStudy,
  getStudy,
  runWalkForwardStudy,
  studyBody,
  studyConfigOf,
  studyRow,
  walkForwardSpecOf,
  WalkForwardNotFoundError,
  WalkForwardSpecError,
  type PreparedStudy,
  type WalkForwardServices,
} from '../../research/walk-forward/index.ts';
import {
  defaultWorkerCount,
  WalkForwardConfigError,
} from '../../research/walk-forward/walk-forward-research.ts';

const errors = { 400: { $ref: 'ErrorBody#' }, 404: { $ref: 'ErrorBody#' } } as const;

/** Errors that a request can fix: answered 400 with their message (each names the field and value). */
function isRequestError(error: unknown): error is Error {
  return (
    error instanceof WalkForwardSpecError ||
    error instanceof WalkForwardConfigError ||
    error instanceof BacktestSpecError ||
    error instanceof StrategyConfigError ||
    error instanceof BarFileError ||
    error instanceof InvalidIdError
  );
}

function replyError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof WalkForwardNotFoundError)
    return reply.status(404).send(errorBody('NOT_FOUND', error.message));
  if (isRequestError(error)) return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
  throw error;
}

/** Registers the walk-forward routes; studies run on the configured trading account. */
export function registerWalkForwardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const running = new Map<string, { readonly done: Promise<void>; readonly abort: AbortController }>();
  const log = ctx.logger.child({ component: 'walk-forward' });
  const services: WalkForwardServices = {
    store: ctx.store,
    accountId: parseAccountId(ctx.config.trading.account),
    calendar: ctx.calendar,
    now: () => ctx.clock.now(),
  };

  app.addHook('onClose', async () => {
    for (const r of running.values()) r.abort.abort(new Error('the server is shutting down'));
    await Promise.allSettled([...running.values()].map((r) => r.done));
  });

  /** Runs the study in the background unless it already runs here. */
  const start = (id: string, workers: number, prepared?: PreparedStudy): boolean => {
    if (running.has(id)) return false;
    const abort = new AbortController();
    const done = runWalkForwardStudy(id, services, {
      workers,
      signal: abort.signal,
      ...(prepared === undefined ? {} : { prepared }),
    }).then(
      (result) =>
        log.info(
          {
            studyId: id,
            status: result.study.status,
            computed: result.computed,
            interrupted: result.interrupted,
          },
          result.interrupted ? 'walk-forward study interrupted; resumable' : 'walk-forward study finished',
        ),
      (error: unknown) => log.error({ err: error, studyId: id }, 'walk-forward study stopped; resumable'),
    );
    running.set(id, { done, abort });
    void done.finally(() => running.delete(id));
    return true;
  };

  app.get<{ Querystring: WalkForwardListQuery }>(
    '/api/walk-forward',
    {
      config: { access: 'readonly' },
      schema: {
        querystring: WalkForwardListQuerySchema,
        response: { 200: WalkForwardListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const studies = await ctx.store.walkForward.list(services.accountId, request.query.limit ?? 50);
      return studies.map((s) => studyRow(s, running.has(s.id)));
    },
  );

  app.get<{ Params: WalkForwardIdParams }>(
    '/api/walk-forward/:id',
    {
      config: { access: 'readonly' },
      schema: { params: WalkForwardIdParamsSchema, response: { 200: WalkForwardStudySchema, ...errors } },
    },
    async (request, reply) => {
      try {
        const study = await getStudy(services, request.params.id);
        return studyBody(study, running.has(study.id));
      } catch (error) {
        return replyError(reply, error);
      }
    },
  );

  app.post<{ Body: WalkForwardRequestBody }>(
    '/api/walk-forward',
    {
      config: { access: 'operator' },
      schema: { body: WalkForwardRequestSchema, response: { 202: WalkForwardStartedSchema, ...errors } },
      // The validator drops unknown fields silently; a misspelt field must be refused instead, before that.
      preValidation: async (request, reply) => {
        const body = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
        const unknown = Object.keys(body).filter(
          (k) => !Object.hasOwn(WalkForwardRequestSchema.properties, k),
        );
        if (unknown.length === 0) return;
        const message = `unknown field ${unknown.join(', ')} in the walk-forward request`;
        return reply.status(400).send(errorBody('VALIDATION_FAILED', message, { fields: unknown }));
      },
    },
    async (request, reply) => {
      let prepared: PreparedStudy;
      try {
        prepared = await createWalkForwardStudy(walkForwardSpecOf(request.body), services);
      } catch (error) {
        return replyError(reply, error);
      }
      const workers = request.body.workers ?? defaultWorkerCount();
      start(prepared.id, workers, prepared);
      const body: WalkForwardStarted = {
        id: prepared.id,
        windowCount: prepared.config.windows.length,
        windowsDone: 0,
        candidates: prepared.config.candidates.length,
        workers,
        alreadyRunning: false,
      };
      return reply.status(202).send(body);
    },
  );

  app.post<{ Params: WalkForwardIdParams }>(
    '/api/walk-forward/:id/resume',
    {
      config: { access: 'operator' },
      schema: { params: WalkForwardIdParamsSchema, response: { 202: WalkForwardStartedSchema, ...errors } },
    },
    async (request, reply) => {
      try {
        const study = await getStudy(services, request.params.id);
        const config = studyConfigOf(study.id, study.config);
        const alreadyRunning = running.has(study.id);
        if (!alreadyRunning && study.status !== 'running') {
          throw new WalkForwardSpecError(
            `walk-forward study ${study.id} is already ${study.status}; nothing to resume`,
          );
        }
        const workers = defaultWorkerCount();
        start(study.id, workers);
        const body: WalkForwardStarted = {
          id: study.id,
          windowCount: study.windowCount,
          windowsDone: study.windowsDone,
          candidates: config.candidates.length,
          workers,
          alreadyRunning,
        };
        return await reply.status(202).send(body);
      } catch (error) {
        return replyError(reply, error);
      }
    },
  );
}
