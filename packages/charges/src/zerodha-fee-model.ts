import type { FeeModel } from '@kitepilot/core';
import type { ChargeOptions, OptionsClassifier } from './charge-options.ts';
import { chargeOptions, classifyBseOption } from './charge-options.ts';
import { contractNoteCharges, type ContractNote, type ContractNoteCharges } from './contract-note-charges.ts';
import type { RateTables } from './rate-tables.ts';
import { ZERODHA_RATE_TABLES } from './zerodha-rate-tables.ts';

/** Settings of a ZerodhaFeeModel; every field has a default. */
export interface ZerodhaFeeModelSettings {
  /** Rate tables (default: the bundled zerodha-rates.json). */
  readonly tables?: RateTables;
  /** Choices for the unconfirmed rules (default: DEFAULT_CHARGE_OPTIONS). */
  readonly options?: Partial<ChargeOptions>;
  /** BSE options class of an instrument (default: classifyBseOption, by trading symbol). */
  readonly classifyBseOption?: OptionsClassifier;
}

/** The FeeModel of Zerodha's charges (market-rules.md §1), from dated rate tables, exact to the paisa. */
export class ZerodhaFeeModel implements FeeModel {
  private readonly tables: RateTables;
  private readonly options: ChargeOptions;
  private readonly classify: OptionsClassifier;

  /** Builds the model; invalid options throw ChargesInputError here, not on the first trade. */
  constructor(settings: ZerodhaFeeModelSettings = {}) {
    this.tables = settings.tables ?? ZERODHA_RATE_TABLES;
    this.options = chargeOptions(settings.options);
    this.classify = settings.classifyBseOption ?? classifyBseOption;
  }

  /** Returns the charges of one contract note, with the rate table used. */
  charges(input: ContractNote): ContractNoteCharges {
    return contractNoteCharges(input, this.tables, this.options, this.classify);
  }
}
