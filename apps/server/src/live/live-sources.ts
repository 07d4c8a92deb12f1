// What the live hub reads, as ports: the running trading environment (its bus, portfolio, limits, controls) and the
// market feed (last ticks, ticker connection states). `liveSourcesOf` reads them from the process's trading slot.
import type { Registry } from 'prom-client';
import type { AccountId, DataNamespace, InstrumentId, Paise, RunId, Tick } from '@kitepilot/core';
import type { Bus, TradingControls } from '@kitepilot/engine';
import { IngestService } from '../market-data/ingest-service.ts';
import type { RunningTrading, TradingSlot } from '../trading/trading-slot.ts';
import type { PortfolioReads } from './live-messages.ts';

/** A running trading environment as the live stream sees it. */
export interface LiveTradingSource {
  readonly accountId: AccountId;
  readonly mode: 'paper' | 'live';
  readonly simulated: boolean;
  readonly runId: RunId;
  /** The kernel's bus: ticks, bars, orders, fills, positions, alerts and controls are published here. */
  readonly bus: Bus;
  readonly portfolio: PortfolioReads & { hasOpenPosition(id: InstrumentId): boolean };
  readonly dailyLossCapPaise: Paise;
  controls(): TradingControls;
  /** Why live orders go to paper trading now (the broker is unreachable), or null. */
  degradedReason(): string | null;
}

/** The market feed as the live stream sees it. */
export interface LiveMarketSource {
  readonly namespace: DataNamespace;
  /** Returns the latest accepted tick of an instrument, or undefined. */
  lastTick(id: InstrumentId): Tick | undefined;
  /** Returns the ticker connections by state (`open`, `connecting`, …). */
  connections(): Promise<Readonly<Record<string, number>>>;
}

/** The inputs of the live hub at one moment. */
export interface LiveSources {
  readonly trading: LiveTradingSource | null;
  readonly market: LiveMarketSource | null;
}

const NONE: LiveSources = { trading: null, market: null };

/** The ingest gauge of ticker connections by namespace and state (apps/server/src/market-data/ingest-metrics.ts). */
const TICKER_CONNECTIONS_METRIC = 'kitepilot_ingest_ticker_connections';

/**
 * Returns a function reading the live sources from the trading slot: the same object while the same trading runs
 * (so the hub attaches once), NONE while none runs.
 */
export function liveSourcesFromSlot(slot: TradingSlot, metrics: Registry): () => LiveSources {
  const cache = new WeakMap<RunningTrading, LiveSources>();
  return () => {
    const running = slot.current;
    if (running === null) return NONE;
    let sources = cache.get(running);
    if (sources === undefined) {
      sources = { trading: tradingSourceOf(running), market: marketSourceOf(running, metrics) };
      cache.set(running, sources);
    }
    return sources;
  };
}

/** Returns the trading source of a running environment (broker trading adds its degraded state). */
export function tradingSourceOf(running: RunningTrading): LiveTradingSource {
  const { env } = running;
  // BrokerTrading (live mode) carries the DegradingExecutionClient; paper and demo trading have none.
  const degrading = 'degrading' in running && isDegrading(running.degrading) ? running.degrading : null;
  return {
    accountId: env.accountId,
    mode: env.mode,
    simulated: env.simulated,
    runId: env.runId,
    bus: env.bus,
    portfolio: env.portfolio,
    dailyLossCapPaise: env.limits.dailyLossCapPaise,
    controls: () => env.controls(),
    degradedReason: () => degrading?.degradedReason ?? null,
  };
}

/**
 * Returns the market source of a running environment: broker trading's `ingest`, or the demo's `market.service`
 * (both IngestService), or null. The ticker states come from the ingest's connection gauge in `metrics`.
 */
export function marketSourceOf(running: RunningTrading, metrics: Registry): LiveMarketSource | null {
  const ingest = ingestOf(running);
  if (ingest === null) return null;
  const namespace = ingest.summary().namespace;
  return {
    namespace,
    lastTick: (id) => ingest.lastTick(id)?.tick,
    connections: async () => {
      const gauge = metrics.getSingleMetric(TICKER_CONNECTIONS_METRIC);
      if (gauge === undefined) return {};
      const counts: Record<string, number> = {};
      for (const v of (await gauge.get()).values) {
        if (v.labels['namespace'] === namespace && typeof v.labels['state'] === 'string') {
          counts[v.labels['state']] = v.value;
        }
      }
      return counts;
    },
  };
}

function ingestOf(running: RunningTrading): IngestService | null {
  if ('ingest' in running && running.ingest instanceof IngestService) return running.ingest;
  if ('market' in running && typeof running.market === 'object' && running.market !== null) {
    const { market } = running;
    if ('service' in market && market.service instanceof IngestService) return market.service;
  }
  return null;
}

function isDegrading(value: unknown): value is { readonly degradedReason: string | null } {
  return typeof value === 'object' && value !== null && 'degradedReason' in value;
}
