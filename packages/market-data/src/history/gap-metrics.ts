/** What one gap repair did, for metrics. */
export interface GapRepairMeasure {
  /** The gap's length: from the last message before the drop to the reconnection (ms). */
  readonly gapMs: number;
  readonly instruments: number;
  /** Minute bars written with origin `repaired`. */
  readonly bars: number;
  /** Live bars whose values the broker's candles replaced. */
  readonly replacedLive: number;
  /** Instruments whose candles could not be fetched or stored after retries. */
  readonly failedInstruments: number;
}

/** The metrics port of gap repair (apps/server implements it with prom-client on the /metrics registry). */
export interface GapMetrics {
  /** Records a gap seen on reconnection, before its repair is scheduled. */
  gapDetected(gapMs: number): void;
  /** Records one finished repair. */
  gapRepaired(measure: GapRepairMeasure): void;
}
