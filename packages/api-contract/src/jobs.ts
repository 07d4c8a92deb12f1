import { Type, type Static } from '@sinclair/typebox';
import { PageCursorParam, PageLimitParam, PageSchema } from './pagination.ts';

// Reads of the scheduled job runs (instrument sync, backfill, gap repair, retention, …): each run with its phases.

const JobRunStatus = Type.Union(
  [Type.Literal('failed'), Type.Literal('running'), Type.Literal('succeeded')],
  {
    description: 'failed: a phase failed; running: a phase is still open; succeeded: every phase finished',
  },
);

/** `GET /api/jobs` query. */
export const JobsQuerySchema = Type.Object(
  {
    kind: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'only runs of this job (e.g. instruments-sync)',
      }),
    ),
    status: Type.Optional(JobRunStatus),
    limit: Type.Optional(PageLimitParam),
    cursor: Type.Optional(PageCursorParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/jobs`. */
export type JobsQuery = Static<typeof JobsQuerySchema>;

/** `GET /api/jobs/:runId` path parameters. */
export const JobRunParamsSchema = Type.Object(
  { runId: Type.String({ minLength: 1, maxLength: 60, description: 'the job run id, job_…' }) },
  { additionalProperties: false },
);

/** The path parameters of `GET /api/jobs/:runId`. */
export type JobRunParams = Static<typeof JobRunParamsSchema>;

const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });

/** One job run summed over its phases. */
export const JobRunRowSchema = Type.Object(
  {
    runId: Type.String(),
    kind: Type.String({ description: 'the job' }),
    status: JobRunStatus,
    phases: Type.Integer(),
    retries: Type.Integer({ description: 'retries over all phases' }),
    startedAt: IstTime,
    finishedAt: Type.Union([IstTime, Type.Null()], { description: 'null while a phase is open' }),
  },
  { additionalProperties: false },
);

/** A job run as the API lists it. */
export type JobRunRowBody = Static<typeof JobRunRowSchema>;

/** One phase of a job run. */
export const JobPhaseRowSchema = Type.Object(
  {
    phase: Type.String(),
    message: Type.String(),
    isError: Type.Boolean(),
    retries: Type.Integer(),
    startedAt: IstTime,
    finishedAt: Type.Union([IstTime, Type.Null()]),
  },
  { additionalProperties: false },
);

/** A job phase as the API returns it. */
export type JobPhaseRowBody = Static<typeof JobPhaseRowSchema>;

/** `GET /api/jobs/:runId`: the run and its phases in start order. */
export const JobRunDetailSchema = Type.Object(
  { run: JobRunRowSchema, phases: Type.Array(JobPhaseRowSchema) },
  { additionalProperties: false },
);

/** The body of `GET /api/jobs/:runId`. */
export type JobRunDetailBody = Static<typeof JobRunDetailSchema>;

/** `GET /api/jobs`: a page of job runs, newest first. */
export const JobsPageSchema = PageSchema(JobRunRowSchema);

/** A page of job runs. */
export type JobsPage = Static<typeof JobsPageSchema>;
