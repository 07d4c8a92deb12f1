// The hub's backpressure, heartbeat and flood rules on a listening Fastify: real `ws` clients that keep up, and a raw
// TCP WebSocket client that stops reading (a slow browser) or never answers pings (a dead one). Events go in through
// the running paper environment's bus, as the kernel publishes them.
import { afterEach, describe, expect, it } from 'vitest';
import { aFill, parseAccountId } from '@kitepilot/core';
import type { TradingEnvironment } from '../trading/trading-environment.ts';
import type { LiveHubTuning } from './live-hub.ts';
import {
  LiveTestClient,
  RawLiveSocket,
  RELIANCE,
  START_MS,
  startLiveServer,
  tickOf,
  waitUntil,
  type LiveServer,
} from './live-test-support.ts';

const ACCOUNT = parseAccountId('acc_default');
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LiveHub', () => {
  let server: LiveServer | null = null;
  const closers: (() => void)[] = [];

  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await server?.close();
    server = null;
  });

  async function setUp(tuning: Partial<LiveHubTuning>): Promise<{ s: LiveServer; env: TradingEnvironment }> {
    const s = await startLiveServer({ heartbeatMs: 60_000, ...tuning });
    server = s;
    return { s, env: await s.startPaper() };
  }

  async function fastClient(s: LiveServer, subscribe = true): Promise<LiveTestClient> {
    const client = await LiveTestClient.open(s.url);
    closers.push(() => client.close());
    if (subscribe) client.send({ type: 'subscribe', instruments: ['NSE:RELIANCE'] });
    await client.roundTrip();
    return client;
  }

  async function rawClient(s: LiveServer, subscribe: boolean): Promise<RawLiveSocket> {
    const raw = await RawLiveSocket.open(s.url);
    closers.push(() => raw.destroy());
    if (subscribe) raw.sendText(JSON.stringify({ type: 'subscribe', instruments: ['NSE:RELIANCE'] }));
    raw.sendText(JSON.stringify({ type: 'ping', id: 'ready' }));
    await waitUntil(() => raw.messages().some((m) => m.type === 'pong'));
    return raw;
  }

  it('coalesces ticks for a client that stops reading while a fast client gets every one', async () => {
    const { s, env } = await setUp({});
    const fast = await fastClient(s);
    const slow = await rawClient(s, true);
    slow.pause();

    // Published as the kernel does, in turns of 50 so the fast client reads between them; the loop never waits on
    // a socket, whatever the slow client does.
    const total = 60_000;
    for (let i = 0; i < total; i += 50) {
      for (let j = i; j < i + 50; j++) env.bus.publish('tick', tickOf(RELIANCE, 1_000_00 + j, START_MS + j));
      await nextTurn();
    }
    const last = 1_000_00 + total - 1;
    await waitUntil(() => fast.of('tick').at(-1)?.tick.lastPricePaise === last, 30_000);
    expect(fast.of('tick')).toHaveLength(total);
    expect(fast.of('dropped')).toEqual([]);
    expect(fast.invalid).toEqual([]);

    // While paused, the slow client costs the server at most its one pending tick.
    const stats = s.hub.stats();
    expect(stats.coalesced).toBeGreaterThan(0);
    expect(stats.pending).toBeLessThanOrEqual(1);
    expect(await s.ctx.metrics.getSingleMetricAsString('kitepilot_live_messages_coalesced_total')).toMatch(
      new RegExp(`kitepilot_live_messages_coalesced_total\\{type="tick"\\} ${stats.coalesced}`),
    );

    slow.resume();
    const ticksOf = () => slow.messages().filter((m) => m.type === 'tick');
    await waitUntil(() => ticksOf().at(-1)?.tick.lastPricePaise === last, 30_000);
    const messages = slow.messages();
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    const dropped = messages.filter((m) => m.type === 'dropped');
    expect(dropped.length).toBeGreaterThan(0);
    const droppedCount = dropped.reduce((sum, d) => sum + d.count, 0);
    expect(dropped.every((d) => Object.keys(d.byType).join() === 'tick')).toBe(true);
    expect(dropped.at(-1)?.total).toBe(droppedCount);
    // Every tick published was either sent or reported as dropped.
    expect(ticksOf().length + droppedCount).toBe(total);
    expect(ticksOf().length).toBeLessThan(total);
  });

  it('closes a client that stops reading with 1013 when its fills pile up, and keeps serving the others', async () => {
    const { s, env } = await setUp({ maxOutbox: 100 });
    const fast = await fastClient(s, false);
    const slow = await rawClient(s, false);
    slow.pause();

    let published = 0;
    // Fills are never coalesced: the slow client's outbox grows until it passes 100 and the hub closes it.
    for (let turn = 0; turn < 4000 && s.hub.stats().disconnects.backlog === undefined; turn++) {
      for (let j = 0; j < 20; j++) {
        published++;
        env.bus.publish('fill', aFill({ accountId: ACCOUNT, qty: published, tsEvent: START_MS }));
      }
      await nextTurn();
    }
    expect(s.hub.stats().disconnects).toEqual({ backlog: 1 });
    expect(s.hub.stats().clients).toBe(1);
    for (let j = 0; j < 20; j++) {
      published++;
      env.bus.publish('fill', aFill({ accountId: ACCOUNT, qty: published, tsEvent: START_MS }));
    }
    await waitUntil(() => fast.of('fill').length === published, 30_000);
    expect(fast.of('fill').map((f) => f.fill.qty)).toEqual(
      Array.from({ length: published }, (_, i) => i + 1),
    );
    expect(await s.ctx.metrics.getSingleMetricAsString('kitepilot_live_disconnects_total')).toContain(
      'kitepilot_live_disconnects_total{reason="backlog"} 1',
    );

    // The close frame waits behind what the server had buffered: the client sees it once it reads again.
    slow.resume();
    await waitUntil(() => slow.closeCode() !== null, 30_000);
    expect(slow.closeCode()).toBe(1013);
    const close = slow.frames.find((f) => f.opcode === 0x8);
    expect(close?.payload.subarray(2).toString()).toBe(
      'more than 100 messages waiting: reconnect for a fresh snapshot',
    );
  });

  it('terminates a socket that does not answer pings and keeps one that does', async () => {
    const { s } = await setUp({ heartbeatMs: 100 });
    const live = await fastClient(s, false);
    const dead = await rawClient(s, false);
    await dead.ended;
    expect(s.hub.stats().disconnects).toEqual({ heartbeat: 1 });
    await live.roundTrip();
    expect(live.socket.readyState).toBe(live.socket.OPEN);
    expect(live.of('hello')[0]?.heartbeatSeconds).toBe(1);
  });

  it('closes with 1008 after too many invalid messages, answering each one before', async () => {
    const { s } = await setUp({ maxBadMessages: 3 });
    const client = await fastClient(s, false);
    for (let i = 0; i < 4; i++) client.send(`{"type":"subscribe","instruments":[${i}]}`);
    await client.closed;
    expect(client.closeCode).toBe(1008);
    expect(client.closeReason).toBe('more than 3 invalid messages in 10 s');
    expect(client.of('error')).toHaveLength(3);
    expect(client.of('error')[0]?.message).toMatch(/^subscribe: \/instruments\/0 /);
    expect(s.hub.stats().disconnects).toEqual({ 'bad-messages': 1 });
  });

  it('refuses to watch more than 200 instruments and keeps the subscription it had', async () => {
    const { s } = await setUp({});
    const client = await fastClient(s);
    const many = Array.from({ length: 200 }, (_, i) => `NSE:SYM${i}`);
    client.send({ type: 'subscribe', instruments: many });
    await client.roundTrip();
    expect(client.of('error')[0]?.message).toBe(
      'subscribe: 201 instruments would be watched; the most is 200',
    );
    s.slot.current?.env.bus.publish('tick', tickOf(RELIANCE, 1_234_00, START_MS));
    await client.roundTrip();
    expect(client.of('tick').map((t) => t.tick.lastPricePaise)).toEqual([1_234_00]);
  });

  it('sends the state once to a client whose connection makes the hub attach to a trading start', async () => {
    // The status timer never fires: the client's connect is what finds the new trading environment, so the state
    // refresh it starts runs while the client's snapshot (which carries the same state) is read.
    const { s, env } = await setUp({ statusIntervalMs: 600_000 });
    const client = await fastClient(s, false);
    expect(client.of('connection').map((c) => c.trading.runId)).toEqual([env.runId]);
    await env.command({ type: 'KillSwitch', on: true, actor: 'test', reason: 'drill' });
    await waitUntil(() => client.of('connection').length === 2);
    await client.roundTrip();
    expect(client.of('connection').map((c) => c.trading.killSwitch)).toEqual([false, true]);
    expect(client.messages.map((m) => m.seq)).toEqual(client.messages.map((_, i) => i + 1));
  });

  it('closes every client with 1001 when it closes, and counts connected clients at scrape', async () => {
    const { s } = await setUp({});
    const a = await fastClient(s, false);
    const b = await fastClient(s, false);
    expect(await s.ctx.metrics.getSingleMetricAsString('kitepilot_live_clients')).toContain(
      'kitepilot_live_clients 2',
    );
    b.close();
    await b.closed;
    await waitUntil(() => s.hub.stats().clients === 1);
    expect(s.hub.stats().disconnects).toEqual({ client: 1 });
    s.hub.close();
    await a.closed;
    expect(a.closeCode).toBe(1001);
    expect(a.closeReason).toBe('server shutting down');
    expect(s.ctx.metrics.getSingleMetric('kitepilot_live_clients')).toBeUndefined();
  });
});
