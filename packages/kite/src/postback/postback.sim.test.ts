// Postbacks POSTed by the Kite simulator verify with its API secret and parse to order updates.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { istToEpochMs, TestClock, type Paise } from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KiteRestClient } from '../http/kite-rest-client.ts';
import { SystemClock } from '@kitepilot/runtime';
import { parsePostback, PostbackChecksumError } from './parse-postback.ts';
import { verifyPostbackChecksum } from './verify-postback-checksum.ts';

describe('postbacks from the simulator', () => {
  let sim: KiteSim;
  let receiver: Server;
  const bodies: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    sim = await startKiteSim({
      clock: new TestClock(istToEpochMs('2026-11-23', '10:00:30')),
      postbackUrl: `http://127.0.0.1:${port}/kite/postback`,
      enforceRateLimits: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });

  it('verifies and parses the postbacks of a filled order and rejects them under another secret', async () => {
    const client = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: sim.createAccessToken(),
      clock: new SystemClock({ keepAlive: true }),
    });
    const quote = (await client.getQuote(['NSE:SIMSBIN'])).get('NSE:SIMSBIN');
    const placed = await client.placeOrder({
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SIMSBIN',
      transactionType: 'BUY',
      quantity: 3,
      product: 'MIS',
      orderType: 'LIMIT',
      pricePaise: (quote?.depth.sell[0]?.pricePaise ?? 0) as Paise,
      tag: 'KPpostback1',
    });
    await sim.flushPostbacks();
    await vi.waitFor(() => expect(bodies.length).toBeGreaterThan(0));
    const updates = bodies
      .map((b) => parsePostback(b, sim.apiSecret))
      .filter((u) => u.venueOrderId === placed.orderId);
    expect(updates.at(-1)).toMatchObject({ status: 'COMPLETE', filledQty: 3, tag: 'KPpostback1' });
    for (const body of bodies) {
      expect(verifyPostbackChecksum(body, sim.apiSecret)).toBe(true);
      expect(() => parsePostback(body, 'not-the-secret')).toThrow(PostbackChecksumError);
    }
  });
});
