// `kitepilot paper --demo`: paper trading on the simulated market. The in-process Kite simulator runs on a clock that
// opens at 09:15 IST of a trading day; its ticks are recorded in the 'simulated' namespace and fed to a paper trading
// environment whose orders fill in the SimExecutionClient against those same ticks. Nothing reaches a broker.
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import {
  istDate,
  parseAccountId,
  type Bar,
  type Clock,
  type InstrumentId,
  type NseCalendar,
  type Tick,
} from '@kitepilot/core';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import { SystemClock } from '@kitepilot/runtime';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { startSimulatedMarket } from '../market-data/simulated-market.ts';
import {
  startTradingEnvironment,
  type StrategySpec,
  type TradingEnvironment,
} from './trading-environment.ts';
import type { TradingSummary } from './trading-summary.ts';

/** What runPaperDemo needs from the process. */
export interface PaperDemoContext {
  readonly config: Config;
  readonly store: Store;
  readonly metrics: Registry;
  readonly calendar: NseCalendar;
  readonly logger: PinoLogger;
  /** Where the journal goes; null keeps none. */
  readonly dataDir: string | null;
}

/** How the paper demo runs. */
export interface PaperDemoOptions {
  readonly strategies: readonly StrategySpec[];
  /** Real time to run (ms on the base clock). */
  readonly durationMs: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  /** The simulator's market seed (default 1). */
  readonly seed?: number;
  readonly baseClock?: Clock;
  readonly stop?: AbortSignal;
}

/** What a paper demo did. */
export interface PaperDemoResult {
  readonly simulated: true;
  readonly namespace: 'simulated';
  readonly runId: string;
  readonly accountId: string;
  readonly journalPath: string | null;
  readonly speed: number;
  readonly simulatedFromMs: number;
  readonly simulatedToMs: number;
  readonly strategies: readonly { readonly id: string; readonly name: string }[];
  readonly summary: TradingSummary;
}

/**
 * The account the demo trades: simulated orders, fills and positions never mix with a real account's
 * (DESIGN.md invariant 9) — `kitepilot orders --account acc_demo` reads them.
 */
export const DEMO_ACCOUNT_ID = parseAccountId('acc_demo');

/** The symbol strategies trade in the demo when none is given. */
export const DEMO_DEFAULT_SYMBOL = 'NSE:SIMINFY';

/** Runs paper trading on the simulated market for `durationMs` of real time, then stops and summarises. */
export async function runPaperDemo(
  context: PaperDemoContext,
  options: PaperDemoOptions,
): Promise<PaperDemoResult> {
  if (!Number.isSafeInteger(options.durationMs) || options.durationMs <= 0) {
    throw new RangeError(`paper duration ${options.durationMs} ms must be a positive integer`);
  }
  const base = options.baseClock ?? new SystemClock({ keepAlive: true });
  let env: TradingEnvironment | null = null;
  const market = await startSimulatedMarket({
    store: context.store,
    metrics: context.metrics,
    calendar: context.calendar,
    logger: context.logger.child({ demo: true }),
    barIntervals: context.config.marketData.barIntervals,
    emptyBars: context.config.marketData.emptyBars,
    speed: options.speed,
    baseClock: base,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    onTick: (instrumentId: InstrumentId, tick: Tick) => env?.onTick(instrumentId, tick),
    onBar: (bar: Bar) => env?.onBar(bar),
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
      strategies: options.strategies.map((s) => ({
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
    const simulatedFromMs = market.clock.now();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        options.stop?.removeEventListener('abort', done);
        base.cancelTimer('paper-duration');
        resolve();
      };
      if (options.stop?.aborted === true) return done();
      options.stop?.addEventListener('abort', done);
      base.setTimer('paper-duration', base.now() + options.durationMs, done);
    });
    const simulatedToMs = market.clock.now();
    const running = env;
    env = null;
    const summary = await running.close('completed');
    return {
      simulated: true,
      namespace: 'simulated',
      runId: running.runId,
      accountId: running.accountId,
      journalPath: running.journalPath,
      speed: market.speed,
      simulatedFromMs,
      simulatedToMs,
      strategies: running.strategies,
      summary,
    };
  } catch (error) {
    const running = env as TradingEnvironment | null;
    env = null;
    await running?.close('failed');
    throw error;
  } finally {
    await market.stop();
  }
}
