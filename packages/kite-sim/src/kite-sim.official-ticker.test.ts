// The official KiteTicker against the simulator's binary ticker. The official ticker keeps module-level
// state (one ticker per process, kite-connect.md §8.2) and its disconnect() can exit the process (§8.1), so
// every use of it lives in this one file, with reconnect disabled.
import { istToEpochMs, TestClock } from '@kitepilot/core';
import { KiteConnect, KiteTicker, type Connect, type Ticker } from 'kiteconnect';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKiteSim, type KiteSim } from './index.ts';

interface OfficialTick {
  readonly instrument_token: number;
  readonly mode: string;
  readonly tradable: boolean;
  readonly last_price: number;
  readonly volume_traded?: number;
  readonly oi?: number;
  readonly exchange_timestamp?: Date | null;
  readonly ohlc?: { open: number; high: number; low: number; close: number };
  readonly depth?: { buy: { price: number; quantity: number; orders: number }[] };
}

const at = (time: string): number => istToEpochMs('2026-11-23', time);

describe('startKiteSim with the official KiteTicker', () => {
  const clock = new TestClock(at('09:59:59'));
  let sim: KiteSim;
  let ticker: Ticker;
  let kc: Connect;
  const ticks: OfficialTick[] = [];
  const updates: Record<string, unknown>[] = [];
  let connected = false;

  beforeAll(async () => {
    sim = await startKiteSim({
      clock,
      seed: 21,
      tickIntervalMs: 40,
      heartbeatIntervalMs: 200,
      enforceRateLimits: false,
    });
    const accessToken = sim.createAccessToken();
    kc = new KiteConnect({ api_key: sim.apiKey, root: sim.restUrl, access_token: accessToken });
    // `root` is read by the official ticker (dist/lib/ticker.js) but missing from its typings.
    const params = { api_key: sim.apiKey, access_token: accessToken, root: sim.wsUrl, reconnect: false };
    ticker = new KiteTicker(params);
    ticker.on('ticks', (batch: OfficialTick[]) => ticks.push(...batch));
    ticker.on('order_update', (order: Record<string, unknown>) => updates.push(order));
    ticker.on('connect', () => {
      connected = true;
    });
    ticker.connect();
    await vi.waitFor(() => expect(connected).toBe(true));
  });

  afterAll(async () => {
    // reconnect: false keeps the official client from calling process.exit on this close (§8.1).
    ticker.disconnect();
    await sim.close();
  });

  const token = (symbol: string): number =>
    sim.instruments.find((i) => i.tradingsymbol === symbol)!.instrumentToken;

  async function tickAt(instrumentToken: number, ms: number): Promise<OfficialTick> {
    let found: OfficialTick | undefined;
    await vi.waitFor(() => {
      found = ticks.find(
        (t) =>
          t.instrument_token === instrumentToken &&
          t.exchange_timestamp?.getTime() === ms &&
          t.mode === 'full',
      );
      expect(found).toBeDefined();
    });
    return found!;
  }

  it('streams ltp, quote and full packets (index packets untradable) in the modes asked for', async () => {
    const fut = token('SIMNIFTY26NOVFUT');
    const index = token('SIM NIFTY 50');
    const ltpToken = token('SIMRELIANCE');
    const quoteToken = token('SIMTCS');
    ticker.subscribe([fut, index, ltpToken, quoteToken]);
    ticker.setMode('full', [fut, index]);
    ticker.setMode('ltp', [ltpToken]);
    await vi.waitFor(() => {
      const modes = new Map(ticks.map((t) => [t.instrument_token, t.mode]));
      expect(modes.get(fut)).toBe('full');
      expect(modes.get(index)).toBe('full');
      expect(modes.get(ltpToken)).toBe('ltp');
      expect(modes.get(quoteToken)).toBe('quote');
    });
    const indexTick = ticks.find((t) => t.instrument_token === index && t.mode === 'full')!;
    expect(indexTick.tradable).toBe(false);
    expect(indexTick.exchange_timestamp?.getTime()).toBe(at('09:59:59'));
    const futTick = await tickAt(fut, at('09:59:59'));
    expect(futTick.depth?.buy).toHaveLength(5);
    expect(futTick.depth?.buy[0]?.price).toBe(futTick.last_price);
    const [quote] = Object.values(await kc.getQuote(['NFO:SIMNIFTY26NOVFUT']));
    expect(futTick.last_price).toBe(quote!.last_price);
    expect(futTick.volume_traded).toBe(quote!.volume);
  });

  it('streams exactly what historical candles later report for the same minute and day', async () => {
    const fut = token('SIMNIFTY26NOVFUT');
    const before = await tickAt(fut, at('09:59:59'));
    clock.advanceTo(at('10:00:00'));
    const first = await tickAt(fut, at('10:00:00'));
    clock.advanceTo(at('10:00:59'));
    const last = await tickAt(fut, at('10:00:59'));
    const [minute] = await kc.getHistoricalData(
      fut,
      'minute',
      '2026-11-23 10:00:00',
      '2026-11-23 10:00:00',
      false,
      true,
    );
    expect(minute!.date.getTime()).toBe(at('10:00'));
    expect(minute!.open).toBe(first.last_price);
    expect(minute!.close).toBe(last.last_price);
    expect(minute!.volume).toBe(last.volume_traded! - before.volume_traded!);
    expect(minute!.oi).toBe(last.oi);
    const [day] = await kc.getHistoricalData(
      fut,
      'day',
      '2026-11-23 00:00:00',
      '2026-11-23 10:00:59',
      false,
      true,
    );
    expect([day!.open, day!.high, day!.low, day!.close]).toEqual([
      last.ohlc!.open,
      last.ohlc!.high,
      last.ohlc!.low,
      last.last_price,
    ]);
    expect(day!.volume).toBe(last.volume_traded);
  });

  it('delivers order updates as text messages the official client emits as order_update', async () => {
    // market_protection is sent through by the official client although its typings lack it.
    const order = {
      exchange: 'NSE',
      tradingsymbol: 'SIMITC',
      transaction_type: 'BUY',
      quantity: 3,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: 2,
    } as const;
    const placed = await kc.placeOrder('regular', order);
    await vi.waitFor(() => {
      const statuses = updates.filter((u) => u['order_id'] === placed.order_id).map((u) => u['status']);
      expect(statuses).toEqual([
        'PUT ORDER REQ RECEIVED',
        'VALIDATION PENDING',
        'OPEN PENDING',
        'OPEN',
        'COMPLETE',
      ]);
    });
  });
});
