import { PGlite } from '@electric-sql/pglite';
import { anInstrument, istToEpochMs, NseCalendar, TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver } from '@kitepilot/store';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../logger.ts';
import { startTradingEnvironment } from './trading-environment.ts';
import { registerTradingMetrics, TRADING_METRIC_NAMES } from './trading-metrics.ts';
import type { TradingSlot } from './trading-slot.ts';

describe('registerTradingMetrics', () => {
  it('reports no trading, then the running environment and its kill switch at each scrape', async () => {
    const registry = new Registry();
    const slot: TradingSlot = { current: null };
    registerTradingMetrics(registry, slot);
    let text = await registry.metrics();
    expect(text).toContain('kitepilot_trading_running{mode="none",simulated="false"} 0');
    expect(text).toContain('kitepilot_trading_kill_switch 0');
    for (const name of TRADING_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} gauge`);

    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    const store = createStore(driver);
    const env = await startTradingEnvironment({
      mode: 'paper',
      simulated: false,
      store,
      config: loadConfig({ env: {} }).config,
      calendar: new NseCalendar(),
      clock: new TestClock(istToEpochMs('2026-11-23', '10:00')),
      logger: createLogger({ level: 'silent' }),
      instruments: [anInstrument()],
      strategies: [],
      dataDir: null,
      seed: 3,
    });
    try {
      slot.current = { env, close: async () => undefined };
      await env.command({ type: 'KillSwitch', on: true, actor: 'test', reason: 'metrics' });
      text = await registry.metrics();
      expect(text).toContain('kitepilot_trading_running{mode="paper",simulated="false"} 1');
      expect(text).toContain('kitepilot_trading_kill_switch 1');
      expect(text).toContain(`kitepilot_trading_intents{run_id="${env.runId}"} 0`);
      expect(text).not.toContain('mode="none"');
    } finally {
      await env.close();
      await store.close();
    }
  });
});
