import { parseJobRunId } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTestApp, TEST_NOW, type ApiTestApp } from './api-test-app.ts';
import { registerJobRoutes } from './jobs.ts';

const MIN = 60_000;

describe('job routes', () => {
  let t: ApiTestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.as('readonly') });
  type Page = { items: { runId: string; kind: string; status: string }[]; nextCursor: string | null };

  beforeAll(async () => {
    t = await apiTestApp(registerJobRoutes);
    const jobs = t.store.jobRuns;
    const run = async (
      id: string,
      job: string,
      startMin: number,
      phases: readonly { phase: string; error?: boolean; open?: boolean }[],
    ) => {
      for (const [i, p] of phases.entries()) {
        const startedAt = TEST_NOW + (startMin + i) * MIN;
        await jobs.startPhase({ jobRunId: parseJobRunId(id), job, phase: p.phase, startedAt });
        if (p.open !== true) {
          await jobs.finishPhase(parseJobRunId(id), p.phase, {
            finishedAt: startedAt + 30_000,
            message: p.error === true ? 'broker answered 503' : 'ok',
            isError: p.error === true,
            retries: p.error === true ? 3 : 0,
          });
        }
      }
    };
    await run('job_sync1', 'instruments-sync', 0, [{ phase: 'download' }, { phase: 'store' }]);
    await run('job_fill1', 'backfill', 10, [{ phase: 'fetch', error: true }]);
    await run('job_sync2', 'instruments-sync', 20, [{ phase: 'download' }, { phase: 'store', open: true }]);
    await run('job_ret1', 'retention', 30, [{ phase: 'ticks' }]);
  });
  afterAll(async () => t.close());

  it('lists runs newest first with their status summed over phases, in IST', async () => {
    const response = await get('/api/jobs');
    expect(response.statusCode).toBe(200);
    const page = response.json<
      Page & { items: { startedAt: string; finishedAt: string | null; retries: number }[] }
    >();
    expect(page.items.map((r) => [r.runId, r.status])).toEqual([
      ['job_ret1', 'succeeded'],
      ['job_sync2', 'running'],
      ['job_fill1', 'failed'],
      ['job_sync1', 'succeeded'],
    ]);
    expect(page.items[3]).toMatchObject({
      kind: 'instruments-sync',
      phases: 2,
      startedAt: '2026-11-23T10:00:00.000+05:30',
      finishedAt: '2026-11-23T10:01:30.000+05:30',
    });
    expect(page.items[1]?.finishedAt).toBeNull();
    expect(page.items[2]?.retries).toBe(3);
  });

  it('filters by kind and status', async () => {
    const ids = async (url: string) => (await get(url)).json<Page>().items.map((r) => r.runId);
    expect(await ids('/api/jobs?kind=instruments-sync')).toEqual(['job_sync2', 'job_sync1']);
    expect(await ids('/api/jobs?status=failed')).toEqual(['job_fill1']);
    expect(await ids('/api/jobs?kind=instruments-sync&status=succeeded')).toEqual(['job_sync1']);
    expect(await ids('/api/jobs?kind=nothing')).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const first = (await get('/api/jobs?limit=3')).json<Page>();
    expect(first.items.map((r) => r.runId)).toEqual(['job_ret1', 'job_sync2', 'job_fill1']);
    expect(first.nextCursor).not.toBeNull();
    const second = (await get(`/api/jobs?limit=3&cursor=${first.nextCursor ?? ''}`)).json<Page>();
    expect(second.items.map((r) => r.runId)).toEqual(['job_sync1']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a bad status, a cursor of another list and a malformed cursor', async () => {
    expect((await get('/api/jobs?status=done')).statusCode).toBe(400);
    const instrumentCursor = Buffer.from(JSON.stringify(['INFY.NSE'])).toString('base64url');
    const wrong = await get(`/api/jobs?cursor=${instrumentCursor}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await get('/api/jobs?cursor=%7B%7D')).statusCode).toBe(400);
  });

  it('returns one run with its phases', async () => {
    const response = await get('/api/jobs/job_fill1');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      run: {
        runId: 'job_fill1',
        kind: 'backfill',
        status: 'failed',
        phases: 1,
        retries: 3,
        startedAt: '2026-11-23T10:10:00.000+05:30',
        finishedAt: '2026-11-23T10:10:30.000+05:30',
      },
      phases: [
        {
          phase: 'fetch',
          message: 'broker answered 503',
          isError: true,
          retries: 3,
          startedAt: '2026-11-23T10:10:00.000+05:30',
          finishedAt: '2026-11-23T10:10:30.000+05:30',
        },
      ],
    });
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    const unknown = await get('/api/jobs/job_nothing');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/job_nothing/) },
    });
    const malformed = await get('/api/jobs/run_abc');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
