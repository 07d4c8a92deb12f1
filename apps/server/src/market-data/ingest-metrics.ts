import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataNamespace } from '@kitepilot/core';

/** What the ingest metrics read at each scrape. */
export interface IngestMetricsSnapshot {
  readonly ticksReceived: number;
  readonly ticksAccepted: number;
  /** Quarantined ticks by reason. */
  readonly ticksQuarantined: Readonly<Record<string, number>>;
  readonly ticksWritten: number;
  /** Ticks accepted but not yet written, plus frames held back while the writer is full. */
  readonly ticksPending: number;
  /** Ticks dropped because the backlog bound was reached (their window goes to gap repair). */
  readonly ticksOverflowed: number;
  readonly barsWritten: number;
  readonly gapsRecorded: number;
  /** The state of each ticker connection (`open`, `connecting`, `waiting`, …). */
  readonly connectionStates: readonly string[];
  /** Clock time at receipt minus the exchange timestamp of the newest tick received, or null before any. */
  readonly lastTickLagMs: number | null;
}

/** The metric names the ingest service registers (all prefixed `kitepilot_ingest_`). */
export const INGEST_METRIC_NAMES = [
  'kitepilot_ingest_ticks_received_total',
  'kitepilot_ingest_ticks_accepted_total',
  'kitepilot_ingest_ticks_quarantined_total',
  'kitepilot_ingest_ticks_written_total',
  'kitepilot_ingest_ticks_pending',
  'kitepilot_ingest_ticks_overflowed_total',
  'kitepilot_ingest_bars_written_total',
  'kitepilot_ingest_gaps_total',
  'kitepilot_ingest_ticker_connections',
  'kitepilot_ingest_last_tick_lag_seconds',
] as const;

/** Adds `value − reported` to a monotonic counter (scrapes read running totals kept by the service). */
function catchUp(
  name: string,
  counter: Counter,
  labels: Record<string, string>,
  value: number,
  reported: Map<string, number>,
): void {
  const key = `${name}${JSON.stringify(labels)}`;
  const delta = value - (reported.get(key) ?? 0);
  if (delta > 0) {
    counter.inc(labels, delta);
    reported.set(key, value);
  }
}

/**
 * Registers the ingest metrics of one namespace on `registry`; each scrape reads `snapshot()`. Returns a function
 * that removes them again (a stopped service leaves no stale series).
 */
export function registerIngestMetrics(
  registry: Registry,
  namespace: DataNamespace,
  snapshot: () => IngestMetricsSnapshot,
): () => void {
  const base = { namespace };
  const reported = new Map<string, number>();
  const counter = (
    name: (typeof INGEST_METRIC_NAMES)[number],
    help: string,
    read: (s: IngestMetricsSnapshot) => number,
  ): void => {
    new Counter({
      name,
      help,
      labelNames: ['namespace'],
      registers: [registry],
      collect() {
        catchUp(name, this, base, read(snapshot()), reported);
      },
    });
  };
  counter('kitepilot_ingest_ticks_received_total', 'Ticks received from the ticker.', (s) => s.ticksReceived);
  counter('kitepilot_ingest_ticks_accepted_total', 'Ticks that passed validation.', (s) => s.ticksAccepted);
  counter('kitepilot_ingest_ticks_written_total', 'Ticks written to the tick store.', (s) => s.ticksWritten);
  counter(
    'kitepilot_ingest_ticks_overflowed_total',
    'Ticks dropped because the bounded backlog was full while the writer was behind (the window is repaired).',
    (s) => s.ticksOverflowed,
  );
  counter('kitepilot_ingest_bars_written_total', 'Live bars written to the bar store.', (s) => s.barsWritten);
  counter(
    'kitepilot_ingest_gaps_total',
    'Ticker gaps recorded (disconnects and overflows).',
    (s) => s.gapsRecorded,
  );
  new Counter({
    name: 'kitepilot_ingest_ticks_quarantined_total',
    help: 'Ticks that failed validation and went to the quarantine table, by reason.',
    labelNames: ['namespace', 'reason'],
    registers: [registry],
    collect() {
      for (const [reason, n] of Object.entries(snapshot().ticksQuarantined)) {
        catchUp('quarantined', this, { namespace, reason }, n, reported);
      }
    },
  });
  new Gauge({
    name: 'kitepilot_ingest_ticks_pending',
    help: 'Ticks accepted or held back and not yet written.',
    labelNames: ['namespace'],
    registers: [registry],
    collect() {
      this.set(base, snapshot().ticksPending);
    },
  });
  new Gauge({
    name: 'kitepilot_ingest_ticker_connections',
    help: 'Ticker connections by state.',
    labelNames: ['namespace', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>([['open', 0]]);
      for (const state of snapshot().connectionStates) counts.set(state, (counts.get(state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ namespace, state }, n);
    },
  });
  new Gauge({
    name: 'kitepilot_ingest_last_tick_lag_seconds',
    help: 'Receive time minus exchange time of the newest tick (seconds).',
    labelNames: ['namespace'],
    registers: [registry],
    collect() {
      const lag = snapshot().lastTickLagMs;
      this.reset();
      if (lag !== null) this.set(base, lag / 1000);
    },
  });
  return () => {
    for (const name of INGEST_METRIC_NAMES) registry.removeSingleMetric(name);
  };
}
