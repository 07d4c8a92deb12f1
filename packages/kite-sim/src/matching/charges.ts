// Charges of one executed order for the virtual contract note and margin responses, after the 1 Apr 2026
// Zerodha/NSE schedule of market-rules.md §1.1/§1.3 (STT to the rupee, the rest to the paisa, per order).
import type { SimInstrument } from '../market/sim-instrument.ts';
import type { Product, Side } from './sim-order.ts';

/** The charge components of one order in paise. */
export interface OrderCharges {
  readonly brokerage: number;
  readonly stt: number;
  readonly exchange: number;
  readonly sebi: number;
  readonly stamp: number;
  readonly gst: number;
  readonly total: number;
}

interface Rates {
  readonly brokerage: (value: number) => number;
  readonly stt: (value: number, side: Side) => number;
  readonly exchange: number;
  readonly stamp: number;
}

function rates(instrument: SimInstrument, product: Product): Rates {
  const capped = (value: number): number => Math.min(2000, Math.round(value * 0.0003));
  if (instrument.instrumentType === 'CE' || instrument.instrumentType === 'PE') {
    return {
      brokerage: () => 2000,
      stt: (v, s) => (s === 'SELL' ? v * 0.0015 : 0),
      exchange: 0.0003553,
      stamp: 0.00003,
    };
  }
  if (instrument.instrumentType === 'FUT') {
    return {
      brokerage: capped,
      stt: (v, s) => (s === 'SELL' ? v * 0.0005 : 0),
      exchange: 0.0000183,
      stamp: 0.00002,
    };
  }
  if (product === 'CNC') {
    return { brokerage: () => 0, stt: (v) => v * 0.001, exchange: 0.0000307, stamp: 0.00015 };
  }
  return {
    brokerage: capped,
    stt: (v, s) => (s === 'SELL' ? v * 0.00025 : 0),
    exchange: 0.0000307,
    stamp: 0.00003,
  };
}

/** Returns the charges (paise) of an order of `quantity` at `pricePaise`. */
export function orderCharges(
  instrument: SimInstrument,
  product: Product,
  side: Side,
  quantity: number,
  pricePaise: number,
): OrderCharges {
  const value = quantity * pricePaise;
  const r = rates(instrument, product);
  const brokerage = r.brokerage(value);
  const stt = Math.round(r.stt(value, side) / 100) * 100;
  const exchange = Math.round(value * r.exchange);
  const sebi = Math.round(value * 0.000001);
  const stamp = side === 'BUY' ? Math.round(value * r.stamp) : 0;
  const gst = Math.round((brokerage + exchange + sebi) * 0.18);
  return {
    brokerage,
    stt,
    exchange,
    sebi,
    stamp,
    gst,
    total: brokerage + stt + exchange + sebi + stamp + gst,
  };
}

/** Returns the Kite JSON `charges` object (rupees) of a charge breakdown. */
export function chargesJson(c: OrderCharges): Record<string, unknown> {
  return {
    transaction_tax: c.stt / 100,
    transaction_tax_type: 'stt',
    exchange_turnover_charge: c.exchange / 100,
    sebi_turnover_charge: c.sebi / 100,
    brokerage: c.brokerage / 100,
    stamp_duty: c.stamp / 100,
    gst: { igst: c.gst / 100, cgst: 0, sgst: 0, total: c.gst / 100 },
    total: c.total / 100,
  };
}
