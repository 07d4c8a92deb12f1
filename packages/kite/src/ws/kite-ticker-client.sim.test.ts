import { TestClock, type Tick } from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { decodeTickerMessage } from '../parse/decode-ticker-message.ts';
import { normaliseOfficial, officialDecode, toOfficialShape } from '../parse/testing/official-ticks.ts';
import { KiteTickerClient } from './kite-ticker-client.ts';
import type {
  TickerConnectedEvent,
  TickerDisconnectedEvent,
  TickerSessionExpiredEvent,
} from './ticker-events.ts';

// 2025-11-20 (a Thursday trading day) 10:00 IST: inside the simulator's market hours.
const MARKET_TIME = Date.UTC(2025, 10, 20, 4, 30);

describe('KiteTickerClient against the Kite simulator', () => {
  let sim: KiteSim;
  let client: KiteTickerClient | null;
  let clock: TestClock;
  const exit = vi.spyOn(process, 'exit');

  beforeEach(async () => {
    clock = new TestClock(MARKET_TIME);
    sim = await startKiteSim({ clock, tickIntervalMs: 20, heartbeatIntervalMs: 50 });
    exit.mockClear();
  });

  afterEach(async () => {
    await client?.close();
    client = null;
    await sim.close();
    expect(exit).not.toHaveBeenCalled();
  });

  function start(): {
    client: KiteTickerClient;
    ticks: Tick[];
    connected: TickerConnectedEvent[];
    disconnected: TickerDisconnectedEvent[];
    expired: TickerSessionExpiredEvent[];
  } {
    const c = new KiteTickerClient({
      wsUrl: sim.wsUrl,
      apiKey: sim.apiKey,
      accessToken: sim.createAccessToken(),
      clock,
      watchdogTimeoutMs: 400,
      backoff: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    const r = {
      client: c,
      ticks: [] as Tick[],
      connected: [] as TickerConnectedEvent[],
      disconnected: [] as TickerDisconnectedEvent[],
      expired: [] as TickerSessionExpiredEvent[],
    };
    client = c;
    c.on('ticks', (t) => r.ticks.push(...t))
      .on('connected', (e) => r.connected.push(e))
      .on('disconnected', (e) => r.disconnected.push(e))
      .on('sessionExpired', (e) => r.expired.push(e));
    return r;
  }

  const tokenOf = (type: string): number => {
    const i = sim.instruments.find((x) => x.instrumentType === type && x.tradable);
    if (i === undefined) throw new Error(`the simulator has no tradable ${type} instrument`);
    return i.instrumentToken;
  };

  it('receives ticks in each subscribed mode without decode errors', async () => {
    const r = start();
    const equity = tokenOf('EQ');
    const future = tokenOf('FUT');
    r.client.subscribe([equity], 'full');
    r.client.subscribe([future], 'ltp');
    r.client.connect();
    await vi.waitFor(() => {
      expect(r.ticks.some((t) => t.token === equity && t.mode === 'full' && t.depth !== null)).toBe(true);
      expect(r.ticks.some((t) => t.token === future && t.mode === 'ltp')).toBe(true);
    });
    expect(r.client.stats.malformedPackets + r.client.stats.malformedFrames).toBe(0);
    expect(r.ticks.every((t) => Number.isSafeInteger(t.lastPricePaise) && t.lastPricePaise > 0)).toBe(true);
  });

  it('reconnects after the simulator drops its sockets and gets ticks again in the same modes', async () => {
    const r = start();
    const equity = tokenOf('EQ');
    r.client.subscribe([equity], 'full');
    r.client.connect();
    await vi.waitFor(() => expect(r.ticks.length).toBeGreaterThan(0));
    sim.faults.dropSockets();
    await vi.waitFor(() => expect(r.connected).toHaveLength(2));
    const before = r.ticks.length;
    await vi.waitFor(() =>
      expect(r.ticks.slice(before).some((t) => t.token === equity && t.mode === 'full')).toBe(true),
    );
    expect(r.disconnected[0]!.willReconnect).toBe(true);
    expect(r.connected[1]!.gap).not.toBeNull();
  });

  it('detects a stalled simulator socket with the watchdog and recovers', async () => {
    const r = start();
    r.client.subscribe([tokenOf('EQ')], 'quote');
    r.client.connect();
    await vi.waitFor(() => expect(r.ticks.length).toBeGreaterThan(0));
    sim.faults.stallSockets(5000);
    await vi.waitFor(() => expect(r.disconnected).toHaveLength(1));
    expect(r.disconnected[0]!.reason).toContain('watchdog 400 ms');
    await vi.waitFor(() => expect(r.connected).toHaveLength(2));
  });

  it('reports expired tokens as a session expiry and resumes with a new token', async () => {
    const r = start();
    r.client.subscribe([tokenOf('EQ')], 'ltp');
    r.client.connect();
    await vi.waitFor(() => expect(r.connected).toHaveLength(1));
    sim.faults.expireTokens();
    sim.faults.dropSockets();
    await vi.waitFor(() => expect(r.expired).toHaveLength(1));
    clock.advanceBy(60_000); // the new login happens after the expiry
    r.client.setAccessToken(sim.createAccessToken());
    await vi.waitFor(() => expect(r.connected).toHaveLength(2));
    const before = r.ticks.length;
    await vi.waitFor(() => expect(r.ticks.length).toBeGreaterThan(before));
  });

  it('sends frames that our decoder and the official decoder read alike', async () => {
    const socket = new WebSocket(
      `${sim.wsUrl}?api_key=${sim.apiKey}&access_token=${sim.createAccessToken()}`,
    );
    const frames: Uint8Array[] = [];
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary && data.byteLength > 2) frames.push(new Uint8Array(data));
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const indices = sim.instruments.filter((i) => !i.tradable).map((i) => i.instrumentToken);
    const full = [tokenOf('EQ'), tokenOf('FUT'), ...indices];
    const tokens = [...full, tokenOf('CE')];
    socket.send(JSON.stringify({ a: 'subscribe', v: tokens }));
    socket.send(JSON.stringify({ a: 'mode', v: ['full', full] }));
    socket.send(JSON.stringify({ a: 'mode', v: ['ltp', [tokenOf('CE')]] }));
    await vi.waitFor(() => expect(frames.length).toBeGreaterThanOrEqual(10));
    socket.terminate();
    const modes = new Set<string>();
    for (const frame of frames) {
      const ours = decodeTickerMessage(frame, 1);
      for (const t of ours) modes.add(`${t.tradable ? 'tradable' : 'index'} ${t.mode}`);
      expect(ours.map(toOfficialShape)).toEqual(officialDecode(frame).map(normaliseOfficial));
    }
    // Frames sent before the mode messages took effect are in the default quote mode.
    expect([...modes]).toEqual(expect.arrayContaining(['index full', 'tradable full', 'tradable ltp']));
  });
});
