import { performance } from 'node:perf_hooks';

/** What `measureOps` reports. */
export interface OpsMeasurement {
  /** Operations per second over the timed rounds. */
  readonly opsPerSec: number;
  /** Mean nanoseconds per operation. */
  readonly nsPerOp: number;
  readonly rounds: number;
  readonly ops: number;
}

/**
 * Runs `round` (which performs `opsPerRound` operations) for a warm-up period, then repeatedly for at least
 * `minTimeMs`, and returns the throughput. The median of per-round rates resists one slow round (GC, scheduling).
 */
export function measureOps(
  round: () => void,
  opsPerRound: number,
  { warmupMs = 300, minTimeMs = 1500 }: { warmupMs?: number; minTimeMs?: number } = {},
): OpsMeasurement {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) round();
  const rates: number[] = [];
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < minTimeMs) {
    const t0 = performance.now();
    round();
    const dt = performance.now() - t0;
    ops += opsPerRound;
    rates.push((opsPerRound * 1000) / Math.max(dt, 1e-6));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  return { opsPerSec: median, nsPerOp: 1e9 / median, rounds: rates.length, ops };
}
