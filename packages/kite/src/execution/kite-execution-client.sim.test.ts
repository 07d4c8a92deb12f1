// KiteExecutionClient against the Kite simulator over real HTTP and WebSocket: report sequences the order state
// machine accepts up to FILLED, rejections with the broker's message, uncertain placements without a duplicate,
// identical ids across postback, socket, REST and poll, modify/cancel with the 25-modification cap, session
// expiry and degradation to paper.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applyOrderEvent,
  anOrder,
  instrumentId,
  intentTag,
  istToEpochMs,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  TestClock,
  type CancelOrder,
  type ExecutionClient,
  type ModifyOrder,
  type Order,
  type OrderType,
  type Paise,
} from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { SystemClock } from '@kitepilot/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KiteRestClient } from '../http/kite-rest-client.ts';
import { SafeOrderPlacer } from '../http/order-placement.ts';
import type { RateLimits } from '../http/rate-limiter.ts';
import { verifyPostbackChecksum } from '../postback/verify-postback-checksum.ts';
import { KiteTickerClient } from '../ws/kite-ticker-client.ts';
import { DegradingExecutionClient } from './degrading-execution-client.ts';
import { KiteExecutionClient, type MalformedOrderUpdate } from './kite-execution-client.ts';
import { OrderKeeper } from './testing/order-keeper.ts';

const START = istToEpochMs('2026-11-23', '10:00:30');
const ACCOUNT = parseAccountId('acc_test');
const GENEROUS: RateLimits = {
  perClass: {
    quote: [{ capacity: 100, periodMs: 1000 }],
    historical: [{ capacity: 100, periodMs: 1000 }],
    orders: [{ capacity: 100, periodMs: 1000 }],
    other: [{ capacity: 100, periodMs: 1000 }],
  },
  ordersPerDay: 100_000,
};

let seq = 0;
function order(type: OrderType, qty: number, limit: number | null, trigger: number | null = null): Order {
  seq++;
  return anOrder({
    id: parseIntentId(`int_exec${seq}`),
    clientOrderId: parseClientOrderId(`ord_exec${seq}`),
    instrumentId: instrumentId('SIMSBIN', 'NSE'),
    qty,
    orderType: type,
    limitPricePaise: limit as Paise | null,
    triggerPricePaise: trigger as Paise | null,
    createdAt: Date.now(),
  });
}

describe('KiteExecutionClient against the simulator', () => {
  let sim: KiteSim;
  let receiver: Server;
  const postbacks: string[] = [];
  const wall = new SystemClock({ keepAlive: true });
  let rest: KiteRestClient;
  let askPaise: number;
  let lastPaise: number;

  function newRest(options: { timeoutMs?: number } = {}): KiteRestClient {
    return new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: rest.accessToken,
      clock: wall,
      rateLimits: GENEROUS,
      backoff: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      ...options,
    });
  }

  function newClient(
    r: KiteRestClient,
    extra: { marketProtection?: number; settleUncertainAfterMs?: number } = {},
  ): { client: KiteExecutionClient; keeper: OrderKeeper; malformed: MalformedOrderUpdate[] } {
    const client = new KiteExecutionClient({
      rest: r,
      accountId: ACCOUNT,
      clock: wall,
      placer: new SafeOrderPlacer(r, { resolveWithinMs: 1500, pollIntervalMs: 100 }),
      tradeRetryMs: 50,
      ...extra,
    });
    const keeper = new OrderKeeper();
    client.setHandler(keeper.handle);
    const malformed: MalformedOrderUpdate[] = [];
    client.onMalformed((m) => malformed.push(m));
    return { client, keeper, malformed };
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        postbacks.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    sim = await startKiteSim({
      clock: new TestClock(START),
      enforceRateLimits: false,
      postbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/postback`,
    });
    rest = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: sim.createAccessToken(),
      clock: wall,
      rateLimits: GENEROUS,
    });
    const q = (await rest.getQuote(['NSE:SIMSBIN'])).get('NSE:SIMSBIN');
    askPaise = q?.depth.sell[0]?.pricePaise ?? 0;
    lastPaise = q?.lastPricePaise ?? 0;
    expect(askPaise).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await sim.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });

  async function expectFillsEqualTrades(o: Order): Promise<void> {
    expect(o.venueOrderId).not.toBeNull();
    const trades = await rest.getOrderTrades(o.venueOrderId ?? '');
    expect(trades.length).toBeGreaterThan(0);
    expect(o.filledQty).toBe(trades.reduce((s, t) => s + t.quantity, 0));
    expect(o.filledValuePaise).toBe(trades.reduce((s, t) => s + t.quantity * t.averagePricePaise, 0));
  }

  it('places MARKET and LIMIT orders whose reports take them to FILLED with the broker trades as fills', async () => {
    const { client, keeper } = newClient(rest);
    const market = keeper.add(order('MARKET', 4, null));
    const limit = keeper.add(order('LIMIT', 6, askPaise));
    await client.submit(market);
    await client.submit(limit);
    await client.settled();
    expect(keeper.get(market.clientOrderId).status).toBe('SUBMITTED');
    await client.poll();
    for (const o of [market, limit]) {
      const done = keeper.get(o.clientOrderId);
      expect(done.status).toBe('FILLED');
      expect(done.filledQty).toBe(o.qty);
      await expectFillsEqualTrades(done);
      const atBroker = (await rest.getOrders()).find((b) => b.orderId === done.venueOrderId);
      expect(atBroker?.tag).toBe(intentTag(o.intentId));
      // Kite's automatic protection (-1) went with the MARKET order only.
      expect(atBroker?.marketProtection).toBe(o.orderType === 'MARKET' ? -1 : 0);
    }
    expect(keeper.updates('rest').map((r) => r.update.type)).toEqual(['submit', 'submit']);
    expect(keeper.unmatched).toEqual([]);
  });

  it('reports a refused placement as submit-failed with the broker message, and an RMS rejection as REJECTED', async () => {
    const { client, keeper } = newClient(rest, { marketProtection: 0 });
    const market = keeper.add(order('MARKET', 1, null));
    await client.submit(market);
    await client.settled();
    const failed = keeper.get(market.clientOrderId);
    expect(failed.status).toBe('REJECTED');
    expect(failed.statusMessage).toBe('Market orders without market protection are not allowed via API.');

    const huge = keeper.add(order('LIMIT', 5_000_000, askPaise));
    await client.submit(huge);
    await client.settled();
    await client.poll();
    const rejected = keeper.get(huge.clientOrderId);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.statusMessage).toMatch(/margin|fund/i);
    expect(client.stats().submitFailed).toBe(1);
  });

  it('resolves a late placement reply by its tag and settles a placement that never happened, with no duplicate', async () => {
    const slow = newRest({ timeoutMs: 300 });
    const { client, keeper } = newClient(slow, { settleUncertainAfterMs: 0 });
    const late = keeper.add(order('LIMIT', 2, askPaise));
    sim.faults.delayNextResponses(1, 1000, '/orders/regular');
    await client.submit(late);
    await client.settled();
    expect(keeper.updates('rest')[0]?.update.type).toBe('submit');
    await client.poll();
    expect(keeper.get(late.clientOrderId).status).toBe('FILLED');
    expect((await rest.getOrders()).filter((b) => b.tag === intentTag(late.intentId))).toHaveLength(1);

    const lost = keeper.add(order('LIMIT', 2, askPaise));
    sim.faults.failNextRequests(1, 500, '/orders/regular');
    await client.submit(lost);
    await client.settled();
    expect(keeper.get(lost.clientOrderId).status).toBe('SUBMITTED');
    expect(keeper.updates('rest').at(-1)?.update.type).toBe('submit-uncertain');
    await client.poll();
    const settled = keeper.get(lost.clientOrderId);
    expect(settled.status).toBe('REJECTED');
    expect(settled.statusMessage).toMatch(/^not found at the broker/);
    expect((await rest.getOrders()).filter((b) => b.tag === intentTag(lost.intentId))).toHaveLength(0);
    expect(client.stats()).toMatchObject({ uncertain: 1, settledNotPlaced: 1 });
  });

  it('gives a fact the same id from postback, socket, REST and poll, so it applies once', async () => {
    const { client, keeper, malformed } = newClient(rest);
    const ticker = new KiteTickerClient({
      wsUrl: sim.wsUrl,
      apiKey: sim.apiKey,
      accessToken: rest.accessToken ?? '',
      clock: wall,
    });
    const detach = client.attachOrderUpdates(ticker);
    const connected = new Promise<void>((resolve) => ticker.on('connected', () => resolve()));
    ticker.connect();
    await connected;
    try {
      postbacks.length = 0;
      const o = keeper.add(order('LIMIT', 8, askPaise));
      await client.submit(o);
      await client.settled();
      await vi.waitFor(() => expect(keeper.get(o.clientOrderId).filledQty).toBe(8), { timeout: 5000 });
      expect(keeper.get(o.clientOrderId).status).toBe('FILLED');
      // The socket updates beat the placement reply; they were held until submit was reported.
      const mine = keeper.updates().filter((r) => r.intentId === o.intentId);
      expect(mine[0]?.update.type).toBe('submit');

      await sim.flushPostbacks();
      await vi.waitFor(() => expect(postbacks.length).toBeGreaterThan(0));
      for (const body of postbacks) {
        expect(verifyPostbackChecksum(body, sim.apiSecret)).toBe(true);
        client.onPostback(body);
      }
      await client.poll();
      await client.settled();

      const ids = (source: string, type: string): string[] =>
        keeper
          .updates(source)
          .filter((r) => r.intentId === o.intentId && r.update.type === type)
          .map((r) => r.update.id);
      const socketIds = ids('websocket', 'venue-status');
      expect(socketIds.length).toBeGreaterThan(2);
      expect(ids('postback', 'venue-status').length).toBeGreaterThan(0);
      expect(socketIds).toEqual(expect.arrayContaining(ids('postback', 'venue-status')));
      expect(socketIds).toEqual(expect.arrayContaining(ids('orderbook', 'venue-status')));
      const fillIds = ids('rest', 'fill');
      expect(fillIds.length).toBeGreaterThan(0);
      expect(ids('orderbook', 'fill').sort()).toEqual([...fillIds].sort());
      const final = keeper.get(o.clientOrderId);
      expect(final.filledQty).toBe(8);
      await expectFillsEqualTrades(final);

      // A second poll reports nothing new; a malformed postback is reported, never applied.
      const before = keeper.reports.length;
      await client.poll();
      expect(keeper.reports.length).toBe(before);
      client.onPostback(JSON.stringify({ order_id: final.venueOrderId, status: 'NOT A STATUS' }));
      client.onPostback('{not json');
      expect(keeper.reports.length).toBe(before);
      expect(malformed.map((m) => [m.source, m.venueOrderId])).toEqual([
        ['postback', final.venueOrderId],
        ['postback', null],
      ]);
    } finally {
      detach();
      await ticker.close();
    }
  });

  it('modifies up to the 25-modification cap, reports the refusal with the broker message, then cancels', async () => {
    const { client, keeper } = newClient(rest);
    const low = Math.round((lastPaise * 0.96) / 5) * 5;
    let o = keeper.add(order('LIMIT', 3, low));
    await client.submit(o);
    await client.settled();
    await client.poll();
    expect(keeper.get(o.clientOrderId).status).toBe('OPEN');

    const modify = async (n: number): Promise<void> => {
      o = applyOrderEvent(keeper.get(o.clientOrderId), {
        type: 'modify-request',
        id: `mod-${n}`,
        ts: wall.now(),
      });
      keeper.orders.set(o.clientOrderId, o);
      const command: ModifyOrder = {
        type: 'ModifyOrder',
        accountId: ACCOUNT,
        clientOrderId: o.clientOrderId,
        qty: null,
        limitPricePaise: (low - 5 * n) as Paise,
        triggerPricePaise: null,
        tsEvent: wall.now(),
        tsInit: wall.now(),
      };
      await client.modify(command, o);
      await client.settled();
    };
    for (let n = 1; n <= 25; n++) {
      await modify(n);
      expect(keeper.get(o.clientOrderId)).toMatchObject({ status: 'OPEN', limitPricePaise: low - 5 * n });
    }
    await modify(26);
    const refused = keeper.get(o.clientOrderId);
    expect(refused).toMatchObject({ status: 'OPEN', limitPricePaise: low - 125 });
    expect(refused.statusMessage).toContain('Maximum allowed order modifications (25) exceeded');

    const cancel: CancelOrder = {
      type: 'CancelOrder',
      accountId: ACCOUNT,
      clientOrderId: o.clientOrderId,
      reason: 'test',
      tsEvent: wall.now(),
      tsInit: wall.now(),
    };
    keeper.orders.set(
      o.clientOrderId,
      applyOrderEvent(keeper.get(o.clientOrderId), { type: 'cancel-request', id: 'cxl-1', ts: wall.now() }),
    );
    await client.cancel(cancel, keeper.get(o.clientOrderId));
    await client.settled();
    expect(keeper.get(o.clientOrderId)).toMatchObject({ status: 'CANCELLED', cancelledQty: 3 });
    // A second cancellation is refused by the broker: reported with its message, the order stays cancelled.
    await client.cancel(cancel, keeper.get(o.clientOrderId));
    await client.settled();
    const echo = keeper.updates('rest').findLast((r) => r.update.id.startsWith('request-failed:cancel:'));
    expect(echo?.update).toMatchObject({
      type: 'venue-status',
      status: 'CANCELLED',
      message: expect.stringMatching(/^cancel refused: .*cannot be cancelled/) as string,
    });
    expect(keeper.get(o.clientOrderId).status).toBe('CANCELLED');
    expect(client.stats().requestFailures).toBe(2);
  });

  it('degrades new orders to paper while the broker is unreachable and back when it answers', async () => {
    const r = newRest();
    const live = new KiteExecutionClient({ rest: r, accountId: ACCOUNT, clock: wall });
    const paperOrders: Order[] = [];
    const paper: ExecutionClient = {
      setHandler: () => undefined,
      submit: (o) => void paperOrders.push(o),
      modify: () => undefined,
      cancel: () => undefined,
    };
    const events: string[] = [];
    const degrading = new DegradingExecutionClient({
      live,
      paper,
      onDegraded: (reason) => events.push(`degraded: ${reason}`),
      onRestored: () => events.push('restored'),
    });
    const keeper = new OrderKeeper();
    degrading.setHandler(keeper.handle);

    sim.faults.failNextRequests(1, 503, '/orders');
    await live.poll();
    expect(events).toEqual([expect.stringMatching(/^degraded: /)]);
    const onPaper = keeper.add(order('LIMIT', 1, askPaise));
    await degrading.submit(onPaper);
    expect(paperOrders.map((o) => o.clientOrderId)).toEqual([onPaper.clientOrderId]);
    expect(degrading.venueOf(onPaper.clientOrderId)).toBe('paper');

    await live.poll();
    expect(events.at(-1)).toBe('restored');
    const onBroker = keeper.add(order('LIMIT', 1, askPaise));
    await degrading.submit(onBroker);
    await live.settled();
    expect(keeper.get(onBroker.clientOrderId).status).toBe('SUBMITTED');
    expect(paperOrders).toHaveLength(1);
    expect(keeper.reports.map((x) => x.type)).toEqual(
      expect.arrayContaining(['BrokerDisconnected', 'BrokerConnected']),
    );
  });

  it('reports an expired session once and refuses placements without sending them', async () => {
    const { client, keeper } = newClient(newRest());
    sim.faults.expireTokens();
    await client.poll();
    await client.poll();
    expect(keeper.reports.filter((x) => x.type === 'SessionExpired')).toHaveLength(1);
    const o = keeper.add(order('LIMIT', 1, askPaise));
    await client.submit(o);
    await client.settled();
    expect(keeper.get(o.clientOrderId).status).toBe('REJECTED');
    expect(keeper.get(o.clientOrderId).statusMessage).toMatch(/^not sent: SessionExpired/);
  });

  it('caused no internal error in the simulator', () => {
    expect(sim.internalErrors()).toEqual([]);
  });
});
