import { Counter, Histogram, type Registry } from 'prom-client';
import type { GapMetrics, GapRepairMeasure } from '@kitepilot/market-data';

/** GapMetrics on a Prometheus registry (the server's /metrics): gaps, their length, repaired bars, failures. */
export class PromGapMetrics implements GapMetrics {
  readonly #gaps: Counter;
  readonly #gapSeconds: Histogram;
  readonly #repairs: Counter<'outcome'>;
  readonly #bars: Counter;
  readonly #replacedLive: Counter;
  readonly #failedInstruments: Counter;

  /** Registers the metrics on `registry`. */
  constructor(registry: Registry) {
    const registers = [registry];
    this.#gaps = new Counter({
      name: 'kitepilot_ticker_gaps_total',
      help: 'Ticker outages seen on reconnection',
      registers,
    });
    this.#gapSeconds = new Histogram({
      name: 'kitepilot_ticker_gap_seconds',
      help: 'Length of ticker gaps, from the last message before the drop to the reconnection',
      buckets: [1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.#repairs = new Counter({
      name: 'kitepilot_gap_repairs_total',
      help: 'Gap repairs finished, by outcome (ok, or partial when an instrument failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.#bars = new Counter({
      name: 'kitepilot_gap_repaired_bars_total',
      help: 'Minute bars stored with origin repaired',
      registers,
    });
    this.#replacedLive = new Counter({
      name: 'kitepilot_gap_replaced_live_bars_total',
      help: 'Partial live minute bars replaced by the broker candle during gap repair',
      registers,
    });
    this.#failedInstruments = new Counter({
      name: 'kitepilot_gap_repair_failed_instruments_total',
      help: 'Instruments whose gap could not be repaired after retries',
      registers,
    });
  }

  gapDetected(gapMs: number): void {
    this.#gaps.inc();
    this.#gapSeconds.observe(gapMs / 1000);
  }

  gapRepaired(m: GapRepairMeasure): void {
    this.#repairs.inc({ outcome: m.failedInstruments === 0 ? 'ok' : 'partial' });
    this.#bars.inc(m.bars);
    this.#replacedLive.inc(m.replacedLive);
    this.#failedInstruments.inc(m.failedInstruments);
  }
}
