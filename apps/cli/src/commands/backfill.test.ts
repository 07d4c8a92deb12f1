import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { istToEpochMs, TestClock } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { SystemClock } from '@kitepilot/runtime';
import { CredentialCipher, KiteSessionStore, loadConfig, openConfiguredStore } from '@kitepilot/server';
import { createStore, migrate } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfill } from './backfill.ts';

let dir: string;
let sim: KiteSim;
let env: Record<string, string>;
let symbol: string;
let instrumentId: string;

async function withStore<T>(f: (store: ReturnType<typeof createStore>) => Promise<T>): Promise<T> {
  const { config } = loadConfig({ env });
  const opened = await openConfiguredStore(config, 'client');
  try {
    await migrate(opened.driver);
    return await f(createStore(opened.driver));
  } finally {
    await opened.close();
  }
}

async function barsTable(): Promise<unknown[]> {
  return withStore(async (store) => {
    const r = await store.driver.query(
      'SELECT namespace, instrument_id, bar_interval, start_at, open_paise, high_paise, low_paise, close_paise, volume, oi, origin FROM bars ORDER BY 1, 2, 3, 4',
    );
    return r.rows;
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-backfill-'));
  sim = await startKiteSim({
    clock: new TestClock(istToEpochMs('2025-11-20', '11:00')),
    enforceRateLimits: false,
  });
  const masterKey = randomBytes(32);
  env = {
    KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'),
    KITEPILOT_MASTER_KEY: masterKey.toString('base64'),
    KITEPILOT_KITE_REST_URL: sim.restUrl,
  };
  const accessToken = sim.createAccessToken();
  const rest = new KiteRestClient({
    apiKey: sim.apiKey,
    baseUrl: sim.restUrl,
    accessToken,
    clock: new SystemClock(),
  });
  const equity = (await rest.getInstruments('NSE')).instruments.find((i) => i.type === 'EQ');
  if (equity === undefined) throw new Error('the simulator lists no NSE equity');
  symbol = `NSE:${equity.tradingSymbol}`;
  instrumentId = equity.id;
  await withStore(async (store) => {
    // The simulator stands in for the broker: its master is stored as the real one of this throwaway data dir.
    await store.instruments.saveVersion('real', '2025-11-01', [equity]);
    const sessions = new KiteSessionStore(store.driver, new CredentialCipher(masterKey));
    await sessions.ensureAccount('acc_default', 'Kite AB1234');
    await sessions.save('acc_default', {
      apiKey: sim.apiKey,
      userId: 'AB1234',
      userName: 'SIM Trader',
      accessToken,
      publicToken: 'pub',
      loginTimeMs: Date.now(),
      expiresAtMs: Date.now() + 3_600_000,
    });
  });
}, 60_000);

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runBackfill', () => {
  it('backfills minute bars from the broker into the store, then changes nothing on a second run', async () => {
    let out = '';
    const flags = { symbol, interval: 'minute', from: '2025-11-17', to: '2025-11-19' };
    const first = await runBackfill(flags, { env, write: (t) => (out += t) });
    expect(first).toMatchObject({ candles: 3 * 375, inserted: 3 * 375, written: 3 * 375, resumed: false });
    expect(out).toContain(`Starting backfill ${first.jobRunId}: ${instrumentId} 1m`);
    expect(out).toContain('chunk 1/1 2025-11-17 – 2025-11-19: 1125 candles, 1125 new');
    const table = await barsTable();
    expect(table).toHaveLength(1125);

    let json = '';
    const second = await runBackfill({ ...flags, json: true }, { env, write: (t) => (json += t) });
    expect(second.jobRunId).not.toBe(first.jobRunId);
    expect(JSON.parse(json)).toMatchObject({ written: 0, unchanged: 1125, inserted: 0 });
    expect(await barsTable()).toEqual(table);
    const phases = await withStore((store) => store.jobRuns.listByRun(first.jobRunId));
    expect(phases.map((p) => p.phase).sort()).toEqual(['chunk 0001', 'done', 'plan']);
  });

  it('says to sync instruments when the symbol is not in the master', async () => {
    await expect(
      runBackfill(
        { symbol: 'NSE:NOSUCH', interval: 'minute', from: '2025-11-17', to: '2025-11-19' },
        { env, write: () => undefined },
      ),
    ).rejects.toThrow(/unknown instrument NSE:NOSUCH .*run `kitepilot instruments sync` first/);
  });

  it('says to log in when the stored session has expired', async () => {
    await expect(
      runBackfill(
        { symbol, interval: 'day', from: '2025-11-17', to: '2025-11-19' },
        { env, write: () => undefined, clock: new TestClock(Date.now() + 7_200_000) },
      ),
    ).rejects.toThrow(/expired at .*run `kitepilot kite login` again/);
  });

  it('refuses 1-second bars and malformed dates before touching the broker', async () => {
    await expect(
      runBackfill(
        { symbol, interval: '1s', from: '2025-11-17', to: '2025-11-19' },
        { env, write: () => undefined },
      ),
    ).rejects.toThrow('interval 1s has no historical candles at the broker');
    await expect(
      runBackfill(
        { symbol, interval: 'day', from: '2025-11-31', to: '2025-12-01' },
        { env, write: () => undefined },
      ),
    ).rejects.toThrow('from 2025-11-31 is not a calendar date');
  });
});
