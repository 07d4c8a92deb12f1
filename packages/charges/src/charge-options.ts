import type { InstrumentId } from '@kitepilot/core';
import { parseInstrumentId } from '@kitepilot/core';
import { ChargesInputError } from './charges-errors.ts';
import type { OptionsClass } from './rate-table.ts';

/**
 * Choices for the rules market-rules.md §1.4 marks [UNCONFIRMED], and for the account. Defaults are in
 * DEFAULT_CHARGE_OPTIONS and docs/decisions/0005-charges-model.md.
 */
export interface ChargeOptions {
  /**
   * What STT is rounded over: `'scrip'` rounds each instrument's day STT to the rupee and adds them (Zerodha's
   * worked example computes STT per scrip); `'contract-note'` rounds the note's total STT once (§1.3 formulas).
   */
  readonly sttAggregation: 'scrip' | 'contract-note';
  /** Delivery stamp duty to the paisa (a Jun 2025 contract note) or to the rupee (some calculator versions). */
  readonly deliveryStampRounding: 'paisa' | 'rupee';
  /** How an exact half paisa rounds in the paisa-rounded components: decimal half-up, or half-even. */
  readonly paisaTies: 'half-up' | 'half-even';
  /** The demat's first holder is a woman: DP ₹15.05 instead of ₹15.34 per scrip per sell day. */
  readonly firstHolderWoman: boolean;
}

/** The defaults: STT per scrip, stamp to the paisa, half-up ties, DP at the standard rate. */
export const DEFAULT_CHARGE_OPTIONS: ChargeOptions = {
  sttAggregation: 'scrip',
  deliveryStampRounding: 'paisa',
  paisaTies: 'half-up',
  firstHolderWoman: false,
};

/** Returns the options with `overrides` applied, checking each value. */
export function chargeOptions(overrides: Partial<ChargeOptions> = {}): ChargeOptions {
  const o = { ...DEFAULT_CHARGE_OPTIONS, ...overrides };
  const check = (name: string, value: unknown, allowed: readonly unknown[]) => {
    if (!allowed.includes(value)) {
      throw new ChargesInputError(
        `charge option ${name} = ${JSON.stringify(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
      );
    }
  };
  check('sttAggregation', o.sttAggregation, ['scrip', 'contract-note']);
  check('deliveryStampRounding', o.deliveryStampRounding, ['paisa', 'rupee']);
  check('paisaTies', o.paisaTies, ['half-up', 'half-even']);
  check('firstHolderWoman', o.firstHolderWoman, [true, false]);
  return o;
}

/** Says which BSE options exchange-charge class an instrument belongs to. */
export type OptionsClassifier = (instrumentId: InstrumentId) => OptionsClass;

/**
 * Returns the BSE options class from the trading symbol: SENSEX50… is `other`, SENSEX… and BANKEX… are
 * `sensex-bankex`, everything else (stock options) is `other` (market-rules.md §1.1 BSE row).
 */
export const classifyBseOption: OptionsClassifier = (id) => {
  const { symbol } = parseInstrumentId(id);
  if (symbol.startsWith('SENSEX50')) return 'other';
  if (symbol.startsWith('SENSEX') || symbol.startsWith('BANKEX')) return 'sensex-bankex';
  return 'other';
};
