import type { SlippageInput, SlippageModel } from './slippage-model.ts';
import { checkRange } from './slippage-model.ts';

/** Slippage of a fixed share of the price: price × bps / 10 000 per unit. */
export class FixedBpsSlippage implements SlippageModel {
  /** The basis points charged on every market-like fill. */
  readonly bps: number;

  /** Creates the model; `bps` must be finite and in [0, 10 000] (InvariantError otherwise). */
  constructor(bps: number) {
    this.bps = checkRange('FixedBpsSlippage bps', bps, 0, 10_000);
  }

  /** Returns price × bps / 10 000. */
  slippagePaise(input: SlippageInput): number {
    return (input.pricePaise * this.bps) / 10_000;
  }
}
