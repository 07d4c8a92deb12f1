import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccountId, parseVenueOrderId, TestClock } from '@kitepilot/core';
import { postbackChecksum } from '@kitepilot/kite';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { calendarFromConfig } from '../../calendar-from-config.ts';
import type { Config } from '../../config/config-schema.ts';
import { loadConfig } from '../../config/load-config.ts';
import type { TradingEnvironment } from '../../trading/trading-environment.ts';
import type { TradingSlot } from '../../trading/trading-slot.ts';
import { buildApp } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import { KITE_POSTBACK_PATH, registerKitePostbackRoutes } from './kite-postback.ts';

const SECRET = 'postback-secret';
const ACCOUNT = parseAccountId('acc_default');

function postback(orderId: string, secret = SECRET): Record<string, unknown> {
  const body: Record<string, unknown> = {
    user_id: 'SIM001',
    order_id: orderId,
    status: 'COMPLETE',
    order_timestamp: '2026-11-23 10:00:01',
    exchange: 'NSE',
    tradingsymbol: 'SIMINFY',
    quantity: 1,
    filled_quantity: 1,
    tag: 'KPabc',
  };
  body['checksum'] = postbackChecksum(orderId, String(body['order_timestamp']), secret);
  return body;
}

describe('POST /api/kite/postback', () => {
  let store: Store;
  const slot: TradingSlot = { current: null };
  const received: Record<string, unknown>[] = [];
  let app: ReturnType<typeof buildApp>;

  function makeApp(config: Config) {
    const logger = pino({ level: 'silent' });
    const ctx: RouteContext = {
      store,
      config,
      clock: new TestClock(Date.UTC(2026, 10, 23, 4, 30)),
      calendar: calendarFromConfig(config),
      logger,
      metrics: new Registry(),
      trading: slot,
    };
    return buildApp({
      logger,
      metrics: ctx.metrics,
      statusSource: { status: () => Promise.reject(new Error('not used')) },
      routes: [(instance) => registerKitePostbackRoutes(instance, ctx)],
    });
  }

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    const config = loadConfig({ env: { KITEPILOT_KITE_API_SECRET: SECRET }, cwd: '/' }).config;
    app = makeApp(config);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const post = (payload: string, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: KITE_POSTBACK_PATH,
      payload,
      headers: { 'content-type': contentType },
    });

  const stored = (orderId: string) => store.orderEvents.listByVenueOrder(ACCOUNT, parseVenueOrderId(orderId));

  it('hands a verified postback to the running trading and answers 200', async () => {
    slot.current = {
      env: { accountId: ACCOUNT } as TradingEnvironment,
      onPostback: (body) => void received.push(body),
      close: () => Promise.resolve(),
    };
    const body = postback('260000000000001');
    const reply = await post(JSON.stringify(body));
    expect(reply.statusCode).toBe(200);
    expect(received).toEqual([body]);
    // The trading's execution client stores what it applies; the route adds nothing of its own.
    expect(await stored('260000000000001')).toEqual([]);
    slot.current = null;
  });

  it('refuses a bad checksum with 400 and stores the body raw without an order', async () => {
    const body = postback('260000000000002', 'another-secret');
    const reply = await post(JSON.stringify(body));
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/checksum that does not verify/) as string,
      },
    });
    const events = await stored('260000000000002');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'postback', clientOrderId: null, payload: body });
  });

  it('refuses a body that is not JSON with 400 and stores its text', async () => {
    const reply = await post('order_id=1&status=COMPLETE', 'application/x-www-form-urlencoded');
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ error: { message: expect.stringMatching(/not JSON/) as string } });
    const rows = await store.driver.query<{ payload: { raw: string } }>(
      "SELECT payload FROM order_events WHERE source = 'postback' AND venue_order_id IS NULL",
    );
    expect(rows.rows.map((r) => r.payload.raw)).toContain('order_id=1&status=COMPLETE');
  });

  it('stores a verified postback raw when no live trading runs', async () => {
    const body = postback('260000000000003');
    const reply = await post(JSON.stringify(body));
    expect(reply.statusCode).toBe(200);
    const events = await stored('260000000000003');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'postback', venueStatus: 'COMPLETE', payload: body });
  });

  it('refuses every postback when no api secret is configured', async () => {
    const other = makeApp(loadConfig({ env: {}, cwd: '/' }).config);
    try {
      const reply = await other.inject({
        method: 'POST',
        url: KITE_POSTBACK_PATH,
        payload: JSON.stringify(postback('260000000000004')),
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.statusCode).toBe(400);
      expect(reply.json()).toMatchObject({
        error: { message: expect.stringMatching(/apiSecret/) as string },
      });
    } finally {
      await other.close();
    }
  });
});
