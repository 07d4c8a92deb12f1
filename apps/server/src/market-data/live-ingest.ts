// Recording the broker's market: the stored Kite session, the configured watchlist, the broker's ticker. A simulator
// session (only accepted by callers that ask for it) records into the 'simulated' namespace (invariant 9).
import { randomInt } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import {
  parseAccountId,
  SeededRandom,
  TimeRandomIdGenerator,
  type Bar,
  type Clock,
  type DataNamespace,
  type InstrumentId,
  type Tick,
} from '@kitepilot/core';
import { KiteTickerClient } from '@kitepilot/kite';
import { GapRepairer, seedWatchlist } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import {
  kiteRestClientFor,
  loadStoredKiteSession,
  type LoadedKiteSession,
} from '../secrets/stored-kite-session.ts';
import { IngestService } from './ingest-service.ts';
import { KiteCandleSource } from './kite-candle-source.ts';

/** What `startLiveIngest` takes. */
export interface LiveIngestOptions {
  readonly config: Config;
  readonly store: Store;
  readonly metrics: Registry;
  readonly logger: PinoLogger;
  /** Default SystemClock. */
  readonly clock?: Clock;
  /** The account whose Kite session is used (default `acc_default`). */
  readonly accountId?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A session the caller already loaded (broker trading loads it itself and may accept the simulator's); its
   * `simulated` flag picks the namespace. Default: the stored session of `accountId`, real sessions only.
   */
  readonly session?: LoadedKiteSession;
  /** More symbols (EXCHANGE:SYMBOL) to put on the watchlist besides `[marketData] watchlist`. */
  readonly extraSymbols?: readonly string[];
  /** Receives every accepted tick (the trading kernel's input). */
  readonly onTick?: (instrumentId: InstrumentId, tick: Tick) => void;
  /** Receives every closed bar. */
  readonly onBar?: (bar: Bar) => void;
  /** Receives the ticker before it connects (live trading listens to order updates on the same socket). */
  readonly onTicker?: (ticker: KiteTickerClient) => void;
}

/**
 * Starts recording the market into the 'real' namespace with the Kite session stored by `kitepilot kite login`
 * (into 'simulated' when the given session is the simulator's): seeds the watchlist from `[marketData] watchlist`
 * (and `extraSymbols`), then runs an IngestService on the broker's ticker with gap repair from the broker's minute
 * candles. Throws a message saying what to do when the session is missing or expired, or the watchlist is empty.
 */
export async function startLiveIngest(options: LiveIngestOptions): Promise<IngestService> {
  const { config, store, logger } = options;
  const clock = options.clock ?? new SystemClock();
  const accountId = parseAccountId(options.accountId ?? 'acc_default');
  const env = options.env ?? process.env;
  const session =
    options.session ?? (await loadStoredKiteSession({ config, sql: store.driver, clock, accountId, env }));
  const namespace: DataNamespace = session.simulated ? 'simulated' : 'real';
  const symbols = [...new Set([...config.marketData.watchlist, ...(options.extraSymbols ?? [])])];
  const seeded = await seedWatchlist(
    { watchlist: store.watchlist, instruments: store.instruments, clock },
    namespace,
    symbols,
  );
  for (const r of seeded.rejected)
    logger.warn({ symbol: r.symbol, reason: r.reason }, 'watchlist entry not added');
  if ((await store.watchlist.list(namespace)).length === 0) {
    throw new Error(
      'the watchlist is empty: set [marketData] watchlist = ["NSE:INFY", …] in the configuration or run ' +
        '`kitepilot watchlist add NSE:INFY` (after `kitepilot instruments sync`)',
    );
  }
  const rest = kiteRestClientFor(session, config, clock);
  const ticker = new KiteTickerClient({
    wsUrl: config.kite.wsUrl,
    apiKey: session.apiKey,
    accessToken: session.accessToken,
    clock,
  });
  options.onTicker?.(ticker);
  return IngestService.start({
    namespace,
    store,
    clock,
    metrics: options.metrics,
    ticker,
    barIntervals: config.marketData.barIntervals,
    emptyBars: config.marketData.emptyBars,
    logger,
    ...(options.onTick === undefined ? {} : { onTick: options.onTick }),
    ...(options.onBar === undefined ? {} : { onBar: options.onBar }),
    gapRepairer: new GapRepairer({
      source: new KiteCandleSource(rest),
      bars: store.bars,
      jobRuns: store.jobRuns,
      clock,
      ids: new TimeRandomIdGenerator(clock, new SeededRandom(randomInt(2 ** 31))),
      namespace,
    }),
  });
}
