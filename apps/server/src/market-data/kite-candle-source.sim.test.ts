import { istToEpochMs, TestClock, type Instrument } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { SystemClock } from '@kitepilot/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiteCandleSource, kiteCandleInterval } from './kite-candle-source.ts';

const NOW = istToEpochMs('2025-11-20', '11:00:30');

let sim: KiteSim;
let client: KiteRestClient;
let equity: Instrument;

beforeAll(async () => {
  sim = await startKiteSim({ clock: new TestClock(NOW), seed: 7 });
  client = new KiteRestClient({
    apiKey: sim.apiKey,
    baseUrl: sim.restUrl,
    accessToken: sim.createAccessToken(),
    clock: new SystemClock(),
  });
  const { instruments } = await client.getInstruments('NSE');
  const first = instruments.find((i) => i.type === 'EQ');
  if (first === undefined) throw new Error('the simulator lists no NSE equity');
  equity = first;
});

afterAll(async () => {
  await sim.close();
});

describe('KiteCandleSource', () => {
  it('maps every bar interval Kite serves and refuses 1s with the reason', () => {
    expect(
      ['1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'].map((i) => kiteCandleInterval(i as never)),
    ).toEqual(['minute', '3minute', '5minute', '10minute', '15minute', '30minute', '60minute', 'day']);
    expect(() => kiteCandleInterval('1s')).toThrow('Kite has no 1s candles');
  });

  it('returns the simulator’s minute candles as historical bars of the instrument', async () => {
    const source = new KiteCandleSource(client);
    const from = istToEpochMs('2025-11-20', '10:00');
    const bars = await source.fetchCandles(equity, '1m', from, from + 9 * 60_000);
    const raw = await client.getHistoricalData({
      instrumentToken: equity.token,
      interval: 'minute',
      fromMs: from,
      toMs: from + 9 * 60_000,
    });
    expect(bars).toHaveLength(10);
    expect(bars.map((b) => b.start)).toEqual(raw.map((c) => c.tsMs));
    expect(bars[3]).toMatchObject({
      instrumentId: equity.id,
      interval: '1m',
      start: from + 3 * 60_000,
      openPaise: raw[3]?.openPaise,
      highPaise: raw[3]?.highPaise,
      lowPaise: raw[3]?.lowPaise,
      closePaise: raw[3]?.closePaise,
      volume: raw[3]?.volume,
      origin: 'historical',
    });
  });

  it('returns day and 60-minute candles on the core bar grid (IST midnight, 09:15 anchor)', async () => {
    const source = new KiteCandleSource(client);
    const days = await source.fetchCandles(
      equity,
      '1d',
      istToEpochMs('2025-11-17', '00:00'),
      istToEpochMs('2025-11-19', '23:59:59'),
    );
    expect(days.map((b) => b.start)).toEqual(
      ['2025-11-17', '2025-11-18', '2025-11-19'].map((d) => istToEpochMs(d, '00:00')),
    );
    const hours = await source.fetchCandles(
      equity,
      '60m',
      istToEpochMs('2025-11-19', '09:15'),
      istToEpochMs('2025-11-19', '15:29'),
    );
    expect(hours[0]?.start).toBe(istToEpochMs('2025-11-19', '09:15'));
    expect(hours[1]?.start).toBe(istToEpochMs('2025-11-19', '10:15'));
  });
});
