import { InvariantError, type Side } from '@kitepilot/core';

/** One observed execution: the market price when the order was sent and the price it filled at. */
export interface SlippageSample {
  readonly side: Side;
  /** Quantity filled (units, > 0). */
  readonly qty: number;
  /** The market price when the order was sent (paise, > 0). */
  readonly referencePricePaise: number;
  /** The (average) fill price (paise, > 0). */
  readonly fillPricePaise: number;
  /** The volume of the bar the order filled in; needed by volatility-participation. */
  readonly volume?: number | null;
  /** The high of that bar; needed by volatility-participation. */
  readonly highPaise?: number | null;
  /** The low of that bar; needed by volatility-participation. */
  readonly lowPaise?: number | null;
}

/** The slippage models calibrateSlippage fits. */
export type CalibratedSlippageModel = 'fixed-bps' | 'volatility-participation';

/** The outcome of calibrateSlippage. */
export interface SlippageCalibration {
  readonly model: CalibratedSlippageModel;
  /** The fitted parameter: bps for fixed-bps (FixedBpsSlippage), k for volatility-participation. */
  readonly parameter: number;
  /** Samples used in the fit. */
  readonly samples: number;
  /** Samples left out (volatility-participation: no volume, high or low, or zero volume). */
  readonly skipped: number;
  /** Mean absolute error of the fitted model's slippage vs the observed, in bps of the reference price. */
  readonly maeBps: number;
  /** Mean absolute error of the fitted model's slippage vs the observed, in paise per unit. */
  readonly maePaise: number;
  /** Mean observed adverse slippage in bps of the reference price (negative: price improved on average). */
  readonly meanBps: number;
}

interface Observation {
  readonly referencePaise: number;
  /** Adverse slippage in paise per unit: (fill − reference) for a buy, (reference − fill) for a sell. */
  readonly adversePaise: number;
  /** The regressor of volatility-participation: (high − low) × √(qty / volume). */
  readonly impactBasisPaise: number | null;
  /** The bar range high − low, the cap of the model with maxRangeFraction 1; null without a bar. */
  readonly rangePaise: number | null;
}

function positive(i: number, name: string, v: unknown, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isSafeInteger(v))) {
    throw new InvariantError(
      `slippage sample ${i}: ${name} ${String(v)} must be a positive ${integer ? 'integer' : 'number'}`,
    );
  }
  return v;
}

function optionalNumber(i: number, name: string, v: number | null | undefined): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InvariantError(
      `slippage sample ${i}: ${name} ${String(v)} must be a finite number ≥ 0 or null`,
    );
  }
  return v;
}

function observe(s: SlippageSample, i: number): Observation {
  if (s.side !== 'BUY' && s.side !== 'SELL') {
    throw new InvariantError(`slippage sample ${i}: side ${String(s.side)} must be BUY or SELL`);
  }
  const qty = positive(i, 'qty', s.qty, true);
  const reference = positive(i, 'referencePricePaise', s.referencePricePaise, true);
  const fill = positive(i, 'fillPricePaise', s.fillPricePaise, false);
  const volume = optionalNumber(i, 'volume', s.volume);
  const high = optionalNumber(i, 'highPaise', s.highPaise);
  const low = optionalNumber(i, 'lowPaise', s.lowPaise);
  if (high !== null && low !== null && high < low) {
    throw new InvariantError(`slippage sample ${i}: highPaise ${high} is below lowPaise ${low}`);
  }
  const usable = volume !== null && volume > 0 && high !== null && low !== null;
  return {
    referencePaise: reference,
    adversePaise: s.side === 'BUY' ? fill - reference : reference - fill,
    impactBasisPaise: usable ? (high - low) * Math.sqrt(qty / volume) : null,
    rangePaise: high !== null && low !== null ? high - low : null,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function summary(
  model: CalibratedSlippageModel,
  parameter: number,
  used: readonly Observation[],
  skipped: number,
  predict: (o: Observation) => number,
): SlippageCalibration {
  const bps = (paiseAmount: number, o: Observation): number => (paiseAmount / o.referencePaise) * 10_000;
  return {
    model,
    parameter,
    samples: used.length,
    skipped,
    maeBps: mean(used.map((o) => Math.abs(bps(predict(o) - o.adversePaise, o)))),
    maePaise: mean(used.map((o) => Math.abs(predict(o) - o.adversePaise))),
    meanBps: mean(used.map((o) => bps(o.adversePaise, o))),
  };
}

/**
 * Fits a slippage model to observed executions. Adverse slippage per unit is (fill − reference) for a
 * buy and (reference − fill) for a sell, negative when the price improved.
 * - `fixed-bps`: the least-squares constant in bps space, i.e. the mean adverse bps of all samples.
 * - `volatility-participation`: k by least squares through the origin of adverse paise on
 *   (high − low) × √(qty / volume) — the model k × σ × √(qty / volume) × price with σ = range / close,
 *   taking the reference price as both close and price so they cancel. Samples without volume, high or
 *   low, or with zero volume, are skipped (counted in `skipped`).
 * A fitted parameter below 0 (fills better than the reference on average) is reported as 0, the least a
 * slippage model takes; meanBps keeps the sign. maeBps and maePaise compare the fitted model's
 * prediction (unrounded; volatility-participation capped at the bar range, maxRangeFraction 1) with each
 * used sample. Throws InvariantError on a malformed sample, or when no sample is usable.
 */
export function calibrateSlippage(
  samples: readonly SlippageSample[],
  model: CalibratedSlippageModel,
): SlippageCalibration {
  if (model !== 'fixed-bps' && model !== 'volatility-participation') {
    throw new InvariantError(
      `slippage model ${String(model)} must be 'fixed-bps' or 'volatility-participation'`,
    );
  }
  const all = samples.map(observe);
  if (model === 'fixed-bps') {
    if (all.length === 0) throw new InvariantError('cannot calibrate fixed-bps slippage: no samples');
    const meanBps = mean(all.map((o) => (o.adversePaise / o.referencePaise) * 10_000));
    const bps = Math.max(0, meanBps);
    return summary(model, bps, all, 0, (o) => (o.referencePaise * bps) / 10_000);
  }
  const used = all.filter((o) => o.impactBasisPaise !== null);
  if (used.length === 0) {
    throw new InvariantError(
      `cannot calibrate volatility-participation slippage: none of ${all.length} samples has volume > 0, highPaise and lowPaise`,
    );
  }
  let xy = 0;
  let xx = 0;
  for (const o of used) {
    const x = o.impactBasisPaise ?? 0;
    xy += x * o.adversePaise;
    xx += x * x;
  }
  if (xx === 0) {
    throw new InvariantError(
      `cannot calibrate volatility-participation slippage: all ${used.length} usable samples have a zero range (high = low)`,
    );
  }
  const k = Math.max(0, xy / xx);
  return summary(model, k, used, all.length - used.length, (o) =>
    Math.min(k * (o.impactBasisPaise ?? 0), o.rangePaise ?? 0),
  );
}
