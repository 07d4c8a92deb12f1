// `kitepilot start --demo`: the simulated market of the in-process Kite simulator (recorded in the 'simulated'
// namespace) and a paper trading environment on it, trading the demo's own account (acc_demo) with the configured
// strategies (none is fine: the environment still runs its scheduler and answers the control routes).
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { DemoStatus } from '@kitepilot/api-contract';
import { formatIst, istDate, type NseCalendar } from '@kitepilot/core';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import type { DemoOptions } from '../market-data/demo.ts';
import { startSimulatedMarket, type SimulatedMarket } from '../market-data/simulated-market.ts';
import { configuredStrategies } from './broker-trading.ts';
import { DEMO_ACCOUNT_ID, DEMO_DEFAULT_SYMBOL } from './paper-demo.ts';
import { startTradingEnvironment, type TradingEnvironment } from './trading-environment.ts';
import type { RunningTrading } from './trading-slot.ts';

/** What startDemoTrading needs from the process. */
export interface DemoTradingContext {
  readonly config: Config;
  readonly store: Store;
  readonly metrics: Registry;
  readonly calendar: NseCalendar;
  readonly logger: PinoLogger;
  /** Where the journal goes; null keeps none. */
  readonly dataDir: string | null;
}

/** Demo trading as it runs: the slot's view, the market and the `/status` demo object. */
export interface DemoTrading extends RunningTrading {
  readonly market: SimulatedMarket;
  /** Returns the `/status` `demo` object. */
  status(): DemoStatus;
}

/**
 * Starts the simulated market and paper trading on it (account acc_demo, the `[[trading.strategies]]`, which trade
 * NSE:SIMINFY unless they name a symbol); close() stops trading, then the market and the simulator.
 */
export async function startDemoTrading(
  context: DemoTradingContext,
  options: DemoOptions = {},
): Promise<DemoTrading> {
  let env: TradingEnvironment | null = null;
  const market = await startSimulatedMarket({
    store: context.store,
    metrics: context.metrics,
    calendar: context.calendar,
    logger: context.logger.child({ demo: true }),
    barIntervals: context.config.marketData.barIntervals,
    emptyBars: context.config.marketData.emptyBars,
    ...options,
    onTick: (instrumentId, tick) => env?.onTick(instrumentId, tick),
    onBar: (bar) => env?.onBar(bar),
  });
  try {
    const instruments = await context.store.instruments.listVersion('simulated', istDate(market.clock.now()));
    env = await startTradingEnvironment({
      mode: 'paper',
      simulated: true,
      accountId: DEMO_ACCOUNT_ID,
      store: context.store,
      config: context.config,
      calendar: context.calendar,
      clock: market.clock,
      logger: context.logger,
      instruments,
      strategies: configuredStrategies(context.config).map((s) => ({
        ...s,
        params: 'symbol' in s.params ? s.params : { ...s.params, symbol: DEMO_DEFAULT_SYMBOL },
      })),
      dataDir: context.dataDir,
      feeModel: new ZerodhaFeeModel(),
      preflight: [
        {
          name: 'session valid',
          run: async () => ({ ok: true, detail: `simulator session at ${market.sim.restUrl} (demo)` }),
        },
      ],
    });
  } catch (error) {
    await market.stop();
    throw error;
  }
  const running = env;
  context.logger.warn(
    { simulatedStart: formatIst(market.startedAtMs), speed: market.speed, simulator: market.sim.restUrl },
    'DEMO MODE: paper trading (account acc_demo) on the SIMULATED market of the Kite simulator',
  );
  let closed: Promise<void> | null = null;
  return {
    env: running,
    market,
    status: () => {
      const now = market.clock.now();
      const s = market.service.summary();
      return {
        simulated: true,
        namespace: 'simulated',
        speed: market.speed,
        simulatedNow: new Date(now).toISOString(),
        simulatedNowIst: formatIst(now),
        startedAtIst: formatIst(market.startedAtMs),
        simulatorRestUrl: market.sim.restUrl,
        simulatorWsUrl: market.sim.wsUrl,
        ticksWritten: s.ticksWritten,
        barsWritten: s.barsWritten,
        ticksQuarantined: s.ticksQuarantined,
      };
    },
    close: () => {
      closed ??= (async () => {
        try {
          await running.close('completed');
        } finally {
          await market.stop();
        }
      })();
      return closed;
    },
  };
}
