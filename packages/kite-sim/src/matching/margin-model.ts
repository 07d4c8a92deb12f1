// A simple, consistent margin model (not SPAN): MIS equity 20 %, CNC buy 100 %, futures 12 % of value, option
// buys the premium, option sells 12 % of the strike value plus the premium received as a buffer.
import type { SimInstrument } from '../market/sim-instrument.ts';
import type { Product, Side } from './sim-order.ts';

/** The parts of a margin requirement in paise. */
export interface MarginParts {
  readonly span: number;
  readonly exposure: number;
  readonly optionPremium: number;
  readonly varMargin: number;
  readonly total: number;
}

/** Returns the margin (paise) an order of `quantity` at `pricePaise` blocks when it opens exposure. */
export function marginFor(
  instrument: SimInstrument,
  product: Product,
  side: Side,
  quantity: number,
  pricePaise: number,
): MarginParts {
  const value = quantity * pricePaise;
  const zero = { span: 0, exposure: 0, optionPremium: 0, varMargin: 0 };
  if (instrument.instrumentType === 'FUT') {
    const span = Math.round(value * 0.09);
    const exposure = Math.round(value * 0.03);
    return { ...zero, span, exposure, total: span + exposure };
  }
  if (instrument.instrumentType === 'CE' || instrument.instrumentType === 'PE') {
    if (side === 'BUY') return { ...zero, optionPremium: value, total: value };
    const notional = quantity * instrument.strikePaise;
    const span = Math.round(notional * 0.09);
    const exposure = Math.round(notional * 0.03);
    return { ...zero, span, exposure, total: span + exposure };
  }
  if (product === 'CNC') {
    const total = side === 'BUY' ? value : 0;
    return { ...zero, varMargin: total, total };
  }
  const total = Math.round(value * 0.2);
  return { ...zero, varMargin: total, total };
}
