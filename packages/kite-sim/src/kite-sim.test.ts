// The simulator over real loopback sockets: session expiry on a TestClock, headers, rate limits, the ticker's
// upgrade checks and frames, postbacks with valid checksums, and every fault of KiteSimFaults.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { istToEpochMs, TestClock } from '@kitepilot/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startKiteSim, type KiteSim, type KiteSimOptions } from './index.ts';

const T0 = istToEpochMs('2026-11-23', '10:00:00');
const sims: KiteSim[] = [];
const servers: Server[] = [];
const sockets: WebSocket[] = [];
const socketErrors: Error[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const s of sims.splice(0)) await s.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

async function sim(options: KiteSimOptions = {}): Promise<KiteSim> {
  const s = await startKiteSim({ clock: new TestClock(T0), enforceRateLimits: false, ...options });
  sims.push(s);
  return s;
}

function api(s: KiteSim, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${s.restUrl}${path}`, {
    ...init,
    headers: { 'X-Kite-Version': '3', Authorization: `token ${s.apiKey}:${token}`, ...(init.headers ?? {}) },
  });
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  };
}

function connect(s: KiteSim, token: string): WebSocket {
  const ws = new WebSocket(`${s.wsUrl}/?api_key=${s.apiKey}&access_token=${token}`);
  sockets.push(ws);
  // Rejected upgrades and terminated sockets report errors; the tests assert on statuses instead.
  ws.on('error', (error) => socketErrors.push(error));
  return ws;
}

const MARKET_BUY = {
  exchange: 'NSE',
  tradingsymbol: 'SIMSBIN',
  transaction_type: 'BUY',
  quantity: '1',
  product: 'MIS',
  order_type: 'MARKET',
  market_protection: '2',
};

describe('startKiteSim', () => {
  it('expires access tokens at the next 06:00 IST on the injected clock', async () => {
    const clock = new TestClock(T0);
    const s = await sim({ clock });
    const token = s.createAccessToken();
    clock.advanceTo(istToEpochMs('2026-11-24', '05:59:59'));
    expect((await api(s, token, '/user/profile')).status).toBe(200);
    clock.advanceTo(istToEpochMs('2026-11-24', '06:00:00'));
    const res = await api(s, token, '/user/profile');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'Incorrect `api_key` or `access_token`.',
      error_type: 'TokenException',
      data: null,
    });
  });

  it('expires request tokens after five minutes', async () => {
    const clock = new TestClock(T0);
    const s = await sim({ clock });
    const requestToken = s.createRequestToken();
    clock.advanceBy(5 * 60_000);
    const checksum = createHash('sha256')
      .update(s.apiKey + requestToken + s.apiSecret)
      .digest('hex');
    const res = await fetch(
      `${s.restUrl}/session/token`,
      form({ api_key: s.apiKey, request_token: requestToken, checksum }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error_type: 'TokenException',
      message: 'Token is invalid or has expired.',
    });
  });

  it('logs out an access token with DELETE /session/token', async () => {
    const s = await sim();
    const token = s.createAccessToken();
    const res = await api(s, token, `/session/token?api_key=${s.apiKey}&access_token=${token}`, {
      method: 'DELETE',
    });
    expect(await res.json()).toEqual({ status: 'success', data: true });
    expect((await api(s, token, '/user/profile')).status).toBe(403);
  });

  it('requires X-Kite-Version: 3 on API calls', async () => {
    const s = await sim();
    const res = await fetch(`${s.restUrl}/user/profile`, {
      headers: { Authorization: `token ${s.apiKey}:${s.createAccessToken()}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_type: 'InputException' });
  });

  it('answers a burst over the quote limit of 1/s with 429 and a plain-text body', async () => {
    const s = await sim({ enforceRateLimits: true });
    const token = s.createAccessToken();
    const first = await api(s, token, '/quote/ltp?i=NSE:SIMSBIN');
    const second = await api(s, token, '/quote/ltp?i=NSE:SIMSBIN');
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.headers.get('content-type')).toBe('text/plain');
    expect(await second.text()).toBe('Too many requests');
    // Other classes have their own buckets.
    expect((await api(s, token, '/user/profile')).status).toBe(200);
  });

  it('lets a burst of 10 orders through and refuses what exceeds the 10/s bucket', async () => {
    const s = await sim({ enforceRateLimits: true });
    const token = s.createAccessToken();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(s, token, '/orders/regular', form(MARKET_BUY)).then((r) => r.status),
      ),
    );
    const elapsedMs = performance.now() - started;
    const accepted = results.filter((r) => r === 200).length;
    // Capacity 10, refilled at 10 per second while the burst was being served.
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThanOrEqual(10 + Math.ceil(elapsedMs / 100));
    expect(results.filter((r) => r === 429)).toHaveLength(20 - accepted);
    expect(accepted).toBeLessThan(20);
  });

  it('injects 5xx errors and 429s on a path prefix, then answers normally', async () => {
    const s = await sim();
    const token = s.createAccessToken();
    s.faults.failNextRequests(1, 503, '/quote');
    s.faults.rateLimitNextRequests(1, '/user');
    const failed = await api(s, token, '/quote/ltp?i=NSE:SIMSBIN');
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ status: 'error', error_type: 'NetworkException' });
    expect((await api(s, token, '/user/profile')).status).toBe(429);
    expect((await api(s, token, '/quote/ltp?i=NSE:SIMSBIN')).status).toBe(200);
    expect((await api(s, token, '/user/profile')).status).toBe(200);
  });

  it('delays a placement response while the order still takes effect (an uncertain placement)', async () => {
    const s = await sim();
    const token = s.createAccessToken();
    s.faults.delayNextResponses(1, 2_000, '/orders/regular');
    const abort = new AbortController();
    const pending = api(s, token, '/orders/regular', {
      ...form({ ...MARKET_BUY, tag: 'intent42' }),
      signal: abort.signal,
    });
    await vi.waitFor(async () => {
      const book = (await (await api(s, token, '/orders')).json()) as {
        data: { tag: string | null; status: string }[];
      };
      expect(book.data.filter((o) => o.tag === 'intent42').map((o) => o.status)).toEqual(['COMPLETE']);
    });
    abort.abort();
    await expect(pending).rejects.toThrow();
  });

  it('expires every token on demand, for REST and for the ticker upgrade', async () => {
    const s = await sim();
    const token = s.createAccessToken();
    s.faults.expireTokens();
    expect((await api(s, token, '/user/profile')).status).toBe(403);
    const ws = connect(s, token);
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
    expect((await api(s, s.createAccessToken(), '/user/profile')).status).toBe(200);
  });

  it('sends one-byte heartbeats and frames for subscribed tokens in the default quote mode', async () => {
    const s = await sim({ heartbeatIntervalMs: 50, tickIntervalMs: 40 });
    const ws = connect(s, s.createAccessToken());
    const binary: Buffer[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) binary.push(data);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const token = s.instruments.find((i) => i.tradingsymbol === 'SIMSBIN')!.instrumentToken;
    ws.send(JSON.stringify({ a: 'subscribe', v: [token] }));
    await vi.waitFor(() => {
      expect(binary.some((b) => b.length === 1 && b[0] === 0)).toBe(true);
      const frame = binary.find((b) => b.length > 1);
      expect(frame).toBeDefined();
      expect(frame!.readUInt16BE(0)).toBe(1);
      expect(frame!.readUInt16BE(2)).toBe(44);
      expect(frame!.readUInt32BE(4)).toBe(token);
    });
  });

  it('refuses more than 3000 instruments on one connection with an error text message', async () => {
    const s = await sim();
    const ws = connect(s, s.createAccessToken());
    const texts: string[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) texts.push(data.toString('utf8'));
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ a: 'subscribe', v: Array.from({ length: 3001 }, (_, i) => 1000 + i) }));
    await vi.waitFor(() =>
      expect(texts.map((t) => JSON.parse(t) as unknown)).toContainEqual({
        type: 'error',
        data: 'Maximum of 3000 instruments per connection exceeded',
      }),
    );
  });

  it('drops ticker sockets without a close frame', async () => {
    const s = await sim();
    const ws = connect(s, s.createAccessToken());
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    s.faults.dropSockets();
    expect(await closed).toBe(1006);
  });

  it('stalls ticks and heartbeats for the requested time', async () => {
    const s = await sim({ heartbeatIntervalMs: 20 });
    const ws = connect(s, s.createAccessToken());
    const arrivals: number[] = [];
    ws.on('message', () => arrivals.push(performance.now()));
    await vi.waitFor(() => expect(arrivals.length).toBeGreaterThan(2));
    const stalledAt = performance.now();
    s.faults.stallSockets(400);
    await vi.waitFor(() => expect(arrivals.some((t) => t > stalledAt + 400)).toBe(true), { timeout: 3000 });
    const during = arrivals.filter((t) => t > stalledAt + 30 && t < stalledAt + 390);
    expect(during).toEqual([]);
  });

  it('pushes the fill of a resting order as an order update without any REST call', async () => {
    const clock = new TestClock(T0);
    const s = await sim({ clock, tickIntervalMs: 20 });
    const token = s.createAccessToken();
    const ws = connect(s, token);
    const updates: Record<string, unknown>[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary)
        updates.push((JSON.parse(data.toString('utf8')) as { data: Record<string, unknown> }).data);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const quote = (await (await api(s, token, '/quote?i=NSE:SIMSBIN')).json()) as {
      data: Record<string, { last_price: number }>;
    };
    const trigger = quote.data['NSE:SIMSBIN']!.last_price + 0.05;
    const placed = (await (
      await api(
        s,
        token,
        '/orders/regular',
        form({ ...MARKET_BUY, order_type: 'SL-M', trigger_price: trigger.toFixed(2) }),
      )
    ).json()) as { data: { order_id: string } };
    await vi.waitFor(() =>
      expect(updates.filter((u) => u['order_id'] === placed.data.order_id).at(-1)?.['status']).toBe(
        'TRIGGER PENDING',
      ),
    );
    // Move the market an hour on with no request: the matcher walks every second of that hour by itself.
    clock.advanceTo(T0 + 3_600_000);
    await vi.waitFor(() =>
      expect(updates.filter((u) => u['order_id'] === placed.data.order_id).map((u) => u['status'])).toContain(
        'COMPLETE',
      ),
    );
  });

  it('POSTs postbacks with valid checksums and loses or delays them on demand', async () => {
    const received: Record<string, unknown>[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        res.end('ok');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const s = await sim({ postbackUrl: `http://127.0.0.1:${port}/postback` });
    const token = s.createAccessToken();
    s.faults.losePostbacks(2);
    const placed = (await (await api(s, token, '/orders/regular', form(MARKET_BUY))).json()) as {
      data: { order_id: string };
    };
    await s.flushPostbacks();
    // PUT ORDER REQ RECEIVED and VALIDATION PENDING were lost; OPEN PENDING, OPEN and COMPLETE arrived.
    expect(received.map((p) => p['status'])).toEqual(['OPEN PENDING', 'OPEN', 'COMPLETE']);
    expect(s.postbackStats()).toMatchObject({ sent: 3, lost: 2, failures: [] });
    for (const p of received) {
      expect(p['order_id']).toBe(placed.data.order_id);
      const expected = createHash('sha256')
        .update(String(p['order_id']) + String(p['order_timestamp']) + s.apiSecret)
        .digest('hex');
      expect(p['checksum']).toBe(expected);
      expect(p).toMatchObject({ user_id: 'SIM001', unfilled_quantity: p['status'] === 'COMPLETE' ? 0 : 1 });
    }
    s.faults.delayPostbacks(300);
    const before = performance.now();
    await api(s, token, '/orders/regular', form(MARKET_BUY));
    await s.flushPostbacks();
    expect(performance.now() - before).toBeGreaterThanOrEqual(300);
    expect(received).toHaveLength(8);
  });
});
