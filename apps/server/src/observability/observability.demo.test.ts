// The observability of a real paper demo run: the simulated Kite market recorded by the ingest service, paper trading
// on it with time-window, the app's /metrics registry, and alerts delivered to a local Slack webhook. Every metric
// the trading path and ingest expose is present and moves when its input happens.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import type { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { SystemClock } from '@kitepilot/runtime';
import { calendarFromConfig } from '../calendar-from-config.ts';
import type { Config } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { createMetricsRegistry } from '../http/metrics.ts';
import { startDemoTrading, type DemoTrading } from '../trading/demo-trading.ts';
import { registerTradingMetrics } from '../trading/trading-metrics.ts';
import { ObservedTradingSlot } from './observed-trading-slot.ts';
import { startObservability, type Observability } from './observability.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A local Slack webhook that records the JSON bodies posted to it. */
async function recordingWebhook(): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const read = async (req: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text;
  };
  const server = createServer((req, res) => {
    void read(req).then((text) => {
      bodies.push(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/secret`, bodies, server };
}

/** Returns the value of one sample line (`name{labels} value`) of the scrape, or null when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const brace = line.indexOf('{');
    const labelText =
      brace === -1 || !line.startsWith(`${name}{`) ? '' : line.slice(brace + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return null;
}

async function demoWorld(): Promise<{
  store: Store;
  registry: Registry;
  slot: ObservedTradingSlot;
  observability: Observability;
  demo: DemoTrading;
  webhook: { bodies: unknown[] };
}> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store = createStore(driver);
  cleanups.push(() => store.close());
  const base = loadConfig({ env: {}, cwd: '/' }).config;
  const config: Config = {
    ...base,
    marketData: { ...base.marketData, barIntervals: ['1m'] },
    trading: {
      ...base.trading,
      strategies: [
        {
          name: 'time-window',
          // The demo opens at 09:15: at 30× the entry is ten real seconds away, after the start-up. Tight stop and
          // target: the exit comes from a tick soon after.
          params: { qty: 1, buyTime: '09:20', sellTime: '15:00', stopLossPct: 0.01, targetPct: 0.01 },
        },
      ],
    },
  };
  const logger = pino({ level: process.env['KP_TEST_LOG'] ?? 'silent' });
  const webhook = await recordingWebhook();
  cleanups.push(() => new Promise((resolve) => webhook.server.close(resolve)));
  const registry = createMetricsRegistry();
  const slot = new ObservedTradingSlot();
  registerTradingMetrics(registry, slot);
  const observability = startObservability({
    registry,
    slot,
    sql: store.driver,
    clock: new SystemClock(),
    logger,
    env: { KITEPILOT_SLACK_WEBHOOK_URL: webhook.url },
  });
  cleanups.push(() => observability.close());
  const demo = await startDemoTrading(
    { config, store, metrics: registry, calendar: calendarFromConfig(config), logger, dataDir: null },
    { speed: 30 },
  );
  cleanups.push(async () => {
    slot.current = null;
    await demo.close();
  });
  slot.current = demo;
  return { store, registry, slot, observability, demo, webhook };
}

describe('observability of a paper demo run', () => {
  it('records ingest, orders, fills, P&L against the cap, job runs and a delivered alert', async () => {
    const w = await demoWorld();
    const account = w.demo.env.accountId;
    const before = await w.registry.metrics();
    // Present from the start, before any order: zero series and the P&L against the cap.
    expect(sample(before, 'kitepilot_orders_total', { account, mode: 'paper' })).toBe(0);
    expect(sample(before, 'kitepilot_broker_rejects_total', { account, mode: 'paper' })).toBe(0);
    expect(sample(before, 'kitepilot_missed_push_updates_total', { account })).toBe(0);
    expect(sample(before, 'kitepilot_loss_cap_paise', { account })).toBe(w.demo.env.limits.dailyLossCapPaise);
    expect(sample(before, 'kitepilot_pnl_worst_case_unbounded', { account })).toBe(0);
    expect(sample(before, 'kitepilot_missed_postbacks_total')).toBe(0);

    // 30× real time: the 09:20 entry is ten seconds away, the tick-driven exit soon after.
    await vi.waitFor(
      async () => {
        const text = await w.registry.metrics();
        expect(sample(text, 'kitepilot_fills_total', { account, mode: 'paper' })).toBeGreaterThanOrEqual(2);
      },
      { timeout: 40_000, interval: 250 },
    );
    const text = await w.registry.metrics();
    expect(sample(text, 'kitepilot_ingest_ticks_received_total', { namespace: 'simulated' })).toBeGreaterThan(
      0,
    );
    expect(sample(text, 'kitepilot_ingest_ticks_written_total', { namespace: 'simulated' })).toBeGreaterThan(
      0,
    );
    expect(
      sample(text, 'kitepilot_ingest_ticker_connections', { namespace: 'simulated', state: 'open' }),
    ).toBe(1);
    expect(sample(text, 'kitepilot_tick_lag_seconds_count', { namespace: 'simulated' })).toBeGreaterThan(0);
    // time-window enters from its timer and exits on the entry's fill here: tick-caused orders are measured in
    // trading-observer.test.ts, where a tick makes the entry.
    expect(sample(text, 'kitepilot_orders_total', { account, mode: 'paper' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'kitepilot_pnl_realised_paise', { account })).toBe(
      w.demo.env.portfolio.realisedNetTodayPaise(),
    );
    expect(sample(text, 'kitepilot_pnl_realised_paise', { account })).not.toBe(0);
    expect(sample(text, 'kitepilot_pnl_worst_case_paise', { account })).not.toBeNull();
    expect(sample(text, 'kitepilot_trading_running', { mode: 'paper', simulated: 'true' })).toBe(1);
    // The instruments sync of the demo recorded a job run.
    expect(sample(text, 'kitepilot_job_runs_total', { job: 'instruments-sync' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'kitepilot_job_failures_total', { job: 'instruments-sync' })).toBe(0);

    // A real alert: the kill switch raises a critical one, counted and delivered to the Slack webhook.
    await w.demo.env.command({ type: 'KillSwitch', on: true, actor: 'test', reason: 'observability test' });
    const killSwitchMessages = (): string[] =>
      w.webhook.bodies.map((b) => JSON.stringify(b)).filter((b) => b.includes('CRITICAL kill-switch'));
    await vi.waitFor(() => expect(killSwitchMessages()).toHaveLength(1), { timeout: 5000 });
    expect(killSwitchMessages()[0]).toContain('(acc_demo)');
    // Info alerts (pre-flight passed) stay below the default level: only warnings and critical ones were sent.
    expect(
      w.webhook.bodies.map((b) => JSON.stringify(b)).filter((b) => b.includes('KitePilot INFO')),
    ).toEqual([]);
    await w.observability.notifier.idle();
    const after = await w.registry.metrics();
    expect(sample(after, 'kitepilot_alerts_total', { level: 'critical', code: 'kill-switch' })).toBe(1);
    expect(sample(after, 'kitepilot_alert_notifications_total', { channel: 'slack', outcome: 'sent' })).toBe(
      w.webhook.bodies.length,
    );

    // Trading stops: the P&L gauges of the account go away with it.
    w.slot.current = null;
    const stopped = await w.registry.metrics();
    expect(sample(stopped, 'kitepilot_pnl_realised_paise', { account })).toBeNull();
  }, 90_000);
});
