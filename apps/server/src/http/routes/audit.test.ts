import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NseCalendar, TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, SqlAuditRepository, type Store } from '@kitepilot/store';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAnchorPath } from '../../audit/audit-anchor.ts';
import { createTestOwner, sendTokenWith, testAuthDeps } from '../../auth/testing.ts';
import { PACK_ACCOUNT, PACK_DATE, seedDailyPackFixture } from '../../audit/daily-pack.testing.ts';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { buildApp } from '../build-app.ts';
import { createMetricsRegistry } from '../metrics.ts';
import { registerAuditRoutes } from './audit.ts';

describe('audit routes', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let base: number;
  const seq = (n: number) => base + n;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-audit-routes-'));
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    // The owner's creation is audited too: the fixture's records follow it.
    const owner = await createTestOwner(store);
    base = (await new SqlAuditRepository(store.driver).last())?.seq ?? 0;
    const { at } = await seedDailyPackFixture(store);
    const logger = createLogger({ level: 'silent' });
    const metrics = createMetricsRegistry();
    const config = loadConfig({
      env: {},
      overrides: { storage: { dataDir: dir }, trading: { account: 'acc_pack' } },
    }).config;
    app = buildApp({
      auth: testAuthDeps(store),
      logger,
      metrics,
      statusSource: { status: () => Promise.reject(new Error('status is not part of this test')) },
    });
    sendTokenWith(app, owner.token);
    registerAuditRoutes(app, {
      store,
      config,
      clock: new TestClock(at),
      calendar: new NseCalendar(),
      logger,
      metrics,
      trading: { current: null },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('lists the records of the account and the system in seq order, paged by cursor, with UTC and IST times', async () => {
    type Page = { items: { seq: number; ts: string; tsIst: string }[]; nextCursor: string | null };
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/api/audit?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(response.statusCode).toBe(200);
      const page = response.json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.seq));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(Array.from({ length: seq(5) }, (_, i) => i + 1));
    const day = (await get(`/api/audit?from=${PACK_DATE}&limit=1`)).json<Page>();
    expect(day.items[0]).toMatchObject({
      seq: seq(2),
      ts: '2026-11-23T04:45:00.000Z',
      tsIst: '2026-11-23T10:15:00.000+05:30',
      kind: 'risk.allowed',
    });
  });

  it('filters by IST day, instant, kind prefix and system records', async () => {
    const seqs = async (query: string) =>
      (await get(`/api/audit?${query}`)).json<{ items: { seq: number }[] }>().items.map((i) => i.seq);
    expect(await seqs(`from=${PACK_DATE}&to=${PACK_DATE}`)).toEqual([seq(2), seq(3), seq(4)]);
    expect(await seqs('from=2026-11-23T04:45:00.500Z')).toEqual([seq(3), seq(4), seq(5)]);
    expect(await seqs('from=2026-11-23T10:15:00.500%2B05:30&to=2026-11-23T10:15:00.950%2B05:30')).toEqual([
      seq(3),
    ]);
    expect(await seqs('kind=order.*')).toEqual([seq(3), seq(5)]);
    expect(await seqs('system=false')).toEqual([seq(2), seq(3), seq(5)]);
    expect(await seqs(`account=${PACK_ACCOUNT}&kind=system.started`)).toEqual([seq(1)]);
  });

  it('refuses bad filters, a foreign cursor and an unknown account with the error body', async () => {
    const bad = async (query: string, status: number, message: RegExp) => {
      const response = await get(`/api/audit?${query}`);
      expect(response.statusCode, query).toBe(status);
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(message);
    };
    await bad('from=not-a-time', 400, /from "not-a-time" is neither an IST date/);
    await bad('from=2026-11-31', 400, /from: date "2026-11-31" is not a calendar date/);
    await bad('from=2026-11-24&to=2026-11-23', 400, /to 2026-11-23 is not after from 2026-11-24/);
    await bad('cursor=bm90LWEtY3Vyc29y', 400, /is not a cursor this list issued/);
    // The guard refuses an account the caller may not use before the route looks it up.
    await bad('account=acc_nobody', 403, /acc_nobody/);
    await bad('kind=order;drop', 400, /kind/);
    await bad('limit=5000', 400, /limit/);
  });

  it('verifies the chain, moves the anchor, and then sees a deleted last record', async () => {
    const ok = await get('/api/audit/verify');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      ok: true,
      fromSeq: 1,
      count: seq(5),
      lastSeq: seq(5),
      anchor: null,
      anchorAdvanced: true,
    });
    const anchor = JSON.parse(readFileSync(auditAnchorPath(dir), 'utf8')) as { seq: number };
    expect(anchor.seq).toBe(seq(5));
    expect((await get(`/api/audit/verify?fromSeq=${seq(4)}`)).json()).toMatchObject({
      ok: true,
      count: 2,
      anchorChecked: true,
    });

    await store.driver.transaction(async (tx) => {
      await tx.exec('SET LOCAL session_replication_role = replica');
      await tx.exec(`DELETE FROM audit_events WHERE seq = ${seq(5)}`);
    });
    const truncated = await get('/api/audit/verify');
    expect(truncated.json()).toMatchObject({
      ok: false,
      seq: seq(5),
      kind: 'truncated',
      count: seq(4),
      anchor: { seq: seq(5) },
      anchorAdvanced: false,
    });
    // The anchor stays where it was: a later verification still reports the loss.
    expect(JSON.parse(readFileSync(auditAnchorPath(dir), 'utf8'))).toMatchObject({ seq: seq(5) });
    expect((await get('/api/audit/verify?fromSeq=99')).statusCode).toBe(400);

    writeFileSync(auditAnchorPath(dir), 'not json');
    const damaged = await get('/api/audit/verify');
    expect(damaged.statusCode).toBe(409);
    expect(damaged.json()).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/anchor.json is not JSON/) },
    });
  });

  it('refuses a caller without a valid token', async () => {
    for (const url of ['/api/audit', '/api/audit/verify', `/api/daily-pack?date=${PACK_DATE}`]) {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: 'Bearer kp_wrong' },
      });
      expect(response.statusCode, url).toBe(401);
    }
  });

  it('serves the daily pack as a ZIP and refuses a bad date or unknown account', async () => {
    const response = await get(`/api/daily-pack?date=${PACK_DATE}&account=${PACK_ACCOUNT}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="kitepilot-daily-pack-2026-11-23-acc_pack.zip"',
    );
    const files = unzipSync(new Uint8Array(response.rawPayload));
    expect(JSON.parse(strFromU8(files['manifest.json'] as Uint8Array))).toMatchObject({
      date: PACK_DATE,
      accountId: PACK_ACCOUNT,
    });
    expect((await get('/api/daily-pack?date=2026-02-30')).json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect((await get('/api/daily-pack?date=23-11-2026')).statusCode).toBe(400);
    expect((await get(`/api/daily-pack?date=${PACK_DATE}&account=acc_nobody`)).statusCode).toBe(403);
  });
});
