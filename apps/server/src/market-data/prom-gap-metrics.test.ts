import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PromGapMetrics } from './prom-gap-metrics.ts';

describe('PromGapMetrics', () => {
  it('counts gaps, their length, repaired and replaced bars and failures on the given registry', async () => {
    const registry = new Registry();
    const metrics = new PromGapMetrics(registry);
    metrics.gapDetected(95_000);
    metrics.gapRepaired({ gapMs: 95_000, instruments: 3, bars: 6, replacedLive: 5, failedInstruments: 0 });
    metrics.gapRepaired({ gapMs: 1_000, instruments: 2, bars: 1, replacedLive: 0, failedInstruments: 1 });
    const text = await registry.metrics();
    expect(text).toContain('kitepilot_ticker_gaps_total 1');
    expect(text).toContain('kitepilot_ticker_gap_seconds_sum 95');
    expect(text).toContain('kitepilot_gap_repairs_total{outcome="ok"} 1');
    expect(text).toContain('kitepilot_gap_repairs_total{outcome="partial"} 1');
    expect(text).toContain('kitepilot_gap_repaired_bars_total 7');
    expect(text).toContain('kitepilot_gap_replaced_live_bars_total 5');
    expect(text).toContain('kitepilot_gap_repair_failed_instruments_total 1');
  });
});
