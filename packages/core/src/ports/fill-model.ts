import type { Bar } from '../model/bar.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Paise } from '../model/money.ts';
import type { Order } from '../model/order.ts';
import type { Tick } from '../model/tick.ts';

/** The market a simulated order meets: the latest tick and/or bar, and the time. */
export interface FillContext {
  readonly order: Order;
  readonly instrument: Instrument;
  readonly tick: Tick | null;
  readonly bar: Bar | null;
  readonly nowMs: number;
}

/** One simulated execution. */
export interface SimulatedFill {
  readonly qty: number;
  readonly pricePaise: Paise;
}

/** Decides whether and at what price a working order fills in simulation (one-method interface). */
export interface FillModel {
  /** Returns the fills for the order in this market state (empty when it does not fill). */
  fill(context: FillContext): readonly SimulatedFill[];
}
