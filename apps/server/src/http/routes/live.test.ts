// `GET /api/live` on a listening Fastify with a real paper trading environment (PGlite, TestClock, the time-window
// strategy entering RELIANCE at 09:30) and real `ws` clients.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { istToEpochMs, type BarInterval } from '@kitepilot/core';
import type { TradingEnvironment } from '../../trading/trading-environment.ts';
import {
  INFY,
  LiveTestClient,
  RELIANCE,
  startLiveServer,
  tickOf,
  waitUntil,
  type LiveServer,
} from '../../live/live-test-support.ts';

const at = (time: string): number => istToEpochMs('2026-11-23', time);

/**
 * Drives the strategy's entry: the pre-flight (due at once), a tick at 09:29, the 09:30 timer (MARKET BUY 5), a tick
 * at 09:30:01 fills it.
 */
async function enter(server: LiveServer, env: TradingEnvironment): Promise<void> {
  server.clock.advanceTo(server.clock.now());
  await env.scheduler.idle();
  await env.kernel.idle();
  env.onTick(RELIANCE.id, tickOf(RELIANCE, 1_500_00, at('09:29')).tick);
  await env.kernel.idle();
  server.clock.advanceTo(at('09:30'));
  await env.kernel.idle();
  server.clock.advanceTo(at('09:30') + 1000);
  env.onTick(RELIANCE.id, tickOf(RELIANCE, 1_501_00, server.clock.now()).tick);
  await env.kernel.idle();
}

describe('GET /api/live', () => {
  let server: LiveServer;
  const clients: LiveTestClient[] = [];
  const open = async (account?: string): Promise<LiveTestClient> => {
    const client = await LiveTestClient.open(server.url, account);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startLiveServer({ pnlIntervalMs: 20, statusIntervalMs: 50 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  it('sends hello, the connection state and the account snapshot on connect', async () => {
    const env = await server.startPaper();
    await enter(server, env);
    expect(env.portfolio.position(RELIANCE.id, 'MIS')?.netQty).toBe(5);
    // The order manager writes asynchronously: wait until the store has the fill the snapshot reads.
    await waitUntil(() => env.stats().fills === 1);

    const client = await open();
    await waitUntil(() => client.of('exposure').length > 0);
    expect(client.invalid).toEqual([]);
    const types = client.messages.map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(['hello', 'connection']);
    expect(client.messages.map((m) => m.seq)).toEqual(client.messages.map((_, i) => i + 1));

    const [hello] = client.of('hello');
    expect(hello).toMatchObject({
      accountId: 'acc_default',
      heartbeatSeconds: 15,
      serverTimeIst: '2026-11-23T09:30:01.000+05:30',
      available: { trading: true, marketData: false, simulated: false },
      snapshot: { positions: 1, fills: 1, ordersOmitted: 0, fillsOmitted: 0 },
    });
    expect(hello?.available.barIntervals).toContain('1m');
    expect(client.of('connection')[0]).toMatchObject({
      simulated: false,
      market: { running: false, ticker: 'none' },
      trading: {
        running: true,
        mode: 'paper',
        broker: 'paper',
        runId: env.runId,
        killSwitch: false,
        halted: null,
      },
    });
    expect(client.of('position')[0]).toMatchObject({
      snapshot: true,
      position: { instrumentId: 'RELIANCE.NSE', netQty: 5, product: 'MIS' },
    });
    const orders = client.of('order');
    expect(orders.length).toBe(hello?.snapshot.orders);
    expect(orders.every((o) => o.snapshot)).toBe(true);
    expect(orders[0]?.order).toMatchObject({ side: 'BUY', qty: 5, status: 'FILLED', filledQty: 5 });
    expect(client.of('fill')[0]).toMatchObject({ snapshot: true, fill: { qty: 5, side: 'BUY' } });
    const [pnl] = client.of('pnl');
    expect(pnl).toMatchObject({ snapshot: true, accountId: 'acc_default', lossCapPaise: 5000_00 });
    expect(pnl?.netPaise).toBe(pnl!.realisedPaise - pnl!.chargesPaise + pnl!.unrealisedPaise);
    expect(pnl?.lossCapUsedPaise).toBe(Math.max(0, -pnl!.netPaise));
    expect(client.of('exposure')[0]).toMatchObject({
      snapshot: true,
      openPositions: 1,
      instruments: [{ instrumentId: 'RELIANCE.NSE', netQty: 5 }],
    });
  });

  it('streams the order, fill, position and P&L of a real paper entry to its account only', async () => {
    const env = await server.startPaper();
    const own = await open('acc_default');
    await server.store.accounts.create({ id: 'acc_other' as never, name: 'other', createdAt: 0 });
    const other = await open('acc_other');
    other.send({ type: 'subscribe', instruments: ['NSE:RELIANCE'] });
    await other.roundTrip();
    await waitUntil(() => own.of('connection').length > 0 && other.of('connection').length > 0);
    expect(other.of('hello')[0]).toMatchObject({ accountId: 'acc_other', available: { trading: false } });
    expect(other.of('connection')[0]?.trading).toMatchObject({ running: false, mode: null });

    await enter(server, env);
    await waitUntil(() => own.of('fill').length === 1 && own.of('pnl').some((p) => !p.snapshot));
    const events = own.of('order').map((o) => o.event);
    expect(events).toContain('OrderFilled');
    expect(own.of('order').at(-1)?.order).toMatchObject({ status: 'FILLED', qty: 5 });
    expect(own.of('fill')[0]).toMatchObject({ snapshot: false, fill: { instrumentId: 'RELIANCE.NSE' } });
    expect(own.of('position').at(-1)).toMatchObject({ snapshot: false, position: { netQty: 5 } });
    // Bought 5 at the 09:30:01 tick (₹1,501.00): exposure 5 × 1,501.00 (no fee model in this paper run).
    await waitUntil(() => own.of('exposure').some((e) => !e.snapshot && e.openPositions === 1));
    expect(own.of('exposure').at(-1)).toMatchObject({
      totalPaise: 7505_00,
      total: '7505.00',
      instruments: [{ instrumentId: 'RELIANCE.NSE', netQty: 5, markPaise: 1_501_00 }],
    });
    const pnl = own
      .of('pnl')
      .filter((p) => !p.snapshot)
      .at(-1);
    expect(pnl).toMatchObject({ realisedPaise: 0, chargesPaise: 0, lossCapPaise: 5000_00 });
    expect(own.of('tick')).toEqual([]);

    // The other account saw the market data it asked for and none of acc_default's trading.
    await waitUntil(() => other.of('tick').length === 2);
    expect(other.of('tick').map((t) => t.tick.lastPricePaise)).toEqual([1_500_00, 1_501_00]);
    for (const type of ['order', 'fill', 'position', 'pnl', 'exposure', 'alert'] as const) {
      expect(other.of(type)).toEqual([]);
    }
    expect([...own.invalid, ...other.invalid]).toEqual([]);
  });

  it('turns a kill switch and a halt into alerts and a new connection state', async () => {
    const env = await server.startPaper();
    const client = await open();
    await waitUntil(() => client.of('connection').length === 1);
    await env.command({ type: 'KillSwitch', on: true, actor: 'test', reason: 'drill' });
    await waitUntil(() => client.of('alert').length === 1 && client.of('connection').length === 2);
    expect(client.of('alert')[0]).toMatchObject({
      level: 'critical',
      code: 'kill-switch',
      message: 'kill switch ON by test: drill',
      snapshot: false,
    });
    expect(client.of('connection')[1]?.trading.killSwitch).toBe(true);
    await env.command({
      type: 'Halt',
      accountId: env.accountId,
      actor: 'test',
      reason: 'loss too fast',
    });
    await waitUntil(() => client.of('alert').length === 2);
    expect(client.of('alert')[1]).toMatchObject({ code: 'trading-halted', message: /loss too fast/ });
    await waitUntil(() => client.of('connection').at(-1)?.trading.halted === 'loss too fast');
  });

  it('sends ticks and bars only of the instruments and intervals subscribed', async () => {
    const env = await server.startPaper();
    const client = await open();
    client.send({ type: 'subscribe', instruments: ['NSE:INFY'], bars: ['1m'] });
    await client.roundTrip();
    env.onTick(RELIANCE.id, tickOf(RELIANCE, 1_500_00, at('09:29')).tick);
    env.onTick(INFY.id, tickOf(INFY, 1_600_00, at('09:29')).tick);
    const bar = (start: string, interval: BarInterval) => ({
      instrumentId: INFY.id,
      interval,
      start: at(start),
      openPaise: 1_600_00 as never,
      highPaise: 1_601_00 as never,
      lowPaise: 1_599_00 as never,
      closePaise: 1_600_50 as never,
      volume: 10,
      oi: null,
      origin: 'live' as const,
    });
    env.onBar(bar('09:27', '1m'));
    env.onBar(bar('09:20', '5m'));
    env.onBar({ ...bar('09:27', '1m'), instrumentId: RELIANCE.id });
    await env.kernel.idle();
    await client.roundTrip();
    expect(client.of('tick').map((t) => t.tick.instrumentId)).toEqual(['INFY.NSE']);
    expect(client.of('bar').map((b) => [b.bar.instrumentId, b.bar.interval, b.bar.start])).toEqual([
      ['INFY.NSE', '1m', '2026-11-23T09:27:00.000+05:30'],
    ]);

    client.send({ type: 'unsubscribe', instruments: ['INFY.NSE'] });
    await client.roundTrip();
    env.onTick(INFY.id, tickOf(INFY, 1_602_00, at('09:29') + 500).tick);
    env.onBar(bar('09:28', '1m'));
    await env.kernel.idle();
    await client.roundTrip();
    expect(client.of('tick')).toHaveLength(1);
    expect(client.of('bar')).toHaveLength(1);
    expect(client.invalid).toEqual([]);
  });

  it('learns at once from an observed trading slot that trading started and stopped', async () => {
    await server.close();
    server = await startLiveServer({ statusIntervalMs: 600_000 }, { observedSlot: true });
    await server.store.accounts.create({ id: 'acc_default' as never, name: 'default', createdAt: 0 });
    const client = await open();
    await waitUntil(() => client.of('connection').length === 1);
    expect(client.of('hello')[0]?.available.trading).toBe(false);
    const env = await server.startPaper();
    await waitUntil(() => client.of('connection').length === 2);
    expect(client.of('connection')[1]?.trading).toMatchObject({ running: true, runId: env.runId });
    server.slot.current = null;
    await waitUntil(() => client.of('connection').length === 3);
    expect(client.of('connection')[2]?.trading).toMatchObject({ running: false, runId: null });
  });

  it('refuses a malformed or unknown account before the upgrade', async () => {
    await expect(LiveTestClient.open(server.url, 'nope')).rejects.toThrow('HTTP 400');
    await expect(LiveTestClient.open(server.url, 'acc_missing')).rejects.toThrow('HTTP 404');
  });

  it('answers bad client messages with an error naming the problem and stays open', async () => {
    await server.startPaper();
    const client = await open();
    client.send('not json');
    client.send({ type: 'subscribe', instruments: 'NSE:INFY' });
    client.send({ type: 'subscribe', instruments: ['NSE:INFY'], bars: ['2m'] });
    client.send({ type: 'launch' });
    await client.roundTrip();
    const errors = client.of('error');
    expect(errors.map((e) => e.code)).toEqual(['BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE']);
    expect(errors[0]?.message).toMatch(/not JSON/);
    expect(errors[1]?.message).toMatch(/^subscribe: \/instruments /);
    expect(errors[2]?.message).toMatch(/\/bars\/0/);
    expect(errors[3]?.message).toMatch(/unknown message type "launch"/);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});
