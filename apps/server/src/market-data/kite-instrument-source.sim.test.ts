// The instruments-master sync end to end against the Kite simulator: contract file over HTTP → Instruments →
// syncInstruments → the store (PGlite), in the namespace the test chooses ('simulated': the simulator's universe).
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { istDate, SequentialIdGenerator, TestClock } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { FreezeQuantityTable, syncInstruments } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { CredentialCipher } from '../secrets/credential-cipher.ts';
import { KiteSessionStore } from '../secrets/kite-session-store.ts';
import { kiteInstrumentSource, openKiteRestClient } from './kite-instrument-source.ts';

describe('kiteInstrumentSource and syncInstruments against the Kite simulator', () => {
  let sim: KiteSim;
  let store: Store;
  const wall = new SystemClock();
  const masterKey = randomBytes(32).toString('base64');
  // The simulator's option chain is NIFTY-like under the name SIMNIFTY (market-rules.md §4.4 NIFTY limit 1800).
  const freezeQuantities = new FreezeQuantityTable([{ from: '2025-09-01', limits: { SIMNIFTY: 1800 } }]);

  beforeAll(async () => {
    sim = await startKiteSim({ seed: 7 });
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(async () => {
    await store.close();
    await sim.close();
  });

  it('stores the whole simulated universe with tokens, F&O metadata and freeze limits', async () => {
    const rest = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: sim.createAccessToken(),
      clock: wall,
    });
    const skipped: string[] = [];
    const clock = new TestClock(wall.now());
    const result = await syncInstruments({
      source: kiteInstrumentSource(rest, { onSkipped: (row) => skipped.push(row.tradingsymbol) }),
      repository: store.instruments,
      clock,
      freezeQuantities,
      jobRuns: store.jobRuns,
      ids: new SequentialIdGenerator(),
      namespace: 'simulated',
    });
    const version = istDate(clock.now());
    expect(skipped).toEqual([]);
    expect(result).toMatchObject({ namespace: 'simulated', version, count: sim.instruments.length });
    expect(await store.instruments.latestVersion('real')).toBeNull();
    const stored = await store.instruments.listVersion('simulated', version);
    expect(stored).toHaveLength(sim.instruments.length);
    for (const s of sim.instruments) {
      const i = await store.instruments.getByToken('simulated', s.instrumentToken, version);
      expect(i?.tradingSymbol).toBe(s.tradingsymbol);
      expect(i?.expiry).toBe(s.expiry);
      expect(i?.strikePaise ?? 0).toBe(s.strikePaise);
      if (s.segment !== 'INDICES') expect(i?.lotSize).toBe(s.lotSize);
      // The dump has no freeze column: the data file supplies the simulator's own freeze limits.
      expect(i?.freezeQty ?? null).toBe(s.freezeQuantity);
    }
    expect(result.freezeApplied).toBe(sim.instruments.filter((s) => s.freezeQuantity !== null).length);
  });

  it('opens the REST client of the stored session and says to log in when there is none', async () => {
    const { config } = loadConfig({
      env: { KITEPILOT_MASTER_KEY: masterKey },
      overrides: { kite: { restUrl: sim.restUrl } },
    });
    const env = { KITEPILOT_MASTER_KEY: masterKey };
    await expect(openKiteRestClient({ config, sql: store.driver, clock: wall, env })).rejects.toThrow(
      'no Kite session is stored for acc_default: run `kitepilot kite login` first',
    );
    const sessions = new KiteSessionStore(
      store.driver,
      new CredentialCipher(Buffer.from(masterKey, 'base64')),
    );
    await sessions.ensureAccount('acc_default', 'Kite AB1234');
    await sessions.save('acc_default', {
      apiKey: sim.apiKey,
      userId: 'AB1234',
      userName: 'SIM Trader',
      accessToken: sim.createAccessToken(),
      publicToken: 'public',
      loginTimeMs: wall.now(),
      expiresAtMs: wall.now() + 3_600_000,
    });
    const rest = await openKiteRestClient({ config, sql: store.driver, clock: wall, env });
    const nfo = kiteInstrumentSource(rest, { exchange: 'NFO' });
    const first = (await nfo.next()).value;
    await nfo.return(undefined);
    expect(first?.exchange).toBe('NFO');
    const later = new TestClock(wall.now() + 7_200_000);
    await expect(openKiteRestClient({ config, sql: store.driver, clock: later, env })).rejects.toThrow(
      'run `kitepilot kite login` again',
    );
  });
});
