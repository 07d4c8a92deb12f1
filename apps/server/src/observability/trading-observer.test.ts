// TradingObserver on a real paper trading environment (kernel, order manager, risk engine, SimExecutionClient) on a
// TestClock: a tick that makes time-window enter is measured from tick to signal, order and acknowledgement; a broker
// refusal counts as a reject; the P&L gauges follow the portfolio and the loss cap.
import { PGlite } from '@electric-sql/pglite';
import {
  anInstrument,
  istToEpochMs,
  makeTick,
  NseCalendar,
  paise,
  TestClock,
  type ExecutionClient,
  type ExecutionHandler,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../logger.ts';
import { startTradingEnvironment, type TradingEnvironment } from '../trading/trading-environment.ts';
import { TRADING_OBSERVER_METRIC_NAMES, TradingObserver } from './trading-observer.ts';

const DAY = '2026-11-23';
const instrument = anInstrument();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A broker that refuses every placement (Kite answering the place-order call with an error). */
class RefusingBroker implements ExecutionClient {
  #handler: ExecutionHandler | null = null;
  readonly #clock: TestClock;
  constructor(clock: TestClock) {
    this.#clock = clock;
  }
  setHandler(handler: ExecutionHandler): void {
    this.#handler = handler;
  }
  submit(order: Parameters<ExecutionClient['submit']>[0]): void {
    const now = this.#clock.now();
    this.#handler?.({
      type: 'OrderUpdateReceived',
      accountId: order.accountId,
      clientOrderId: order.clientOrderId,
      intentId: order.intentId,
      venueOrderId: null,
      update: {
        type: 'submit-failed',
        id: `fail-${order.clientOrderId}`,
        ts: now,
        reason: 'Insufficient funds',
      },
      tsEvent: now,
      tsInit: now,
    });
  }
  modify(): void {}
  cancel(): void {}
}

async function tradingWorld(execution?: (clock: TestClock) => ExecutionClient): Promise<{
  env: TradingEnvironment;
  clock: TestClock;
  registry: Registry;
  observer: TradingObserver;
  detach: () => void;
}> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store: Store = createStore(driver);
  cleanups.push(() => store.close());
  const clock = new TestClock(istToEpochMs(DAY, '09:29:50'));
  const env = await startTradingEnvironment({
    mode: 'paper',
    simulated: false,
    store,
    config: loadConfig({ env: {} }).config,
    calendar: new NseCalendar(),
    clock,
    logger: createLogger({ level: 'silent' }),
    instruments: [instrument],
    strategies: [
      {
        name: 'time-window',
        params: { symbol: 'NSE:RELIANCE', qty: 1, buyTime: '09:30', sellTime: '15:00' },
      },
    ],
    dataDir: null,
    seed: 5,
    ...(execution === undefined ? {} : { execution: execution(clock) }),
  });
  cleanups.push(() => env.close());
  const registry = new Registry();
  let t = 0;
  // Each reading of the monotonic clock moves it 1 ms: every measured latency is a whole, positive number of ms.
  const observer = new TradingObserver({ registry, now: () => ++t });
  const detach = observer.attach({ env, close: async () => undefined });
  return { env, clock, registry, observer, detach };
}

/** Returns the value of one sample of the scrape (labels as `k="v"` fragments that must all appear). */
async function sample(registry: Registry, name: string, ...labels: string[]): Promise<number | null> {
  const text = await registry.metrics();
  const line = text
    .split('\n')
    .find(
      (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((f) => l.includes(f)),
    );
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Enters: at 09:30 the entry timer finds no price yet, so the next tick makes time-window enter. */
async function enterOnTick(w: { env: TradingEnvironment; clock: TestClock }): Promise<void> {
  w.clock.advanceTo(istToEpochMs(DAY, '09:30'));
  await w.env.kernel.idle();
  const at = w.clock.now();
  w.env.onTick(
    instrument.id,
    makeTick({
      token: instrument.token,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(250_000),
      exchangeTs: at - 400,
      tsInit: at,
    }),
  );
  await w.env.kernel.idle();
}

describe('TradingObserver', () => {
  it('measures tick lag and tick → signal, order and acknowledgement of the order a tick caused', async () => {
    const w = await tradingWorld();
    const text = await w.registry.metrics();
    for (const name of TRADING_OBSERVER_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(await sample(w.registry, 'kitepilot_tick_to_signal_seconds_count')).toBeNull();

    await enterOnTick(w);
    expect(await sample(w.registry, 'kitepilot_tick_lag_seconds_count', 'namespace="real"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_tick_lag_seconds_sum', 'namespace="real"')).toBeCloseTo(
      0.4,
      6,
    );
    expect(await sample(w.registry, 'kitepilot_tick_to_signal_seconds_count', 'mode="paper"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_tick_to_order_seconds_count', 'mode="paper"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_orders_total', 'account="acc_default"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_tick_to_signal_seconds_sum')).toBeGreaterThan(0);

    // The simulated venue answers after its latency: the acknowledgement closes the measurement.
    w.clock.advanceBy(1000);
    await w.env.kernel.idle();
    expect(await sample(w.registry, 'kitepilot_tick_to_order_ack_seconds_count', 'mode="paper"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_broker_rejects_total', 'account="acc_default"')).toBe(0);
    expect(await sample(w.registry, 'kitepilot_loss_cap_paise', 'account="acc_default"')).toBe(
      w.env.limits.dailyLossCapPaise,
    );
    // Ticks that cause nothing are measured for lag only.
    w.env.onTick(
      instrument.id,
      makeTick({
        token: instrument.token,
        tradable: true,
        mode: 'ltp',
        lastPricePaise: paise(250_010),
        tsInit: 0,
      }),
    );
    await w.env.kernel.idle();
    expect(await sample(w.registry, 'kitepilot_tick_to_signal_seconds_count', 'mode="paper"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_tick_lag_seconds_count', 'namespace="real"')).toBe(1);
  });

  it('counts a refused placement as a broker reject, with no acknowledgement', async () => {
    const w = await tradingWorld((clock) => new RefusingBroker(clock));
    await enterOnTick(w);
    w.clock.advanceBy(1000);
    await w.env.kernel.idle();
    expect(await sample(w.registry, 'kitepilot_orders_total', 'account="acc_default"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_broker_rejects_total', 'account="acc_default"')).toBe(1);
    expect(await sample(w.registry, 'kitepilot_tick_to_order_ack_seconds_count')).toBeNull();
  });

  it('shows the worst case at the stops of an open position, and forgets the account once detached', async () => {
    const w = await tradingWorld();
    await enterOnTick(w);
    w.clock.advanceBy(1000);
    await w.env.kernel.idle();
    // Filled on the next tick: a long of 1 at about ₹2,500 with time-window's 1% stop.
    w.env.onTick(
      instrument.id,
      makeTick({
        token: instrument.token,
        tradable: true,
        mode: 'ltp',
        lastPricePaise: paise(250_000),
        tsInit: 0,
      }),
    );
    await w.env.kernel.idle();
    w.clock.advanceBy(1000);
    await w.env.kernel.idle();
    expect(w.env.portfolio.openPositions()).toHaveLength(1);
    const worst = await sample(w.registry, 'kitepilot_pnl_worst_case_paise', 'account="acc_default"');
    // Realised (charges of the entry) plus the position at its stop: a loss of about 1% of ₹2,500 and the charges.
    expect(worst).toBeLessThan(-2000);
    expect(worst).toBeGreaterThan(-3000);
    expect(await sample(w.registry, 'kitepilot_pnl_worst_case_unbounded', 'account="acc_default"')).toBe(0);
    expect(await sample(w.registry, 'kitepilot_fills_total', 'account="acc_default"')).toBe(1);
    w.detach();
    expect(await sample(w.registry, 'kitepilot_pnl_worst_case_paise', 'account="acc_default"')).toBeNull();
  });
});
