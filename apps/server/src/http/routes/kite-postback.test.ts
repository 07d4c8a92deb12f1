import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAccountId, type JsonValue } from '@kitepilot/core';
import { postbackChecksum } from '@kitepilot/kite';
import { POSTBACK_RECEIPT, receiptBytes } from '../../broker/postback-receipts.ts';
import { loadConfig } from '../../config/load-config.ts';
import { PostbackMetrics } from '../../observability/postback-metrics.ts';
import type { TradingEnvironment } from '../../trading/trading-environment.ts';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import {
  KITE_POSTBACK_ALIAS_PATH,
  KITE_POSTBACK_PATH,
  POSTBACK_BODY_LIMIT_BYTES,
  registerKitePostbackRoutes,
} from './kite-postback.ts';

const SECRET = 'postback-secret';
const ACCOUNT = parseAccountId('acc_default');

function postback(orderId: string, status = 'COMPLETE', secret = SECRET): Record<string, unknown> {
  const body: Record<string, unknown> = {
    user_id: 'SIM001',
    order_id: orderId,
    status,
    order_timestamp: '2026-11-23 10:00:01',
    exchange: 'NSE',
    tradingsymbol: 'SIMINFY',
    quantity: 1,
    filled_quantity: status === 'COMPLETE' ? 1 : 0,
    tag: 'KPabc',
  };
  body['checksum'] = postbackChecksum(orderId, String(body['order_timestamp']), secret);
  return body;
}

interface Row {
  readonly id: number;
  readonly venue_order_id: string | null;
  readonly venue_status: string | null;
  readonly client_order_id: string | null;
  readonly payload: Record<string, JsonValue>;
}

describe('POST /api/broker/kite/postback', () => {
  let t: ApiTestApp;
  const received: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await apiTestApp(registerKitePostbackRoutes, {
      config: loadConfig({ env: { KITEPILOT_KITE_API_SECRET: SECRET }, cwd: '/' }).config,
    });
    // The process's postback metrics, as observability registers them; the route reports to them.
    new PostbackMetrics({ registry: t.ctx.metrics, clock: t.clock });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    received.length = 0;
    t.slot.current = null;
  });

  const trade = () => {
    t.slot.current = {
      env: { accountId: ACCOUNT } as TradingEnvironment,
      onPostback: (body) => void received.push(body),
      close: () => Promise.resolve(),
    };
  };
  const post = (payload: string | Buffer, contentType = 'application/json', url = KITE_POSTBACK_PATH) =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  const rows = async (where: string, params: unknown[] = []) =>
    (
      await t.store.driver.query<Row>(
        `SELECT id, venue_order_id, venue_status, client_order_id, payload FROM order_events
          WHERE source = 'postback' AND ${where} ORDER BY id`,
        params,
      )
    ).rows;
  const receiptsOf = (orderId: string) => rows('venue_order_id = $1', [orderId]);

  it('needs no credentials, hands a verified postback to the running trading once and records it byte-exact', async () => {
    trade();
    const body = postback('260000000000001');
    const text = `{ "status" : "COMPLETE",\n${JSON.stringify(body).slice(1)}`;
    const reply = await post(text);
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok', duplicate: false, applied: true });
    expect(received).toEqual([{ ...body, status: 'COMPLETE' }]);
    const [receipt, ...others] = await receiptsOf('260000000000001');
    expect(others).toEqual([]);
    expect(receipt).toMatchObject({
      venue_status: 'COMPLETE',
      client_order_id: null,
      payload: { receipt: POSTBACK_RECEIPT, verified: true, reason: null, bytes: Buffer.byteLength(text) },
    });
    expect(receiptBytes(receipt?.payload ?? null)?.equals(Buffer.from(text))).toBe(true);
    expect(await t.ctx.metrics.getSingleMetricAsString('kitepilot_postbacks_total')).toMatch(
      /kitepilot_postbacks_total\{status="COMPLETE"\} 1/,
    );
  });

  it('answers a repeated postback (same content, any spacing or key order) 200 duplicate and applies it once', async () => {
    trade();
    const body = postback('260000000000002');
    expect((await post(JSON.stringify(body))).json()).toEqual({
      status: 'ok',
      duplicate: false,
      applied: true,
    });
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2);
    for (const [text, url] of [
      [JSON.stringify(body), KITE_POSTBACK_PATH],
      [reordered, KITE_POSTBACK_ALIAS_PATH],
    ] as const) {
      const reply = await post(text, 'application/json', url);
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toEqual({ status: 'ok', duplicate: true, applied: false });
    }
    expect(received).toHaveLength(1);
    expect(await receiptsOf('260000000000002')).toHaveLength(1);
    // The next state of the same order is a different postback.
    const update = await post(JSON.stringify(postback('260000000000002', 'CANCELLED')));
    expect(update.json()).toEqual({ status: 'ok', duplicate: false, applied: true });
    expect(received.map((b) => b['status'])).toEqual(['COMPLETE', 'CANCELLED']);
  });

  it('applies one of several identical postbacks arriving at once', async () => {
    trade();
    const text = JSON.stringify(postback('260000000000003'));
    const replies = await Promise.all(Array.from({ length: 6 }, () => post(text)));
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(replies.filter((r) => (r.json() as { duplicate: boolean }).duplicate)).toHaveLength(5);
    expect(received).toHaveLength(1);
    expect(await receiptsOf('260000000000003')).toHaveLength(1);
  });

  it('refuses a bad checksum with 400, records the body raw and never applies it', async () => {
    trade();
    const text = JSON.stringify(postback('260000000000004', 'COMPLETE', 'another-secret'));
    for (let i = 0; i < 2; i++) {
      const reply = await post(text);
      expect(reply.statusCode).toBe(400);
      expect(reply.json()).toMatchObject({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'postback for order 260000000000004 has a checksum that does not verify',
        },
      });
    }
    expect(received).toEqual([]);
    const refused = await receiptsOf('260000000000004');
    expect(refused).toHaveLength(2);
    expect(refused[0]?.payload).toMatchObject({ verified: false, digest: null, raw: text });
  });

  it('refuses a body that is not JSON, or not UTF-8, with 400 and records its bytes exactly', async () => {
    trade();
    const form = 'order_id=1&status=COMPLETE';
    const reply = await post(form, 'application/x-www-form-urlencoded');
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ error: { message: expect.stringMatching(/not JSON/) as string } });
    const latin1 = Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]);
    const bad = await post(latin1, 'text/plain');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { message: expect.stringMatching(/is not UTF-8/) as string } });
    const array = await post('[1,2]');
    expect(array.json()).toMatchObject({ error: { message: 'postback body is not a JSON object ([1,2])' } });
    const stored = await rows('venue_order_id IS NULL');
    const bytes = stored.map((r) => receiptBytes(r.payload)?.toString('hex'));
    expect(bytes).toContain(Buffer.from(form).toString('hex'));
    expect(bytes).toContain(latin1.toString('hex'));
    expect(stored.find((r) => r.payload['rawBase64'] !== undefined)?.payload).toMatchObject({
      contentType: 'text/plain',
      verified: false,
    });
    expect(received).toEqual([]);
  });

  it('refuses a body over 64 KiB with 413 and records nothing', async () => {
    trade();
    const before = (await rows('true')).length;
    const body = { ...postback('260000000000005'), pad: 'x'.repeat(POSTBACK_BODY_LIMIT_BYTES) };
    const reply = await post(JSON.stringify(body));
    expect(reply.statusCode).toBe(413);
    expect(reply.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await rows('true')).length).toBe(before);
    expect(received).toEqual([]);
  });

  it('records a verified postback when no live trading runs, on the old path too', async () => {
    const body = postback('260000000000006');
    const reply = await post(JSON.stringify(body), 'application/json', KITE_POSTBACK_ALIAS_PATH);
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok', duplicate: false, applied: false });
    const [receipt] = await receiptsOf('260000000000006');
    expect(receipt?.payload).toMatchObject({ verified: true, raw: JSON.stringify(body) });
  });

  it('refuses every postback when no api secret is configured', async () => {
    const other = await apiTestApp(registerKitePostbackRoutes, {
      config: loadConfig({ env: {}, cwd: '/' }).config,
    });
    try {
      const reply = await other.app.inject({
        method: 'POST',
        url: KITE_POSTBACK_PATH,
        payload: JSON.stringify(postback('260000000000007')),
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
