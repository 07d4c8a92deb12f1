// Order/basket margins and the virtual contract note (kite-connect.md §2.3): amounts in paise, rounded half-up
// where Kite sends fractions of a paisa.
import type { Paise } from '@kitepilot/core';
import { amountPaise, arr, int, num, obj, str, type KiteJson } from './kite-values.ts';

/** The charges of an order (brokerage, STT, exchange, SEBI, stamp, GST). */
export interface KiteCharges {
  readonly transactionTaxPaise: Paise;
  readonly transactionTaxType: string;
  readonly exchangeTurnoverChargePaise: Paise;
  readonly sebiTurnoverChargePaise: Paise;
  readonly brokeragePaise: Paise;
  readonly stampDutyPaise: Paise;
  readonly gst: {
    readonly igstPaise: Paise;
    readonly cgstPaise: Paise;
    readonly sgstPaise: Paise;
    readonly totalPaise: Paise;
  };
  readonly totalPaise: Paise;
}

/** The margin of one order (POST /margins/orders) or a basket total. */
export interface KiteOrderMargin {
  readonly type: string;
  readonly tradingsymbol: string;
  readonly exchange: string;
  readonly spanPaise: Paise;
  readonly exposurePaise: Paise;
  readonly optionPremiumPaise: Paise;
  readonly additionalPaise: Paise;
  readonly boPaise: Paise;
  readonly cashPaise: Paise;
  readonly varPaise: Paise;
  readonly pnl: { readonly realisedPaise: Paise; readonly unrealisedPaise: Paise };
  readonly leverage: number;
  readonly charges: KiteCharges | null;
  readonly totalPaise: Paise;
}

/** The margins of a basket (POST /margins/basket). */
export interface KiteBasketMargins {
  readonly initial: KiteOrderMargin;
  readonly final: KiteOrderMargin;
  readonly orders: readonly KiteOrderMargin[];
  readonly charges: KiteCharges | null;
}

/** One order of the virtual contract note (POST /charges/orders) with its charges. */
export interface KiteContractNoteEntry {
  readonly orderId: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transactionType: string;
  readonly variety: string;
  readonly product: string;
  readonly orderType: string;
  readonly quantity: number;
  readonly pricePaise: Paise;
  readonly charges: KiteCharges;
}

/** Returns the charges object `v`. */
export function parseCharges(v: unknown): KiteCharges {
  const o: KiteJson = obj(v, 'charges');
  const gst = o['gst'] === undefined || o['gst'] === null ? {} : obj(o['gst'], 'charges.gst');
  return {
    transactionTaxPaise: amountPaise(o, 'transaction_tax'),
    transactionTaxType: str(o, 'transaction_tax_type'),
    exchangeTurnoverChargePaise: amountPaise(o, 'exchange_turnover_charge'),
    sebiTurnoverChargePaise: amountPaise(o, 'sebi_turnover_charge'),
    brokeragePaise: amountPaise(o, 'brokerage'),
    stampDutyPaise: amountPaise(o, 'stamp_duty'),
    gst: {
      igstPaise: amountPaise(gst, 'igst'),
      cgstPaise: amountPaise(gst, 'cgst'),
      sgstPaise: amountPaise(gst, 'sgst'),
      totalPaise: amountPaise(gst, 'total'),
    },
    totalPaise: amountPaise(o, 'total'),
  };
}

/** Returns one order margin entry. */
export function parseOrderMargin(v: unknown): KiteOrderMargin {
  const o = obj(v, 'order margin');
  const pnl = o['pnl'] === undefined || o['pnl'] === null ? {} : obj(o['pnl'], 'pnl');
  return {
    type: str(o, 'type'),
    tradingsymbol: str(o, 'tradingsymbol'),
    exchange: str(o, 'exchange'),
    spanPaise: amountPaise(o, 'span'),
    exposurePaise: amountPaise(o, 'exposure'),
    optionPremiumPaise: amountPaise(o, 'option_premium'),
    additionalPaise: amountPaise(o, 'additional'),
    boPaise: amountPaise(o, 'bo'),
    cashPaise: amountPaise(o, 'cash'),
    varPaise: amountPaise(o, 'var'),
    pnl: { realisedPaise: amountPaise(pnl, 'realised'), unrealisedPaise: amountPaise(pnl, 'unrealised') },
    leverage: num(o, 'leverage'),
    charges: o['charges'] === undefined || o['charges'] === null ? null : parseCharges(o['charges']),
    totalPaise: amountPaise(o, 'total'),
  };
}

/** Returns basket margins. */
export function parseBasketMargins(data: unknown): KiteBasketMargins {
  const o = obj(data, 'basket margins');
  return {
    initial: parseOrderMargin(o['initial']),
    final: parseOrderMargin(o['final']),
    orders: arr(o['orders'] ?? [], 'basket orders').map(parseOrderMargin),
    charges: o['charges'] === undefined || o['charges'] === null ? null : parseCharges(o['charges']),
  };
}

/** Returns one contract-note entry. */
export function parseContractNoteEntry(v: unknown): KiteContractNoteEntry {
  const o = obj(v, 'contract note entry');
  return {
    orderId: str(o, 'order_id'),
    exchange: str(o, 'exchange'),
    tradingsymbol: str(o, 'tradingsymbol'),
    transactionType: str(o, 'transaction_type'),
    variety: str(o, 'variety'),
    product: str(o, 'product'),
    orderType: str(o, 'order_type'),
    quantity: int(o, 'quantity'),
    pricePaise: amountPaise(o, 'price'),
    charges: parseCharges(o['charges']),
  };
}
