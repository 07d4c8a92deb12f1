import { InvariantError } from '@kitepilot/core';

/** How a resting LIMIT order meets the last traded price: strictly through it, or touching it. */
export type LimitFillRule = 'through' | 'touch';

/** Tunables of the simulated fills; every field has a documented default. */
export interface SimFillOptions {
  /** Ticks by which the remainder beyond the visible depth is worsened from the last visible level (default 1). */
  readonly beyondDepthTicks?: number;
  /** Ticks of slippage added to the last price when a tick has no depth, or to a bar price (default 0). */
  readonly slippageTicks?: number;
  /** Kite-style market protection for MARKET and triggered SL-M orders in percent (default 2; null: none). */
  readonly marketProtectionPct?: number | null;
  /** When a resting LIMIT fills: the last price trades through the limit (default) or touches it. */
  readonly limitFillRule?: LimitFillRule;
  /**
   * Share of the traded quantity a resting order may take (0 < p ≤ 1): of the tick's last traded quantity,
   * or of the bar's volume; null (default) = no cap.
   */
  readonly volumeParticipation?: number | null;
}

/** SimFillOptions with every default filled in. */
export interface ResolvedFillOptions {
  readonly beyondDepthTicks: number;
  readonly slippageTicks: number;
  readonly marketProtectionPct: number | null;
  readonly limitFillRule: LimitFillRule;
  readonly volumeParticipation: number | null;
}

/** The defaults of SimFillOptions. */
export const DEFAULT_FILL_OPTIONS: ResolvedFillOptions = {
  beyondDepthTicks: 1,
  slippageTicks: 0,
  marketProtectionPct: 2,
  limitFillRule: 'through',
  volumeParticipation: null,
};

function ticks(name: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvariantError(`${name} ${n} must be an integer ≥ 0`);
  return n;
}

/** Returns the options with defaults applied; throws InvariantError on an out-of-range value. */
export function resolveFillOptions(options: SimFillOptions = {}): ResolvedFillOptions {
  const d = DEFAULT_FILL_OPTIONS;
  const protection =
    options.marketProtectionPct === undefined ? d.marketProtectionPct : options.marketProtectionPct;
  if (protection !== null && (!Number.isFinite(protection) || protection <= 0 || protection > 100)) {
    throw new InvariantError(`marketProtectionPct ${protection} must be in (0, 100] or null`);
  }
  const participation =
    options.volumeParticipation === undefined ? d.volumeParticipation : options.volumeParticipation;
  if (
    participation !== null &&
    (!Number.isFinite(participation) || participation <= 0 || participation > 1)
  ) {
    throw new InvariantError(`volumeParticipation ${participation} must be in (0, 1] or null`);
  }
  const rule = options.limitFillRule ?? d.limitFillRule;
  if (rule !== 'through' && rule !== 'touch') {
    throw new InvariantError(`limitFillRule ${String(rule)} must be 'through' or 'touch'`);
  }
  return {
    beyondDepthTicks: ticks('beyondDepthTicks', options.beyondDepthTicks ?? d.beyondDepthTicks),
    slippageTicks: ticks('slippageTicks', options.slippageTicks ?? d.slippageTicks),
    marketProtectionPct: protection,
    limitFillRule: rule,
    volumeParticipation: participation,
  };
}
