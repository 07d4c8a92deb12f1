import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '@kitepilot/api-contract';
import { TestClock } from '@kitepilot/core';
import { loadConfig } from './config/load-config.ts';
import { startKitePilot, type RunningKitePilot } from './kitepilot-server.ts';
import { createLogger } from './logger.ts';
import { bearer, createTestOwner } from './auth/testing.ts';

/** Collects log lines so that a test can check what the process wrote. */
function memoryLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

const running: RunningKitePilot[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string>, clock?: TestClock, existingDir?: string) {
  const dataDir = existingDir ?? mkdtempSync(join(tmpdir(), 'kp-server-'));
  if (existingDir === undefined) dirs.push(dataDir);
  const loaded = loadConfig({
    env: {
      KITEPILOT_STORAGE_DATA_DIR: dataDir,
      KITEPILOT_SERVER_PORT: '1',
      KITEPILOT_LOG_LEVEL: 'info',
      ...env,
    },
    cwd: dataDir,
    overrides: { server: { port: await freePort() } },
  });
  const { logger, lines } = memoryLogger();
  const server = await startKitePilot({ loaded, logger, ...(clock ? { clock } : {}) });
  running.push(server);
  return { server, lines, loaded, dataDir };
}

/** Returns `/status` as an owner with an API token sees it (anonymous callers get 401). */
async function statusOf(server: RunningKitePilot): Promise<Status> {
  const anonymous = await fetch(`${server.url}/status`);
  expect(anonymous.status).toBe(401);
  const { token } = await createTestOwner(server.store);
  const response = await fetch(`${server.url}/status`, { headers: bearer(token) });
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

describe('startKitePilot', () => {
  it('serves /health on embedded storage', async () => {
    const { server } = await start({});
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('reports version, uptime, store, config hash and the market phase on /status', async () => {
    // Monday 23 Nov 2026, 10:00 IST = 04:30 UTC: a trading day in the continuous session.
    const clock = new TestClock(Date.UTC(2026, 10, 23, 4, 30, 0));
    const { server, loaded, dataDir } = await start({}, clock);
    clock.advanceTo(Date.UTC(2026, 10, 23, 4, 31, 5));
    const status = await statusOf(server);
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.uptimeSeconds).toBe(65);
    expect(status.configHash).toBe(loaded.hash);
    expect(status.store).toMatchObject({ kind: 'embedded', location: dataDir, durable: true });
    expect(status.store.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(status.market).toMatchObject({
      date: '2026-11-23',
      tradingDay: true,
      holiday: null,
      nowIst: '2026-11-23T10:01:05.000+05:30',
      phase: { equity: 'continuous', fno: 'continuous' },
    });
  });

  it('names the holiday on /status on an NSE holiday', async () => {
    const clock = new TestClock(Date.UTC(2026, 10, 24, 4, 30, 0));
    const { server } = await start({}, clock);
    const status = await statusOf(server);
    expect(status.market).toMatchObject({
      tradingDay: false,
      holiday: 'Prakash Gurpurb Sri Guru Nanak Dev',
      phase: { equity: 'closed', fno: 'closed' },
    });
  });

  it('serves Prometheus metrics on /metrics', async () => {
    const { server } = await start({});
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toMatch(/^kitepilot_process_cpu_seconds_total /m);
  });

  it('answers an unknown route with the error body', async () => {
    const { server } = await start({});
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route GET /nope', details: null },
    });
  });

  it('records each start and stop in the audit log with the config snapshot and hash', async () => {
    const first = await start({});
    await first.server.close();
    running.splice(running.indexOf(first.server), 1);
    const again = await start({}, undefined, first.dataDir);
    const events = await again.server.store.audit.read(0, 10);
    // The second start listens on another free port: its configuration changed, and the change is recorded.
    expect(events.map((e) => e.kind)).toEqual([
      'system.started',
      'system.stopped',
      'config.changed',
      'system.started',
    ]);
    expect(events[0]?.payload).toMatchObject({
      configHash: first.loaded.hash,
      config: first.loaded.snapshot,
    });
    expect(events[2]?.payload).toMatchObject({
      source: 'start',
      previousHash: first.loaded.hash,
      configHash: again.loaded.hash,
      changes: [expect.objectContaining({ key: 'server.port' })],
    });
    expect(await again.server.store.audit.verify()).toMatchObject({ ok: true, count: 4 });
  });

  it('stops with a clear error when the port is taken, releasing the data directory', async () => {
    const first = await start({});
    const port = Number(new URL(first.server.url).port);
    const dataDir = mkdtempSync(join(tmpdir(), 'kp-server-'));
    dirs.push(dataDir);
    const loaded = loadConfig({
      env: { KITEPILOT_STORAGE_DATA_DIR: dataDir },
      cwd: dataDir,
      overrides: { server: { port } },
    });
    const { logger } = memoryLogger();
    await expect(startKitePilot({ loaded, logger })).rejects.toThrow(
      `cannot listen on 127.0.0.1:${port}: the port is already in use`,
    );
    // The data directory was released: a new server can own it.
    const again = await startKitePilot({
      loaded: loadConfig({
        env: { KITEPILOT_STORAGE_DATA_DIR: dataDir },
        cwd: dataDir,
        overrides: { server: { port: await freePort() } },
      }),
      logger,
    });
    running.push(again);
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
  });

  it('fails on an unreachable PostgreSQL without revealing its password or falling back', async () => {
    const { logger, lines } = memoryLogger();
    const loaded = loadConfig({
      env: { DATABASE_URL: 'postgres://kp:hunter2-secret@127.0.0.1:1/none' },
      cwd: tmpdir(),
    });
    const error = await startKitePilot({ loaded, logger }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/127\.0\.0\.1:1/);
    expect(String(error?.message)).not.toContain('hunter2-secret');
    expect(lines.join('\n')).not.toContain('hunter2-secret');
  });
});
