// AlertNotifier and its channels against a real local HTTP server that records every request and answers as told
// (Slack's "ok", Telegram's {"ok":true}, 500s, 429 with retry_after, 400, or no answer at all).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TestClock } from '@kitepilot/core';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AlertDeliveryError,
  SlackWebhookChannel,
  TelegramChannel,
  type AlertChannel,
} from './alert-channels.ts';
import { AlertNotifier, formatAlert, type NotifiedAlert } from './alert-notifier.ts';

interface Recorded {
  readonly path: string;
  readonly body: Record<string, unknown>;
}
type Answer = (res: ServerResponse, req: Recorded) => void;

const SLACK_PATH = '/services/T0001/B0001/s3cr3tw3bh00k';
const TOKEN = '123456:ABCdef_ghi-JKL';

/** A local server; `answers` are used in order for each request, then `ok` for the rest. */
class RecordingServer {
  readonly requests: Recorded[] = [];
  readonly answers: Answer[] = [];
  #server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    this.#server = server;
    return this;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const recorded = { path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> };
    this.requests.push(recorded);
    const answer = this.answers.shift() ?? ok;
    answer(res, recorded);
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

const ok: Answer = (res, req) =>
  req.path.includes('/sendMessage')
    ? res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":{}}')
    : res.writeHead(200).end('ok');
const status =
  (code: number, body = ''): Answer =>
  (res) =>
    res.writeHead(code).end(body);

const servers: RecordingServer[] = [];
const notifiers: AlertNotifier[] = [];
afterEach(async () => {
  for (const n of notifiers.splice(0)) await n.close();
  for (const s of servers.splice(0)) await s.stop();
});

async function server(): Promise<RecordingServer> {
  const s = await new RecordingServer().start();
  servers.push(s);
  return s;
}

function notifier(
  channels: AlertChannel[],
  clock: TestClock,
  overrides: Partial<ConstructorParameters<typeof AlertNotifier>[0]> = {},
): { notifier: AlertNotifier; registry: Registry } {
  const registry = new Registry();
  const n = new AlertNotifier({
    channels,
    minLevel: 'warning',
    rateLimitMs: 60_000,
    retries: 3,
    backoffMs: 1000,
    clock,
    logger: pino({ level: 'silent' }),
    registry,
    ...overrides,
  });
  notifiers.push(n);
  return { notifier: n, registry };
}

async function value(registry: Registry, name: string, ...labels: string[]): Promise<number | null> {
  const line = (await registry.metrics())
    .split('\n')
    .find((l) => l.startsWith(name) && labels.every((f) => l.includes(f)));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const alert = (overrides: Partial<NotifiedAlert> = {}): NotifiedAlert => ({
  level: 'critical',
  code: 'loss-cap-hit',
  message: 'daily loss cap ₹5,000 reached: flattening',
  strategyId: null,
  accountId: 'acc_default',
  ts: Date.UTC(2026, 10, 23, 6, 0, 0),
  ...overrides,
});

describe('AlertNotifier', () => {
  it('sends warnings and critical alerts to Slack and Telegram, and drops those below the level', async () => {
    const s = await server();
    const clock = new TestClock(1_000_000);
    const http = { timeoutMs: 2000 };
    const { notifier: n, registry } = notifier(
      [
        new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, http),
        new TelegramChannel(TOKEN, { ...http, chatId: '-100200', apiUrl: s.url }),
      ],
      clock,
    );
    n.notify(alert({ level: 'info', code: 'preflight-passed', message: 'pre-flight passed' }));
    n.notify(alert());
    await n.idle();
    expect(s.requests).toHaveLength(2);
    const slack = s.requests.find((r) => r.path === SLACK_PATH);
    const telegram = s.requests.find((r) => r.path === `/bot${TOKEN}/sendMessage`);
    expect(slack?.body).toEqual({ text: formatAlert(alert()) });
    expect(telegram?.body).toMatchObject({ chat_id: '-100200', text: formatAlert(alert()) });
    expect(formatAlert(alert())).toBe(
      'KitePilot CRITICAL loss-cap-hit: daily loss cap ₹5,000 reached: flattening (acc_default) at ' +
        '2026-11-23T11:30:00.000+05:30 IST',
    );
    expect(
      await value(registry, 'kitepilot_alert_notifications_total', 'channel="slack"', 'outcome="sent"'),
    ).toBe(1);
    expect(
      await value(registry, 'kitepilot_alert_notifications_total', 'channel="telegram"', 'outcome="sent"'),
    ).toBe(1);
  });

  it('sends a flood of the same alert once, then one message with the count per window', async () => {
    const s = await server();
    const clock = new TestClock(1_000_000);
    const { notifier: n, registry } = notifier(
      [new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, { timeoutMs: 2000 })],
      clock,
    );
    for (let i = 0; i < 50; i++)
      n.notify(alert({ message: `missed update ${i}`, code: 'missed-order-update' }));
    n.notify(alert({ code: 'kill-switch', message: 'kill switch ON' }));
    await n.idle();
    expect(s.requests.map((r) => r.body['text'])).toEqual([
      formatAlert(alert({ message: 'missed update 0', code: 'missed-order-update' })),
      formatAlert(alert({ code: 'kill-switch', message: 'kill switch ON' })),
    ]);
    expect(await value(registry, 'kitepilot_alerts_suppressed_total', 'code="missed-order-update"')).toBe(49);

    clock.advanceBy(60_000);
    await n.idle();
    expect(s.requests).toHaveLength(3);
    expect(s.requests[2]?.body['text']).toContain('missed update 49');
    expect(s.requests[2]?.body['text']).toContain('(49 more "missed-order-update" alerts in the last 60 s');
    // A quiet window closes the key: the next alert goes out at once.
    clock.advanceBy(60_000);
    n.notify(alert({ message: 'missed update 50', code: 'missed-order-update' }));
    await n.idle();
    expect(s.requests).toHaveLength(4);
    expect(s.requests[3]?.body['text']).toContain('missed update 50');
  });

  it('retries 5xx answers with exponential backoff and counts each failed attempt', async () => {
    const s = await server();
    s.answers.push(status(500), status(503));
    const clock = new TestClock(1_000_000);
    const { notifier: n, registry } = notifier(
      [new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, { timeoutMs: 2000 })],
      clock,
    );
    n.notify(alert());
    await vi.waitFor(() =>
      expect(clock.pendingTimers().some((t) => t.name.startsWith('alert-retry-'))).toBe(true),
    );
    expect(clock.pendingTimers().find((t) => t.name.startsWith('alert-retry-'))?.atMs).toBe(1_001_000);
    clock.advanceBy(1000);
    await vi.waitFor(() => expect(s.requests).toHaveLength(2));
    // The second retry waits twice as long.
    await vi.waitFor(() =>
      expect(clock.pendingTimers().find((t) => t.name.startsWith('alert-retry-'))?.atMs).toBe(1_003_000),
    );
    clock.advanceBy(1999);
    expect(s.requests).toHaveLength(2);
    clock.advanceBy(1);
    await n.idle();
    expect(s.requests).toHaveLength(3);
    expect(await value(registry, 'kitepilot_alert_delivery_failures_total', 'channel="slack"')).toBe(2);
    expect(await value(registry, 'kitepilot_alert_notifications_total', 'outcome="sent"')).toBe(1);
    expect(await value(registry, 'kitepilot_alert_notifications_total', 'outcome="failed"')).toBe(0);
  });

  it('gives up at once on a 4xx answer and after the last retry on 5xx, counting the failure', async () => {
    const s = await server();
    s.answers.push(status(404, 'no_service'), status(500), status(500));
    const clock = new TestClock(1_000_000);
    const slack = new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, { timeoutMs: 2000 });
    const { notifier: n, registry } = notifier([slack], clock, { retries: 1 });
    n.notify(alert({ code: 'a' }));
    await n.idle();
    expect(s.requests).toHaveLength(1);
    n.notify(alert({ code: 'b' }));
    await vi.waitFor(() =>
      expect(clock.pendingTimers().some((t) => t.name.startsWith('alert-retry-'))).toBe(true),
    );
    clock.advanceBy(1000);
    await n.idle();
    expect(s.requests).toHaveLength(3);
    expect(await value(registry, 'kitepilot_alert_notifications_total', 'outcome="failed"')).toBe(2);
    expect(await value(registry, 'kitepilot_alert_delivery_failures_total', 'channel="slack"')).toBe(3);
  });

  it("waits as long as Telegram's 429 retry_after asks when that is longer than the backoff", async () => {
    const s = await server();
    s.answers.push(
      status(
        429,
        '{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":5}}',
      ),
    );
    const clock = new TestClock(1_000_000);
    const telegram = new TelegramChannel(TOKEN, { timeoutMs: 2000, chatId: '42', apiUrl: s.url });
    const { notifier: n } = notifier([telegram], clock);
    n.notify(alert());
    await vi.waitFor(() =>
      expect(clock.pendingTimers().find((t) => t.name.startsWith('alert-retry-'))?.atMs).toBe(1_005_000),
    );
    clock.advanceBy(5000);
    await n.idle();
    expect(s.requests).toHaveLength(2);
  });

  it('returns from notify before the delivery finishes, and counts retries cut short by close as failed', async () => {
    const s = await server();
    let release: (() => void) | null = null;
    s.answers.push((res) => {
      release = () => res.writeHead(200).end('ok');
    });
    const clock = new TestClock(1_000_000);
    const { notifier: n, registry } = notifier(
      [new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, { timeoutMs: 5000 })],
      clock,
    );
    n.notify(alert({ code: 'held' }));
    await vi.waitFor(() => expect(release).not.toBeNull());
    // The webhook has not answered, yet the caller went on; the delivery finishes when it does.
    let settled = false;
    void n.idle().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    (release as unknown as () => void)();
    await n.idle();
    expect(await value(registry, 'kitepilot_alert_notifications_total', 'outcome="sent"')).toBe(1);

    s.answers.push(status(502));
    n.notify(alert({ code: 'retrying' }));
    await vi.waitFor(() =>
      expect(clock.pendingTimers().some((t) => t.name.startsWith('alert-retry-'))).toBe(true),
    );
    await n.close();
    expect(await value(registry, 'kitepilot_alert_notifications_total', 'outcome="failed"')).toBe(1);
    n.notify(alert({ code: 'after-close' }));
    expect(s.requests).toHaveLength(2);
  });

  it('treats no answer within the timeout as retryable', async () => {
    const s = await server();
    s.answers.push(() => undefined);
    const slack = new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, { timeoutMs: 100 });
    const error = await slack.send('hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect((error as AlertDeliveryError).retryable).toBe(true);
    expect((error as AlertDeliveryError).message).toBe(
      'Slack webhook request failed: timed out after 100 ms',
    );
  });
});

describe('alert channels', () => {
  it('never put the webhook path or the bot token in their errors', async () => {
    const s = await server();
    s.answers.push(status(403, 'invalid_token'), status(401, '{"ok":false,"description":"Unauthorized"}'));
    const slack = new SlackWebhookChannel(`${s.url}${SLACK_PATH}`, { timeoutMs: 2000 });
    const telegram = new TelegramChannel(TOKEN, { timeoutMs: 2000, chatId: '42', apiUrl: s.url });
    const errors = [
      await slack.send('x').catch((e: unknown) => e),
      await telegram.send('x').catch((e: unknown) => e),
    ];
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'Slack webhook answered HTTP 403: invalid_token',
      'Telegram sendMessage answered HTTP 401: Unauthorized',
    ]);
    expect(errors.every((e) => e instanceof AlertDeliveryError && !e.retryable)).toBe(true);
    // Refused connection: the port is closed now.
    await s.stop();
    servers.splice(servers.indexOf(s), 1);
    const refused = (await telegram.send('x').catch((e: unknown) => e)) as AlertDeliveryError;
    expect(refused.retryable).toBe(true);
    for (const e of [...errors, refused]) {
      const text = `${(e as Error).message} ${JSON.stringify(e)} ${String((e as Error).stack)}`;
      expect(text).not.toContain('s3cr3tw3bh00k');
      expect(text).not.toContain('ABCdef');
    }
  });

  it('refuses a malformed token or webhook URL without quoting it', () => {
    expect(
      () => new TelegramChannel('not a token', { timeoutMs: 1, chatId: '1', apiUrl: 'http://x' }),
    ).toThrow('the Telegram bot token is not of the form <digits>:<letters, digits, _ or ->');
    expect(() => new SlackWebhookChannel('hooks.slack.com/services/secret', { timeoutMs: 1 })).toThrow(
      'the Slack webhook URL must start with http:// or https://',
    );
  });
});
