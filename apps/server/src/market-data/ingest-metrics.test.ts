import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { INGEST_METRIC_NAMES, registerIngestMetrics, type IngestMetricsSnapshot } from './ingest-metrics.ts';

function aSnapshot(overrides: Partial<IngestMetricsSnapshot> = {}): IngestMetricsSnapshot {
  return {
    ticksReceived: 10,
    ticksAccepted: 8,
    ticksQuarantined: { 'off-tick-grid': 2 },
    ticksWritten: 6,
    ticksPending: 2,
    ticksOverflowed: 0,
    barsWritten: 3,
    gapsRecorded: 1,
    connectionStates: ['open', 'waiting'],
    lastTickLagMs: 250,
    ...overrides,
  };
}

describe('registerIngestMetrics', () => {
  it('exposes the running totals, pending ticks, connection states and the last tick lag', async () => {
    const registry = new Registry();
    let snapshot = aSnapshot();
    registerIngestMetrics(registry, 'simulated', () => snapshot);
    const first = await registry.metrics();
    expect(first).toContain('kitepilot_ingest_ticks_accepted_total{namespace="simulated"} 8');
    expect(first).toContain(
      'kitepilot_ingest_ticks_quarantined_total{namespace="simulated",reason="off-tick-grid"} 2',
    );
    expect(first).toContain('kitepilot_ingest_ticks_written_total{namespace="simulated"} 6');
    expect(first).toContain('kitepilot_ingest_ticks_pending{namespace="simulated"} 2');
    expect(first).toContain('kitepilot_ingest_ticker_connections{namespace="simulated",state="open"} 1');
    expect(first).toContain('kitepilot_ingest_ticker_connections{namespace="simulated",state="waiting"} 1');
    expect(first).toContain('kitepilot_ingest_last_tick_lag_seconds{namespace="simulated"} 0.25');
    snapshot = aSnapshot({ ticksAccepted: 20, ticksWritten: 19, connectionStates: ['connecting'] });
    const second = await registry.metrics();
    expect(second).toContain('kitepilot_ingest_ticks_accepted_total{namespace="simulated"} 20');
    expect(second).toContain('kitepilot_ingest_ticks_written_total{namespace="simulated"} 19');
    expect(second).toContain('kitepilot_ingest_ticker_connections{namespace="simulated",state="open"} 0');
    expect(second).not.toContain('state="waiting"');
  });

  it('removes its metrics again, so a later service can register them', async () => {
    const registry = new Registry();
    const remove = registerIngestMetrics(registry, 'real', () => aSnapshot());
    remove();
    for (const name of INGEST_METRIC_NAMES) expect(registry.getSingleMetric(name)).toBeUndefined();
    registerIngestMetrics(registry, 'real', () => aSnapshot());
    expect(await registry.metrics()).toContain('kitepilot_ingest_ticks_received_total{namespace="real"} 10');
  });
});
