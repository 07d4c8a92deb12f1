// Builders shared by the portfolio and order-manager tests: fee models with known arithmetic.
import {
  paise,
  type ChargesBreakdown,
  type ContractNoteInput,
  type FeeModel,
  type Paise,
} from '@kitepilot/core';

function breakdown(brokerage: number, stt: number): ChargesBreakdown {
  const zero = paise(0);
  return {
    brokeragePaise: paise(brokerage),
    sttPaise: paise(stt),
    exchangePaise: zero,
    sebiPaise: zero,
    stampPaise: zero,
    gstPaise: zero,
    dpPaise: zero,
    totalPaise: paise(brokerage + stt),
  };
}

/**
 * Returns a fee model whose note total is not additive per fill: brokerage min(₹20, 0.03 % of each executed
 * order's value) and STT 0.025 % of the sell value rounded to the rupee (the shape of equity intraday).
 */
export function cappedFeeModel(): FeeModel & { readonly notes: ContractNoteInput[] } {
  const notes: ContractNoteInput[] = [];
  return {
    notes,
    charges(input: ContractNoteInput): ChargesBreakdown {
      notes.push(input);
      let brokerage = 0;
      let sells = 0;
      for (const o of input.orders) {
        brokerage += Math.min(2000, Math.round((o.valuePaise * 3) / 10_000));
        if (o.side === 'SELL') sells += o.valuePaise;
      }
      const stt = Math.round((sells * 25) / 100_000 / 100) * 100;
      return breakdown(brokerage, stt);
    },
  };
}

/** Returns a fee model charging `bps` basis points of the note's turnover, rounded half-up to the paisa. */
export function proportionalFeeModel(bps: number): FeeModel {
  return {
    charges(input: ContractNoteInput): ChargesBreakdown {
      const turnover = input.orders.reduce((t, o) => t + BigInt(o.valuePaise), 0n);
      return breakdown(Number((turnover * BigInt(bps) + 5000n) / 10_000n), 0);
    },
  };
}

/** Returns the total of a fee model for one note (for expected values in tests). */
export function noteTotal(model: FeeModel, input: ContractNoteInput): Paise {
  return model.charges(input).totalPaise;
}
