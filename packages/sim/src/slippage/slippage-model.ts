import {
  InvariantError,
  paise,
  roundToTick,
  type Bar,
  type Paise,
  type Side,
  type Tick,
} from '@kitepilot/core';
import type { PriceGrid } from '../matching/match-types.ts';
import { roundAgainst } from '../matching/price-grid.ts';

/** What a slippage model sees of one market-like fill. */
export interface SlippageInput {
  readonly side: Side;
  /** Quantity of this fill (units, a whole number of lots). */
  readonly qty: number;
  /** The unslipped fill price: a bar's open or close, a trigger point, or a tick's last price. */
  readonly pricePaise: Paise;
  /** The instrument's tick size and lot size. */
  readonly instrument: PriceGrid;
  /** The bar the fill happens on, or null on a tick. */
  readonly bar: Bar | null;
  /** The tick the fill happens on, or null on a bar. */
  readonly tick: Tick | null;
}

/**
 * Prices the adverse slippage of a market-like fill (MARKET, triggered SL-M). One method, like a
 * FeeModel: the venue adds the amount against the order and rounds onto the tick grid (slippedPricePaise).
 */
export interface SlippageModel {
  /** Returns the adverse slippage per unit in paise (finite, ≥ 0; fractions allowed). */
  slippagePaise(input: SlippageInput): number;
}

/** Throws InvariantError unless `value` is finite and within [min, max]; returns it. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvariantError(`${name} ${String(value)} must be a finite number in [${min}, ${max}]`);
  }
  return value;
}

// Sub-micro-paisa noise of the float arithmetic (e.g. 0.1 + 0.2) must not push a price a whole tick.
function denoise(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Returns the fill price after `model`'s slippage: the unslipped price moved onto the grid against the
 * side, worsened by the amount, and rounded adversely onto the tick grid (a buy up, a sell down; a sell
 * is at least one tick). Throws InvariantError when the model returns a negative or non-finite amount.
 */
export function slippedPricePaise(model: SlippageModel, input: SlippageInput): Paise {
  const amount = model.slippagePaise(input);
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new InvariantError(
      `slippage model returned ${String(amount)} paise for ${input.side} ${input.qty} @ ${input.pricePaise}; it must be finite and ≥ 0`,
    );
  }
  const tick = input.instrument.tickSizePaise;
  const base = roundAgainst(input.pricePaise, input.side, tick);
  if (input.side === 'BUY') {
    return roundToTick(paise(Math.ceil(denoise(base + amount))), tick, 'up');
  }
  const raw = Math.floor(denoise(base - amount));
  if (raw < tick) return tick;
  return roundToTick(paise(raw), tick, 'down');
}
