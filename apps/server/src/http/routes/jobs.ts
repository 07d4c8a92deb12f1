// `GET /api/jobs?kind=&status=&limit=&cursor=` (job runs, newest first) and `GET /api/jobs/:runId` (one run with its
// phases): the scheduled jobs' log (table job_runs). Times in IST.
import type { FastifyInstance } from 'fastify';
import {
  JobRunDetailSchema,
  JobRunParamsSchema,
  JobsPageSchema,
  JobsQuerySchema,
  type JobPhaseRowBody,
  type JobRunParams,
  type JobRunRowBody,
  type JobsQuery,
} from '@kitepilot/api-contract';
import { formatIst, InvalidIdError, parseJobRunId, type JobRunPhase } from '@kitepilot/core';
import { SqlJobRunListRepository, type JobRunSummary } from '@kitepilot/store';
import type { RouteContext } from '../route-context.ts';
import { decodeCursor, pageLimit, pageOf } from './page-cursor.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';

/** Returns the API form of a job run summary. */
export function jobRunRow(run: JobRunSummary): JobRunRowBody {
  return {
    runId: run.jobRunId,
    kind: run.job,
    status: run.status,
    phases: run.phases,
    retries: run.retries,
    startedAt: formatIst(run.startedAt),
    finishedAt: run.finishedAt === null ? null : formatIst(run.finishedAt),
  };
}

/** Returns the API form of one phase of a job run. */
export function jobPhaseRow(phase: JobRunPhase): JobPhaseRowBody {
  return {
    phase: phase.phase,
    message: phase.message,
    isError: phase.isError,
    retries: phase.retries,
    startedAt: formatIst(phase.startedAt),
    finishedAt: phase.finishedAt === null ? null : formatIst(phase.finishedAt),
  };
}

/** Registers `GET /api/jobs` and `GET /api/jobs/:runId` (readonly). */
export function registerJobRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const runs = new SqlJobRunListRepository(ctx.store.driver);

  app.get<{ Querystring: JobsQuery }>(
    '/api/jobs',
    {
      config: { access: 'readonly' },
      schema: { querystring: JobsQuerySchema, response: { 200: JobsPageSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        const q = request.query;
        const limit = pageLimit(q.limit);
        const after = decodeCursor(q.cursor, ['number', 'string']);
        const rows = await runs.list({
          job: q.kind ?? null,
          status: q.status ?? null,
          after: after === null ? null : { startedAt: after[0] as number, jobRunId: after[1] as string },
          limit: limit + 1,
        });
        return pageOf(rows, limit, jobRunRow, (r) => [r.startedAt, r.jobRunId]);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.get<{ Params: JobRunParams }>(
    '/api/jobs/:runId',
    {
      config: { access: 'readonly' },
      schema: { params: JobRunParamsSchema, response: { 200: JobRunDetailSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        let id;
        try {
          id = parseJobRunId(request.params.runId);
        } catch (error) {
          if (!(error instanceof InvalidIdError)) throw error;
          throw new RouteError(400, 'VALIDATION_FAILED', error.message);
        }
        const run = await runs.get(id);
        if (run === null) throw new RouteError(404, 'NOT_FOUND', `job run ${id} does not exist`);
        const phases = await ctx.store.jobRuns.listByRun(id);
        return { run: jobRunRow(run), phases: phases.map(jobPhaseRow) };
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
