import { TestClock, type Tick } from '@kitepilot/core';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aFullPacket, encodeFrame } from '../parse/testing/ticker-frame-builder.ts';
import { KiteTickerClient, type KiteTickerClientOptions } from './kite-ticker-client.ts';
import { TickerSubscriptionLimitError } from './ticker-errors.ts';
import type {
  TickerConnectedEvent,
  TickerDisconnectedEvent,
  TickerProblemEvent,
  TickerReconnectingEvent,
  TickerSessionExpiredEvent,
} from './ticker-events.ts';
import type { TickerScheduler, TickerTimer } from './ticker-scheduler.ts';
import { FakeTickerServer } from './testing/fake-ticker-server.ts';

const T0 = 1_763_700_000_000;

/** Real timers that also count what is pending, to prove that nothing is scheduled. */
class CountingScheduler implements TickerScheduler {
  readonly pending = new Set<ReturnType<typeof setTimeout>>();
  now(): number {
    return performance.now();
  }
  setTimeout(callback: () => void, delayMs: number): TickerTimer {
    const t = setTimeout(() => {
      this.pending.delete(t);
      callback();
    }, delayMs);
    this.pending.add(t);
    return t;
  }
  clearTimeout(timer: TickerTimer): void {
    clearTimeout(timer as ReturnType<typeof setTimeout>);
    this.pending.delete(timer as ReturnType<typeof setTimeout>);
  }
}

/** Collects every event of a client. */
function record(client: KiteTickerClient) {
  const r = {
    ticks: [] as Tick[],
    frames: 0,
    connected: [] as TickerConnectedEvent[],
    disconnected: [] as TickerDisconnectedEvent[],
    reconnecting: [] as TickerReconnectingEvent[],
    sessionExpired: [] as TickerSessionExpiredEvent[],
    brokerErrors: [] as string[],
    orderUpdates: [] as string[],
    decodeErrors: [] as string[],
    problems: [] as TickerProblemEvent[],
  };
  client
    .on('ticks', (ticks) => {
      r.frames++;
      r.ticks.push(...ticks);
    })
    .on('connected', (e) => r.connected.push(e))
    .on('disconnected', (e) => r.disconnected.push(e))
    .on('reconnecting', (e) => r.reconnecting.push(e))
    .on('sessionExpired', (e) => r.sessionExpired.push(e))
    .on('brokerError', (m) => r.brokerErrors.push(m))
    .on('orderUpdate', (u) => r.orderUpdates.push(`${u.venueOrderId} ${u.status}`))
    .on('decodeErrors', (errors) => r.decodeErrors.push(...errors.map((e) => e.reason)))
    .on('problem', (p) => r.problems.push(p));
  return r;
}

const orderMessage = (status: string): string =>
  JSON.stringify({
    type: 'order',
    data: {
      order_id: '250101000000001',
      status,
      order_timestamp: '2025-01-01 09:15:00',
      exchange_timestamp: null,
      exchange_update_timestamp: null,
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SIMINFY',
      instrument_token: 408065,
      order_type: 'MARKET',
      transaction_type: 'BUY',
      validity: 'DAY',
      product: 'MIS',
      quantity: 1,
      price: 0,
      trigger_price: 0,
      average_price: 0,
      filled_quantity: 0,
      pending_quantity: 1,
    },
  });

describe('KiteTickerClient', () => {
  let server: FakeTickerServer;
  let clock: TestClock;
  let scheduler: CountingScheduler;
  const clients: KiteTickerClient[] = [];
  const exit = vi.spyOn(process, 'exit');

  beforeEach(async () => {
    server = await FakeTickerServer.start();
    clock = new TestClock(T0);
    scheduler = new CountingScheduler();
    exit.mockClear();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
    // The official client calls process.exit(1) when it gives up (kite-connect.md §8.1); ours never does.
    expect(exit).not.toHaveBeenCalled();
  });

  function aClient(options: Partial<KiteTickerClientOptions> = {}): KiteTickerClient {
    const client = new KiteTickerClient({
      wsUrl: server.url,
      apiKey: 'kpsim_key',
      accessToken: 'token-1',
      clock,
      scheduler,
      random: () => 0,
      backoff: { initialDelayMs: 20, maxDelayMs: 80 },
      watchdogTimeoutMs: 1000,
      ...options,
    });
    clients.push(client);
    return client;
  }

  it('connects with the api key, access token and Kite headers, and sends subscribe and mode messages', async () => {
    const client = aClient();
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(events.connected).toHaveLength(1));
    client.subscribe([408065, 884737], 'full');
    client.setMode('ltp', [884737]);
    const [s] = server.sockets;
    expect(s!.url.searchParams.get('api_key')).toBe('kpsim_key');
    expect(s!.url.searchParams.get('access_token')).toBe('token-1');
    expect(s!.headers['x-kite-version']).toBe('3');
    await vi.waitFor(() => expect(s!.messages).toHaveLength(4));
    expect(s!.messages).toEqual([
      { a: 'subscribe', v: [408065, 884737] },
      { a: 'mode', v: ['full', [408065, 884737]] },
      { a: 'subscribe', v: [884737] },
      { a: 'mode', v: ['ltp', [884737]] },
    ]);
    expect(events.connected[0]).toEqual({ connection: 0, connectedAt: T0, gap: null, tokens: [] });
    expect([...client.subscriptions()]).toEqual([
      [408065, 'full'],
      [884737, 'ltp'],
    ]);
    client.unsubscribe([408065]);
    await vi.waitFor(() => expect(s!.messages.at(-1)).toEqual({ a: 'unsubscribe', v: [408065] }));
  });

  it('delivers the ticks of each frame as one batch stamped by the clock', async () => {
    const client = aClient();
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(server.open()).toHaveLength(1));
    clock.advanceBy(250);
    server
      .open()[0]!
      .socket.send(encodeFrame([aFullPacket(), { kind: 'ltp', token: 256265, last: 2_340_685 }]));
    await vi.waitFor(() => expect(events.frames).toBe(1));
    expect(events.ticks.map((t) => [t.token, t.mode, t.lastPricePaise, t.tsInit])).toEqual([
      [408065, 'full', 157370, T0 + 250],
      [256265, 'ltp', 2_340_685, T0 + 250],
    ]);
    expect(client.stats.ticks).toBe(2);
  });

  it('surfaces order updates, broker errors, malformed text and malformed frames without dropping the socket', async () => {
    const client = aClient();
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(server.open()).toHaveLength(1));
    const s = server.open()[0]!.socket;
    s.send(orderMessage('OPEN'));
    s.send(JSON.stringify({ type: 'error', data: 'Subscription limit exceeded' }));
    s.send('{not json');
    const cut = encodeFrame([{ kind: 'ltp', token: 408065, last: 100 }, aFullPacket()]);
    s.send(cut.subarray(0, cut.byteLength - 10));
    await vi.waitFor(() => expect(events.decodeErrors).toEqual(['packet-overrun']));
    expect(events.orderUpdates).toEqual(['250101000000001 OPEN']);
    expect(events.brokerErrors).toEqual(['Subscription limit exceeded']);
    expect(events.problems.map((p) => p.message)).toEqual(['text message is not JSON: {not json']);
    expect(events.ticks.map((t) => t.lastPricePaise)).toEqual([100]);
    expect(client.stats.malformedPackets).toBe(1);
    expect(events.disconnected).toEqual([]);
  });

  it('keeps working when a listener throws, reporting it as a problem', async () => {
    const client = aClient();
    const events = record(client);
    client.on('ticks', () => {
      throw new Error('strategy bug');
    });
    client.connect();
    await vi.waitFor(() => expect(server.open()).toHaveLength(1));
    server.open()[0]!.socket.send(encodeFrame([{ kind: 'ltp', token: 408065, last: 1 }]));
    server.open()[0]!.socket.send(encodeFrame([{ kind: 'ltp', token: 408065, last: 2 }]));
    await vi.waitFor(() => expect(events.frames).toBe(2));
    expect(events.problems.map((p) => p.message)).toEqual([
      'a ticks listener threw: strategy bug',
      'a ticks listener threw: strategy bug',
    ]);
    expect(server.open()).toHaveLength(1);
  });

  it('reconnects after an abrupt drop and resubscribes every instrument with its mode, reporting the gap', async () => {
    const client = aClient();
    const events = record(client);
    client.subscribe([408065, 884737], 'full');
    client.subscribe([256265], 'ltp');
    client.connect();
    await vi.waitFor(() => expect(events.connected).toHaveLength(1));
    clock.advanceBy(1000); // last message at T0
    client.on('disconnected', () => clock.advanceBy(500)); // the outage lasts 500 ms on the clock
    server.dropAll();
    await vi.waitFor(() => expect(events.connected).toHaveLength(2));
    expect(events.disconnected).toHaveLength(1);
    expect(events.disconnected[0]).toMatchObject({
      connection: 0,
      gap: { disconnectedAt: T0 + 1000, reconnectedAt: null, lastMessageAt: T0 },
      tokens: [408065, 884737, 256265],
      willReconnect: true,
    });
    expect(events.connected[1]).toEqual({
      connection: 0,
      connectedAt: T0 + 1500,
      gap: { disconnectedAt: T0 + 1000, reconnectedAt: T0 + 1500, lastMessageAt: T0 },
      tokens: [408065, 884737, 256265],
    });
    const second = server.sockets[1]!;
    await vi.waitFor(() => expect(second.messages).toHaveLength(3));
    expect(second.messages).toEqual([
      { a: 'subscribe', v: [408065, 884737, 256265] },
      { a: 'mode', v: ['full', [408065, 884737]] },
      { a: 'mode', v: ['ltp', [256265]] },
    ]);
    expect(events.reconnecting.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 20]]);
  });

  it('treats a silent socket as dead after the watchdog timeout and reconnects', async () => {
    const client = aClient({ watchdogTimeoutMs: 150 });
    const events = record(client);
    client.subscribe([408065], 'quote');
    client.connect();
    await vi.waitFor(() => expect(events.disconnected).toHaveLength(1));
    expect(events.disconnected[0]!.reason).toMatch(/^no message for \d+ ms \(watchdog 150 ms\)$/);
    await vi.waitFor(() => expect(events.connected).toHaveLength(2));
    await vi.waitFor(() => expect(server.sockets[1]!.messages).toHaveLength(2));
    expect(server.sockets[1]!.messages[0]).toEqual({ a: 'subscribe', v: [408065] });
  });

  it('keeps a connection that receives heartbeats alive past many watchdog periods', async () => {
    server.startHeartbeats(20);
    const client = aClient({ watchdogTimeoutMs: 150 });
    const events = record(client);
    client.connect();
    // 40 heartbeats at 20 ms span about 800 ms, more than five watchdog periods.
    await vi.waitFor(() => expect(client.stats.heartbeats).toBeGreaterThanOrEqual(40), { timeout: 5000 });
    expect(events.disconnected).toEqual([]);
    expect(server.sockets).toHaveLength(1);
  });

  it('backs off exponentially up to the cap while the server refuses connections', async () => {
    server.refuseWith = 503;
    const client = aClient();
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(events.reconnecting.length).toBeGreaterThanOrEqual(5));
    expect(events.reconnecting.slice(0, 5).map((r) => r.delayMs)).toEqual([20, 40, 80, 80, 80]);
    expect(events.reconnecting[0]!.reason).toBe('handshake refused with HTTP 503');
    expect(events.sessionExpired).toEqual([]);
    server.refuseWith = null;
    await vi.waitFor(() => expect(events.connected).toHaveLength(1));
  });

  it('reports a 403 handshake as a session expiry and stops reconnecting until a new token is set', async () => {
    server.refuseWith = 403;
    const client = aClient();
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(events.sessionExpired).toHaveLength(1));
    expect(events.sessionExpired[0]).toEqual({ connection: 0, at: T0, status: 403 });
    expect(events.reconnecting).toEqual([]);
    expect(scheduler.pending.size).toBe(0); // nothing scheduled: no reconnect storm
    expect(server.refused).toBe(1);
    expect(client.connectionStates()).toEqual(['session-expired']);

    server.refuseWith = null;
    client.setAccessToken('token-2');
    await vi.waitFor(() => expect(events.connected).toHaveLength(1));
    expect(server.sockets[0]!.url.searchParams.get('access_token')).toBe('token-2');
  });

  it('stops after a drop when the token expired meanwhile', async () => {
    const client = aClient();
    const events = record(client);
    client.subscribe([408065], 'full');
    client.connect();
    await vi.waitFor(() => expect(events.connected).toHaveLength(1));
    server.refuseWith = 403;
    server.dropAll();
    await vi.waitFor(() => expect(events.sessionExpired).toHaveLength(1));
    expect(events.disconnected).toHaveLength(1);
    expect(events.reconnecting).toHaveLength(1);
    expect(scheduler.pending.size).toBe(0);
    expect(server.refused).toBe(1);
  });

  it('spreads 9000 instruments over 3 connections of 3000 and rejects the 9001st', async () => {
    const client = aClient();
    const events = record(client);
    const tokens = Array.from({ length: 9000 }, (_, i) => ((i + 1) << 8) | 1);
    client.subscribe(tokens, 'ltp');
    client.connect();
    await vi.waitFor(() => expect(events.connected).toHaveLength(3));
    await vi.waitFor(() => expect(server.sockets.every((s) => s.messages.length === 2)).toBe(true));
    const perSocket = server.sockets.map((s) => (s.messages[0]!.v as number[]).length).sort();
    expect(perSocket).toEqual([3000, 3000, 3000]);
    expect(new Set(server.sockets.flatMap((s) => s.messages[0]!.v as number[])).size).toBe(9000);

    expect(() => client.subscribe([(9001 << 8) | 1])).toThrow(
      new TickerSubscriptionLimitError(
        'subscribing 1 new instruments would make 9001; the ticker allows 3 connections × 3000 = 9000 instruments',
      ),
    );
    expect(client.subscriptions().size).toBe(9000);
    client.subscribe(tokens.slice(0, 10), 'full'); // a mode change of subscribed instruments is not new
    client.unsubscribe([tokens[4000]!]);
    client.subscribe([(9001 << 8) | 1]);
    expect(client.subscriptions().size).toBe(9000);
    await vi.waitFor(() =>
      expect(
        server.sockets.some((s) =>
          s.messages.some((m) => m.a === 'subscribe' && (m.v as number[])[0] === ((9001 << 8) | 1)),
        ),
      ).toBe(true),
    );
  });

  it('delivers an order update received on several connections once', async () => {
    const client = aClient({ maxTokensPerConnection: 1 });
    const events = record(client);
    client.subscribe([408065, 884737]);
    client.connect();
    await vi.waitFor(() => expect(server.open()).toHaveLength(2));
    for (const s of server.open()) s.socket.send(orderMessage('OPEN'));
    for (const s of server.open()) s.socket.send(orderMessage('COMPLETE'));
    await vi.waitFor(() => expect(events.orderUpdates).toHaveLength(2));
    server.open()[0]!.socket.send(JSON.stringify({ type: 'error', data: 'sentinel' }));
    await vi.waitFor(() => expect(events.brokerErrors).toEqual(['sentinel']));
    expect(events.orderUpdates).toEqual(['250101000000001 OPEN', '250101000000001 COMPLETE']);
  });

  it('closes for good: no reconnect after close, later calls are refused', async () => {
    const client = aClient();
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(events.connected).toHaveLength(1));
    await client.close();
    expect(events.disconnected.map((d) => [d.reason, d.willReconnect])).toEqual([
      ['closed by the client', false],
    ]);
    expect(scheduler.pending.size).toBe(0);
    expect(events.reconnecting).toEqual([]);
    expect(() => client.subscribe([408065])).toThrow('subscribe() called on a closed ticker client');
  });

  it('closes while waiting to reconnect, cancelling the timer', async () => {
    server.refuseWith = 503;
    const client = aClient({ backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const events = record(client);
    client.connect();
    await vi.waitFor(() => expect(events.reconnecting).toHaveLength(1));
    expect(client.connectionStates()).toEqual(['waiting']);
    await client.close();
    expect(scheduler.pending.size).toBe(0);
    expect(client.connectionStates()).toEqual(['closed']);
  });

  it('closes while the handshake is still pending', async () => {
    const accepted: Socket[] = [];
    const silent = createNetServer((socket) => accepted.push(socket)); // accepts TCP, never answers the upgrade
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = aClient({ wsUrl: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}` });
      const events = record(client);
      client.connect();
      expect(client.connectionStates()).toEqual(['connecting']);
      await client.close();
      expect(scheduler.pending.size).toBe(0);
      expect(events.reconnecting).toEqual([]);
      expect(events.connected).toEqual([]);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('gives up a handshake that does not complete within the connect timeout and retries', async () => {
    const accepted: Socket[] = [];
    const silent = createNetServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = aClient({
        wsUrl: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        connectTimeoutMs: 50,
      });
      const events = record(client);
      client.connect();
      await vi.waitFor(() => expect(events.reconnecting.length).toBeGreaterThanOrEqual(2));
      expect(events.reconnecting[0]!.reason).toBe('socket error: Opening handshake has timed out');
      await client.close();
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
