// A flat cost model for research: X percent of the traded value of every executed order, per side (the backtest
// CLI's `--charges pct:X`). It stands in for all charges together and is reported as brokerage.
import {
  paise,
  rate,
  type ChargesBreakdown,
  type ContractNoteInput,
  type FeeModel,
  type Rate,
} from '@kitepilot/core';
import { ChargesInputError } from './charges-errors.ts';
import { roundAmount, times } from './exact-amount.ts';

/** Charges `percent` % of each executed order's value, rounded half-up to the paisa per order. */
export class PercentFeeModel implements FeeModel {
  readonly percent: string;
  readonly #rate: Rate;

  /** Creates the model from a decimal percent such as `0.03`; throws ChargesInputError when it is not one in [0, 100]. */
  constructor(percent: string) {
    const text = percent.trim();
    if (!/^\d+(\.\d+)?$/.test(text)) {
      throw new ChargesInputError(
        `charges percent ${JSON.stringify(percent)} must be a decimal number such as 0.03`,
      );
    }
    const r = rate(`${text}%`);
    if (r.numerator > r.denominator) {
      throw new ChargesInputError(`charges percent ${text} must be at most 100`);
    }
    this.percent = text;
    this.#rate = r;
  }

  /** Returns percent × value of every order of the note, each rounded to the paisa, as brokerage. */
  charges(input: ContractNoteInput): ChargesBreakdown {
    let total = 0;
    for (const order of input.orders)
      total += roundAmount(times(order.valuePaise, this.#rate), 'paisa', 'half-up');
    const zero = paise(0);
    return {
      brokeragePaise: paise(total),
      sttPaise: zero,
      exchangePaise: zero,
      sebiPaise: zero,
      stampPaise: zero,
      gstPaise: zero,
      dpPaise: zero,
      totalPaise: paise(total),
    };
  }
}
