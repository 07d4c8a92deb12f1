// `startKitePilot` with trading configured: the start-up decisions of `kitepilot start` (broker trading with a
// stored simulator session and a clock offset, postbacks through the server's route, idle without a session, the
// clock offset refused with a real session, paper trading on the demo market).
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { istToEpochMs } from '@kitepilot/core';
import { startKiteSim } from '@kitepilot/kite-sim';
import { OffsetClock, SystemClock } from '@kitepilot/runtime';
import { createStore, migrate } from '@kitepilot/store';
import { loadConfig, type LoadedConfig } from '../config/load-config.ts';
import { startKitePilot, type RunningKitePilot } from '../kitepilot-server.ts';
import { createLogger } from '../logger.ts';
import { openConfiguredStore } from '../open-store.ts';
import { CredentialCipher } from '../secrets/credential-cipher.ts';
import { KiteSessionStore } from '../secrets/kite-session-store.ts';
import { KITE_POSTBACK_PATH } from '../http/routes/kite-postback.ts';
import { DEMO_ACCOUNT_ID } from './paper-demo.ts';

const DAY = '2026-11-23';
const KEY = randomBytes(32);
const ENV = { KITEPILOT_MASTER_KEY: KEY.toString('base64') };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

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

async function configFor(
  kite: { restUrl: string; wsUrl: string; apiKey: string; apiSecret: string },
  trading: Record<string, unknown>,
  port?: number,
): Promise<LoadedConfig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kp-broker-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return loadConfig({
    env: { KITEPILOT_STORAGE_DATA_DIR: dataDir, ...ENV },
    cwd: dataDir,
    overrides: {
      server: { port: port ?? (await freePort()), host: '127.0.0.1' },
      kite: kite,
      marketData: { watchlist: ['NSE:SIMINFY'], barIntervals: ['1m'] },
      trading: {
        manualAcknowledgement: false,
        strategies: [
          {
            name: 'time-window',
            params: { symbol: 'NSE:SIMINFY', qty: 1, buyTime: '10:00', sellTime: '15:00' },
          },
        ],
        ...trading,
      },
    },
  });
}

/** Stores a Kite session for acc_default in the configured store, as `kitepilot kite login` does. */
async function storeSession(loaded: LoadedConfig, userId: string, accessToken: string, nowMs: number) {
  const opened = await openConfiguredStore(loaded.config, 'owner');
  try {
    await migrate(opened.driver);
    const sessions = new KiteSessionStore(opened.driver, new CredentialCipher(KEY));
    await sessions.ensureAccount('acc_default', 'default');
    await sessions.save('acc_default', {
      apiKey: loaded.config.kite.apiKey ?? 'key',
      userId,
      userName: 'Trader',
      accessToken,
      publicToken: 'public',
      loginTimeMs: nowMs,
      expiresAtMs: nowMs + 6 * 3_600_000,
    });
  } finally {
    await opened.close();
  }
}

async function start(
  loaded: LoadedConfig,
  extra: { clockOffsetMs?: number; demo?: { speed: number } } = {},
): Promise<{ server: RunningKitePilot; lines: string[] }> {
  const { logger, lines } = memoryLogger();
  const server = await startKitePilot({ loaded, logger, env: ENV, journalDir: null, ...extra });
  cleanups.push(() => server.close());
  return { server, lines };
}

const FAKE_KITE = {
  restUrl: 'http://127.0.0.1:9',
  wsUrl: 'ws://127.0.0.1:9',
  apiKey: 'key',
  apiSecret: 'secret',
};

describe('kitepilot start with trading configured', () => {
  it('refuses --clock-offset-ms with a real Kite session and starts nothing', async () => {
    const loaded = await configFor(FAKE_KITE, { mode: 'live' });
    await storeSession(loaded, 'AB1234', 'real-token', new SystemClock().now());
    const { logger } = memoryLogger();
    await expect(
      startKitePilot({ loaded, logger, env: ENV, journalDir: null, clockOffsetMs: 3_600_000 }),
    ).rejects.toThrow(/--clock-offset-ms 3600000 is refused.*real Kite session.*wall clock/);
    // The store was released: the data directory opens again.
    const reopened = await openConfiguredStore(loaded.config, 'owner');
    await reopened.close();
  }, 60_000);

  it('refuses --clock-offset-ms when no trading is configured', async () => {
    const loaded = await configFor(FAKE_KITE, { strategies: [], mode: 'paper' });
    const { logger } = memoryLogger();
    await expect(startKitePilot({ loaded, logger, env: ENV, clockOffsetMs: 1 })).rejects.toThrow(
      /no trading is configured/,
    );
  }, 60_000);

  it('keeps serving with trading idle when no Kite session is stored', async () => {
    const loaded = await configFor(FAKE_KITE, { mode: 'live' });
    const { server, lines } = await start(loaded);
    expect(server.trading.current).toBeNull();
    expect(lines.some((l) => l.includes('trading idle: no Kite session — run kitepilot kite login'))).toBe(
      true,
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 60_000);

  it('trades a stored simulator session live on the offset clock, with postbacks through the route', async () => {
    const port = await freePort();
    const wall = new SystemClock({ keepAlive: true });
    // Twenty-odd seconds before the 10:00 entry: the server's start-up under load must not pass the strategy's buyTime.
    const offsetMs = istToEpochMs(DAY, '09:59:35') - wall.now();
    const simClock = new OffsetClock({ offsetMs, base: wall });
    const sim = await startKiteSim({
      clock: simClock,
      enforceRateLimits: false,
      postbackUrl: `http://127.0.0.1:${port}${KITE_POSTBACK_PATH}`,
    });
    cleanups.push(() => sim.close());
    const loaded = await configFor(
      { restUrl: sim.restUrl, wsUrl: sim.wsUrl, apiKey: sim.apiKey, apiSecret: sim.apiSecret },
      { mode: 'live' },
      port,
    );
    await storeSession(loaded, 'SIM001', sim.createAccessToken(), simClock.now());
    const { server } = await start(loaded, { clockOffsetMs: offsetMs });
    const trading = server.trading.current;
    expect(trading?.env).toMatchObject({ mode: 'live', simulated: true });

    const account = DEMO_ACCOUNT_ID;
    await vi.waitFor(
      async () => {
        const rows = await server.store.driver.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM order_events WHERE source = 'postback' AND client_order_id IS NOT NULL",
        );
        expect(rows.rows[0]?.n).toBeGreaterThan(0);
      },
      { timeout: 55_000, interval: 250 },
    );
    const orders = await server.store.orders.listNonTerminal(account);
    expect(orders).toEqual([]);
    await server.close();
    expect(server.trading.current).toBeNull();
    const reopened = await openConfiguredStore(loaded.config, 'owner');
    try {
      const runs = await createStore(reopened.driver).runs.listRecent(account, 5);
      expect(runs[0]).toMatchObject({ environment: 'live', status: 'completed' });
    } finally {
      await reopened.close();
    }
  }, 110_000);

  it('paper-trades the demo market in the trading slot with --demo', async () => {
    const loaded = await configFor(FAKE_KITE, { strategies: [] });
    const { server } = await start(loaded, { demo: { speed: 1 } });
    expect(server.trading.current?.env).toMatchObject({
      mode: 'paper',
      simulated: true,
      accountId: 'acc_demo',
    });
    expect(server.demoStatus()).toMatchObject({ simulated: true, namespace: 'simulated' });
  }, 60_000);
});
