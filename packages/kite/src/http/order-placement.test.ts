import { TestClock } from '@kitepilot/core';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputException, KiteTimeoutError } from '../errors.ts';
import { KiteRestClient } from './kite-rest-client.ts';
import type { KitePlaceOrderParams } from './order-params.ts';
import { SafeOrderPlacer } from './order-placement.ts';
import { driveClock } from './testing/drive-clock.ts';
import {
  sendData,
  sendError,
  startFakeKiteServer,
  type FakeKiteServer,
  type RecordedRequest,
} from './testing/fake-kite-server.ts';

const ORDER: KitePlaceOrderParams = {
  variety: 'regular',
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transactionType: 'BUY',
  quantity: 1,
  product: 'MIS',
  orderType: 'MARKET',
  marketProtection: -1,
  tag: 'KPintent1',
};

let fake: FakeKiteServer;
let clock: TestClock;
let placer: SafeOrderPlacer;
let book: Record<string, unknown>[];

function bookHandler(onPlace: (req: RecordedRequest, res: ServerResponse) => void) {
  return (req: RecordedRequest, res: ServerResponse) => {
    if (req.method === 'GET' && req.path === '/orders') sendData(res, book);
    else onPlace(req, res);
  };
}

function addToBook(req: RecordedRequest): void {
  const form = new URLSearchParams(req.body);
  book.push({
    order_id: `ord${book.length + 1}`,
    status: 'OPEN',
    tag: form.get('tag'),
    tags: [form.get('tag')],
    quantity: 1,
  });
}

beforeEach(async () => {
  fake = await startFakeKiteServer();
  clock = new TestClock(Date.UTC(2026, 10, 23, 4, 0, 0));
  book = [];
  const client = new KiteRestClient({
    apiKey: 'k',
    accessToken: 't',
    baseUrl: fake.url,
    clock,
    random: () => 0,
    timeoutMs: 3000,
  });
  placer = new SafeOrderPlacer(client, { resolveWithinMs: 5000, pollIntervalMs: 1000 });
});
afterEach(() => fake.close());

const posts = () => fake.requests.filter((r) => r.method === 'POST').length;

describe('SafeOrderPlacer', () => {
  it('returns the order id when Kite answers', async () => {
    fake.handle(bookHandler((_req, res) => sendData(res, { order_id: '42' })));
    await expect(driveClock(clock, placer.place(ORDER))).resolves.toEqual({
      status: 'placed',
      orderId: '42',
    });
  });

  it('finds the order by tag when the placement answer is a 5xx but the order went through', async () => {
    fake.handle(
      bookHandler((req, res) => {
        addToBook(req);
        sendError(res, 504, 'NetworkException', 'Gateway timeout');
      }),
    );
    const result = await driveClock(clock, placer.place(ORDER));
    expect(result).toMatchObject({ status: 'found', orderId: 'ord1' });
    expect(posts()).toBe(1);
  });

  it('finds the order by tag when the answer never comes (timeout)', async () => {
    fake.handle(
      bookHandler((req) => {
        addToBook(req);
        // The answer is never written; the client's 3 s timeout fires on the test clock.
        setImmediate(() => clock.advanceBy(3000));
      }),
    );
    const result = await driveClock(clock, placer.place(ORDER));
    expect(result.status).toBe('found');
    expect(result.status === 'found' && result.uncertainty).toBeInstanceOf(KiteTimeoutError);
    expect(posts()).toBe(1);
  });

  it('reports not-placed after the bounded wait when no order carries the tag', async () => {
    fake.handle(bookHandler((_req, res) => sendError(res, 500, 'GeneralException', 'OMS error')));
    const start = clock.now();
    const result = await driveClock(clock, placer.place(ORDER));
    expect(result).toMatchObject({ status: 'not-placed', checks: 6 });
    expect(clock.now() - start).toBe(5000);
    expect(posts()).toBe(1);
  });

  it('finds an order that shows up in the orderbook only after a few reads', async () => {
    let pending: RecordedRequest | null = null;
    let reads = 0;
    fake.handle((req, res) => {
      if (req.method === 'POST') {
        pending = req;
        sendError(res, 503, 'NetworkException', 'OMS unreachable');
      } else {
        if (++reads === 3 && pending !== null) addToBook(pending);
        sendData(res, book);
      }
    });
    await expect(driveClock(clock, placer.place(ORDER))).resolves.toMatchObject({
      status: 'found',
      orderId: 'ord1',
    });
  });

  it('returns a broker rejection as rejected without reading the orderbook', async () => {
    fake.handle(bookHandler((_req, res) => sendError(res, 400, 'InputException', 'Invalid quantity')));
    const result = await driveClock(clock, placer.place(ORDER));
    expect(result.status === 'rejected' && result.error).toBeInstanceOf(InputException);
    expect(fake.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('sends one placement for concurrent calls with the same tag', async () => {
    fake.handle(bookHandler((_req, res) => sendData(res, { order_id: '77' })));
    const [a, b] = await driveClock(clock, Promise.all([placer.place(ORDER), placer.place(ORDER)]));
    expect(a).toEqual(b);
    expect(posts()).toBe(1);
  });

  it('refuses a placement without a tag', () => {
    expect(() => placer.place({ ...ORDER, tag: undefined as never })).toThrow(/needs a tag/);
  });
});
