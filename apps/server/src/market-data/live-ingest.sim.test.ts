// `startLiveIngest` end to end with the Kite simulator standing in for Kite (config URLs pointed at it): the stored,
// encrypted Kite session authenticates the ticker, the configured watchlist is seeded and subscribed, and the ticks
// land in the 'real' namespace. (The simulator's instruments are synced into 'real' here only because this test's
// store stands for a real installation.)
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { asInstrumentId, istToEpochMs, SequentialIdGenerator, TestClock } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { bundledFreezeQuantities, syncInstruments } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { CredentialCipher } from '../secrets/credential-cipher.ts';
import { KiteSessionStore } from '../secrets/kite-session-store.ts';
import type { IngestService } from './ingest-service.ts';
import { kiteInstrumentSource } from './kite-instrument-source.ts';
import { startLiveIngest } from './live-ingest.ts';

const START = istToEpochMs('2026-11-23', '10:00:01');

let sim: KiteSim;
let store: Store;
let service: IngestService | null = null;

beforeEach(async () => {
  store = createStore(new PgliteDriver(await PGlite.create()));
  await migrate(store.driver);
});

afterEach(async () => {
  await service?.stop();
  await sim.close();
  await store.close();
});

describe('startLiveIngest', () => {
  it('records the configured watchlist into the real namespace with the stored Kite session', async () => {
    const clock = new TestClock(START);
    sim = await startKiteSim({ clock, seed: 3, tickIntervalMs: 5, enforceRateLimits: false });
    const rest = new KiteRestClient({ apiKey: sim.apiKey, baseUrl: sim.restUrl, clock: new SystemClock() });
    await syncInstruments({
      source: kiteInstrumentSource(rest),
      repository: store.instruments,
      clock,
      freezeQuantities: bundledFreezeQuantities(),
      jobRuns: store.jobRuns,
      ids: new SequentialIdGenerator(),
      namespace: 'real',
    });
    const masterKey = randomBytes(32);
    const sessions = new KiteSessionStore(store.driver, new CredentialCipher(masterKey));
    await sessions.ensureAccount('acc_default', 'Kite AB1234');
    await sessions.save('acc_default', {
      apiKey: sim.apiKey,
      userId: 'AB1234',
      userName: 'SIM Trader',
      accessToken: sim.createAccessToken(),
      publicToken: 'public',
      loginTimeMs: START,
      expiresAtMs: START + 3_600_000,
    });
    const env = {
      KITEPILOT_MASTER_KEY: masterKey.toString('base64'),
      KITEPILOT_STORAGE_DATA_DIR: '/nonexistent',
    };
    const { config } = loadConfig({
      env,
      cwd: '/',
      overrides: {
        kite: { restUrl: sim.restUrl, wsUrl: sim.wsUrl },
        marketData: { watchlist: ['NSE:SIMINFY', 'NSE:SIMTCS', 'NSE:NOSUCH'] },
      },
    });
    service = await startLiveIngest({
      config,
      store,
      metrics: new Registry(),
      logger: pino({ level: 'silent' }),
      clock,
      env,
    });
    expect((await store.watchlist.list('real')).map((e) => [e.instrumentId, e.mode])).toEqual([
      ['SIMINFY.NSE', 'full'],
      ['SIMTCS.NSE', 'full'],
    ]);
    const running = service;
    await expect.poll(() => running.summary().ticksAccepted, { timeout: 5000 }).toBeGreaterThan(10);
    clock.advanceBy(1000);
    const summary = await running.stop();
    service = null;
    expect(summary).toMatchObject({ namespace: 'real', subscribed: { full: 2 }, ticksQuarantined: 0 });
    expect(summary.ticksWritten).toBe(summary.ticksAccepted);
    const stored = await store.ticks.read(
      'real',
      asInstrumentId('SIMINFY.NSE'),
      START - 1000,
      START + 60_000,
    );
    expect(stored.length).toBeGreaterThan(0);
    expect(
      await store.ticks.read('simulated', asInstrumentId('SIMINFY.NSE'), START - 1000, START + 60_000),
    ).toEqual([]);
  });
});
