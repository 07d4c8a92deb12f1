// Recording the real market: the stored Kite session, the configured watchlist, the broker's ticker.
import { randomInt } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { parseAccountId, SeededRandom, TimeRandomIdGenerator, type Clock } from '@kitepilot/core';
import { KiteTickerClient } from '@kitepilot/kite';
import { GapRepairer, seedWatchlist } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { kiteRestClientFor, loadStoredKiteSession } from '../secrets/stored-kite-session.ts';
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
}

/**
 * Starts recording the real market into the 'real' namespace with the Kite session stored by `kitepilot kite login`:
 * seeds the watchlist from `[marketData] watchlist`, then runs an IngestService on the broker's ticker with gap repair
 * from the broker's minute candles. Throws a message saying what to do when the session is missing or expired, or
 * the watchlist is empty.
 */
export async function startLiveIngest(options: LiveIngestOptions): Promise<IngestService> {
  const { config, store, logger } = options;
  const clock = options.clock ?? new SystemClock();
  const accountId = parseAccountId(options.accountId ?? 'acc_default');
  const env = options.env ?? process.env;
  const session = await loadStoredKiteSession({ config, sql: store.driver, clock, accountId, env });
  const seeded = await seedWatchlist(
    { watchlist: store.watchlist, instruments: store.instruments, clock },
    'real',
    config.marketData.watchlist,
  );
  for (const r of seeded.rejected)
    logger.warn({ symbol: r.symbol, reason: r.reason }, 'watchlist entry not added');
  if ((await store.watchlist.list('real')).length === 0) {
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
  return IngestService.start({
    namespace: 'real',
    store,
    clock,
    metrics: options.metrics,
    ticker,
    barIntervals: config.marketData.barIntervals,
    emptyBars: config.marketData.emptyBars,
    logger,
    gapRepairer: new GapRepairer({
      source: new KiteCandleSource(rest),
      bars: store.bars,
      jobRuns: store.jobRuns,
      clock,
      ids: new TimeRandomIdGenerator(clock, new SeededRandom(randomInt(2 ** 31))),
      namespace: 'real',
    }),
  });
}
