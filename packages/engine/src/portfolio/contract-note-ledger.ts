// Charges per fill that add up to the contract note. Brokerage caps, STT rounding to the rupee and the other
// per-note rules (market-rules.md §1.3–1.4) make charges non-additive per fill, so the ledger keeps, per IST trade
// date × exchange × segment, the executed orders of the note and charges each fill the increase of the note's total.
import {
  addPaise,
  istDate,
  mulPaise,
  paise,
  subPaise,
  type ChargeSegment,
  type ClientOrderId,
  type Exchange,
  type ExecutedOrder,
  type FeeModel,
  type Fill,
  type Paise,
} from '@kitepilot/core';

interface Note {
  readonly tradeDate: string;
  readonly exchange: Exchange;
  readonly segment: ChargeSegment;
  readonly orders: Map<ClientOrderId, ExecutedOrder>;
  totalPaise: Paise;
}

/** The charge of one fill and the note it went to. */
export interface FillCharge {
  readonly tradeDate: string;
  readonly segment: ChargeSegment;
  /** The increase of the note's total caused by this fill. */
  readonly chargesPaise: Paise;
  /** The note's total after this fill. */
  readonly noteTotalPaise: Paise;
}

/** Contract notes being built from fills, one per IST trade date × exchange × segment. */
export class ContractNoteLedger {
  readonly #fees: FeeModel;
  readonly #notes = new Map<string, Note>();

  /** Creates a ledger charging through `fees`. */
  constructor(fees: FeeModel) {
    this.#fees = fees;
  }

  /**
   * Adds the fill to its order on the note of the fill's IST date and returns the increase of the note's total.
   * All fills of one client order are one executed order (brokerage is per executed order).
   */
  add(fill: Fill, exchange: Exchange, segment: ChargeSegment): FillCharge {
    const tradeDate = istDate(fill.tsEvent);
    const k = `${tradeDate}|${exchange}|${segment}`;
    let note = this.#notes.get(k);
    if (note === undefined) {
      note = { tradeDate, exchange, segment, orders: new Map(), totalPaise: paise(0) };
      this.#notes.set(k, note);
    }
    const value = mulPaise(fill.pricePaise, fill.qty);
    const prev = note.orders.get(fill.clientOrderId);
    note.orders.set(
      fill.clientOrderId,
      prev === undefined
        ? { instrumentId: fill.instrumentId, side: fill.side, qty: fill.qty, valuePaise: value }
        : { ...prev, qty: prev.qty + fill.qty, valuePaise: addPaise(prev.valuePaise, value) },
    );
    const total = this.#fees.charges({
      tradeDate,
      exchange,
      segment,
      orders: [...note.orders.values()],
    }).totalPaise;
    const charge = subPaise(total, note.totalPaise);
    note.totalPaise = total;
    return { tradeDate, segment, chargesPaise: charge, noteTotalPaise: total };
  }

  /** Returns Σ of the note totals of one IST trade date. */
  totalForDate(tradeDate: string): Paise {
    let total = paise(0);
    for (const n of this.#notes.values())
      if (n.tradeDate === tradeDate) total = addPaise(total, n.totalPaise);
    return total;
  }

  /** Forgets the notes of trade dates before `tradeDate` (they can no longer change). */
  dropBefore(tradeDate: string): void {
    for (const [k, n] of this.#notes) if (n.tradeDate < tradeDate) this.#notes.delete(k);
  }
}
