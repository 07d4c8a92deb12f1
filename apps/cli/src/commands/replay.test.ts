import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asInstrumentId, istToEpochMs, makeTick, paise, type InstrumentTick } from '@kitepilot/core';
import { loadConfig, openConfiguredStore } from '@kitepilot/server';
import { createStore, migrate } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplaySpeed, runReplay } from './replay.ts';

const INFY = asInstrumentId('INFY.NSE');
const OPEN = istToEpochMs('2026-11-23', '09:15');

function aTick(atMs: number, pricePaise: number, volume: number): InstrumentTick {
  return {
    instrumentId: INFY,
    tick: makeTick({
      token: 408065,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(pricePaise),
      volume,
      exchangeTs: atMs,
      tsInit: atMs + 5,
    }),
  };
}

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-replay-'));
  const { config } = loadConfig({ overrides: { storage: { dataDir: dir } } });
  const opened = await openConfiguredStore(config, 'owner');
  try {
    await migrate(opened.driver);
    const store = createStore(opened.driver);
    await store.ticks.ensureDayPartition('2026-11-23');
    await store.ticks.append('simulated', [
      aTick(OPEN + 1_000, 150_000, 100),
      aTick(OPEN + 30_000, 150_500, 160),
      aTick(OPEN + 61_000, 149_000, 200),
      aTick(OPEN + 119_000, 149_500, 260),
    ]);
    // Real data for the same instrument and time must not show up in a --simulated replay.
    await store.ticks.append('real', [aTick(OPEN + 2_000, 999_995, 5)]);
  } finally {
    await opened.close();
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runReplay', () => {
  it('replays the simulated ticks of the range and prints the 1m bars rebuilt from them', async () => {
    let out = '';
    const report = await runReplay(
      {
        symbol: ['NSE:INFY'],
        from: '2026-11-23T09:15',
        to: '2026-11-23T09:20',
        simulated: true,
        json: true,
        dataDir: dir,
      },
      { write: (t) => (out += t) },
    );
    expect(report.ticks).toBe(4);
    const printed = JSON.parse(out) as { ticks: number; namespace: string; bars: Record<string, unknown>[] };
    expect(printed).toMatchObject({ ticks: 4, namespace: 'simulated' });
    expect(printed.bars).toEqual([
      expect.objectContaining({
        start: '2026-11-23T09:15:00.000+05:30',
        openPaise: 150_000,
        highPaise: 150_500,
        lowPaise: 150_000,
        closePaise: 150_500,
        volume: 160,
        origin: 'live',
      }),
      expect.objectContaining({
        start: '2026-11-23T09:16:00.000+05:30',
        openPaise: 149_000,
        highPaise: 149_500,
        lowPaise: 149_000,
        closePaise: 149_500,
        volume: 100,
      }),
    ]);
  });

  it('reads the real namespace unless --simulated is given', async () => {
    let out = '';
    const report = await runReplay(
      { symbol: ['INFY.NSE'], from: '2026-11-23', to: '2026-11-23', speed: 'max', dataDir: dir },
      { write: (t) => (out += t) },
    );
    expect(report.ticks).toBe(1);
    expect(report.bars.map((b) => b.closePaise)).toEqual([999_995]);
    expect(out).toMatch(/^replayed 1 ticks of 1 instrument/);
  });

  it('refuses a speed that is not max or a positive number', () => {
    expect(parseReplaySpeed('4x')).toBe(4);
    expect(parseReplaySpeed(undefined)).toBe('max');
    expect(() => parseReplaySpeed('fast')).toThrow(/--speed "fast"/);
  });
});
