// POST /api/backfill starts (or resumes) a backfill job in this process; GET /api/jobs/:runId (jobs.ts) reports it.
import type { FastifyInstance } from 'fastify';
import { formatIst, type JobRunId } from '@kitepilot/core';
import {
  BackfillRequestSchema,
  BackfillStartedSchema,
  type BackfillRequestBody,
  type BackfillStarted,
} from '@kitepilot/api-contract';
import { backfill } from '@kitepilot/market-data';
import { errorBody } from '../build-app.ts';
import { BackfillRequestError, prepareBackfill } from '../../market-data/backfill-runner.ts';
import type { RouteContext } from '../route-context.ts';
import { requestActor } from '../access.ts';

/**
 * Registers `POST /api/backfill` (202 with the job id; the backfill runs in the background, resumable, recorded in
 * job_runs; `GET /api/jobs/:runId` reports it). Closing the app stops running backfills before their next chunk and
 * waits for them.
 */
export function registerBackfillRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const running = new Map<JobRunId, { readonly done: Promise<void>; readonly abort: AbortController }>();
  const log = ctx.logger.child({ component: 'backfill' });

  app.addHook('onClose', async () => {
    for (const r of running.values()) r.abort.abort(new Error('the server is shutting down'));
    await Promise.allSettled([...running.values()].map((r) => r.done));
  });

  app.post<{ Body: BackfillRequestBody }>(
    '/api/backfill',
    {
      config: { access: 'operator' },
      schema: { body: BackfillRequestSchema, response: { 202: BackfillStartedSchema } },
    },
    async (request, reply) => {
      let prepared;
      try {
        prepared = await prepareBackfill({
          config: ctx.config,
          store: ctx.store,
          clock: ctx.clock,
          request: request.body,
        });
      } catch (error) {
        if (error instanceof BackfillRequestError) {
          const unavailable = error.kind === 'unavailable';
          return reply
            .status(unavailable ? 503 : 400)
            .send(errorBody(unavailable ? 'UNAVAILABLE' : 'VALIDATION_FAILED', error.message));
        }
        throw error;
      }
      const o = prepared.options;
      const alreadyRunning = running.has(o.jobRunId);
      if (!alreadyRunning) {
        const abort = new AbortController();
        const done = backfill({ ...o, signal: abort.signal }).then(
          (result) =>
            log.info(
              { jobRunId: o.jobRunId, written: result.written, candles: result.candles },
              'backfill done',
            ),
          (error: unknown) => log.error({ err: error, jobRunId: o.jobRunId }, 'backfill stopped'),
        );
        running.set(o.jobRunId, { done, abort });
        void done.finally(() => running.delete(o.jobRunId));
      }
      const body: BackfillStarted = {
        jobRunId: o.jobRunId,
        instrumentId: o.instrument.id,
        interval: o.interval,
        from: formatIst(o.fromMs),
        to: formatIst(o.toMs),
        resumes: prepared.resumes,
        alreadyRunning,
      };
      await ctx.store.audit.append({
        accountId: null,
        ts: ctx.clock.now(),
        kind: 'backfill.started',
        actor: requestActor(request),
        payload: { ...body },
      });
      return reply.status(202).send(body);
    },
  );
}
