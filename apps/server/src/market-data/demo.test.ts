// `kitepilot start --demo`: the simulated market recorded inside a running server, on its store and /metrics.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { calendarFromConfig } from '../calendar-from-config.ts';
import { loadConfig } from '../config/load-config.ts';
import { startKitePilot, type RunningKitePilot } from '../kitepilot-server.ts';
import { startDemo, type RunningDemo } from './demo.ts';

async function freePort(): Promise<number> {
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

let dir: string | null = null;
let server: RunningKitePilot | null = null;
let demo: RunningDemo | null = null;

afterEach(async () => {
  await demo?.close();
  await server?.close();
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  demo = null;
  server = null;
  dir = null;
});

describe('startDemo', () => {
  it('records the simulated market inside the server, reports it as simulated and writes nothing real', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-demo-'));
    const loaded = loadConfig({
      env: { KITEPILOT_STORAGE_DATA_DIR: dir },
      cwd: dir,
      overrides: { server: { host: '127.0.0.1', port: await freePort() } },
    });
    const logger = pino({ level: 'silent' });
    server = await startKitePilot({ loaded, logger });
    demo = await startDemo(server, {
      config: loaded.config,
      calendar: calendarFromConfig(loaded.config),
      logger,
      speed: 20,
    });
    await vi.waitFor(() => expect(demo?.status().ticksWritten).toBeGreaterThan(0), { timeout: 20_000 });
    const status = demo.status();
    expect(status).toMatchObject({ simulated: true, namespace: 'simulated', speed: 20, ticksQuarantined: 0 });
    expect(status.startedAtIst).toMatch(/T09:15:00\.000\+05:30$/);
    expect(status.simulatorRestUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/kitepilot_ingest_ticks_written_total\{namespace="simulated"\} [1-9]/);

    const summary = await demo.close();
    demo = null;
    expect(summary.ticksWritten).toBe(summary.ticksAccepted);
    const counts = await server.store.driver.query<{ namespace: string; n: number }>(
      'SELECT namespace, count(*)::int AS n FROM ticks GROUP BY namespace',
    );
    expect(counts.rows).toEqual([{ namespace: 'simulated', n: summary.ticksWritten }]);
    const real = await server.store.driver.query<{ n: number }>(
      "SELECT (SELECT count(*) FROM bars WHERE namespace = 'real') + (SELECT count(*) FROM instruments WHERE namespace = 'real') AS n",
    );
    expect(Number(real.rows[0]?.n)).toBe(0);
  });
});
