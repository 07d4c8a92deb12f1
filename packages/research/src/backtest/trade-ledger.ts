// Round trips, cash and equity of a backtest, from the fills the kernel publishes and the charges the portfolio
// assigned to each. Equity = starting cash − Σ signed fill value − Σ charges + Σ position × last close; all integer
// paise. A trade opens when a position leaves flat and closes when it returns to flat; a fill that reverses the
// position closes the trade with the quantity that reached flat and opens a new one with the rest (its charges are
// split by quantity, the remainder of the division going to the closing part).
import type { Fill } from '@kitepilot/core';
import type { TradeRecord } from './backtest-result.ts';

interface OpenTrade {
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly direction: 'LONG' | 'SHORT';
  readonly entryAtMs: number;
  readonly entryBar: number;
  maxQty: number;
  entryQty: number;
  entryValuePaise: number;
  exitQty: number;
  exitValuePaise: number;
  exitAtMs: number;
  chargesPaise: number;
}

interface PositionState {
  netQty: number;
  lastPricePaise: number;
  trade: OpenTrade | null;
}

/** Builds the trade list and equity of one backtest. */
export class TradeLedger {
  readonly #positions = new Map<string, PositionState>();
  readonly #byInstrument = new Map<string, PositionState[]>();
  readonly #trades: TradeRecord[] = [];
  #cashPaise: number;
  #chargesPaise = 0;
  #tradedValuePaise = 0;
  #fills = 0;
  #open = 0;

  /** Starts with `startingCashPaise` and no positions. */
  constructor(startingCashPaise: number) {
    this.#cashPaise = startingCashPaise;
  }

  /** Applies one fill with the charges it caused; `bar` is the index of the bar being handled. */
  onFill(fill: Fill, chargesPaise: number, strategyId: string, bar: number): void {
    const key = `${fill.instrumentId}|${fill.product}`;
    let state = this.#positions.get(key);
    if (state === undefined) {
      state = { netQty: 0, lastPricePaise: fill.pricePaise, trade: null };
      this.#positions.set(key, state);
      const list = this.#byInstrument.get(fill.instrumentId);
      if (list === undefined) this.#byInstrument.set(fill.instrumentId, [state]);
      else list.push(state);
    }
    const signed = fill.side === 'BUY' ? fill.qty : -fill.qty;
    const value = fill.qty * fill.pricePaise;
    this.#cashPaise -= (fill.side === 'BUY' ? value : -value) + chargesPaise;
    this.#chargesPaise += chargesPaise;
    this.#tradedValuePaise += value;
    this.#fills++;
    state.lastPricePaise = fill.pricePaise;
    const before = state.netQty;
    const after = before + signed;
    state.netQty = after;
    if (before === 0) {
      state.trade = this.#openTrade(fill, strategyId, bar, fill.qty, chargesPaise);
    } else if (Math.sign(after) === Math.sign(before)) {
      const trade = state.trade as OpenTrade;
      if (Math.abs(after) > Math.abs(before)) {
        trade.entryQty += fill.qty;
        trade.entryValuePaise += value;
        trade.maxQty = Math.max(trade.maxQty, Math.abs(after));
      } else {
        trade.exitQty += fill.qty;
        trade.exitValuePaise += value;
        trade.exitAtMs = fill.tsEvent;
      }
      trade.chargesPaise += chargesPaise;
    } else {
      // Reaches flat, or goes through it: the closing part ends the trade, any rest opens the next one.
      const trade = state.trade as OpenTrade;
      const closingQty = Math.abs(before);
      const restQty = fill.qty - closingQty;
      const restCharges = Math.floor((chargesPaise * restQty) / fill.qty);
      trade.exitQty += closingQty;
      trade.exitValuePaise += closingQty * fill.pricePaise;
      trade.exitAtMs = fill.tsEvent;
      trade.chargesPaise += chargesPaise - restCharges;
      this.#close(trade, bar);
      state.trade = restQty > 0 ? this.#openTrade(fill, strategyId, bar, restQty, restCharges) : null;
    }
    if (before === 0 && after !== 0) this.#open++;
    else if (before !== 0 && after === 0) this.#open--;
  }

  /** Marks the positions of `instrumentId` at `closePaise` (a bar close). */
  mark(instrumentId: string, closePaise: number): void {
    const list = this.#byInstrument.get(instrumentId);
    if (list === undefined) return;
    for (const state of list) state.lastPricePaise = closePaise;
  }

  /** Returns cash plus every position at its last price, in paise. */
  equityPaise(): number {
    let equity = this.#cashPaise;
    if (this.#open === 0) return equity;
    for (const s of this.#positions.values()) equity += s.netQty * s.lastPricePaise;
    return equity;
  }

  /** Returns true while any position is open. */
  get inMarket(): boolean {
    return this.#open > 0;
  }

  /** The closed trades, in closing order. */
  get trades(): readonly TradeRecord[] {
    return this.#trades;
  }

  /** Positions still open: instrument, product, quantity and the price they are marked at. */
  openPositions(): { readonly key: string; readonly netQty: number; readonly markPaise: number }[] {
    return [...this.#positions]
      .filter(([, s]) => s.netQty !== 0)
      .map(([key, s]) => ({ key, netQty: s.netQty, markPaise: s.lastPricePaise }));
  }

  /** Totals: charges, traded value, fills. */
  totals(): { readonly chargesPaise: number; readonly tradedValuePaise: number; readonly fills: number } {
    return { chargesPaise: this.#chargesPaise, tradedValuePaise: this.#tradedValuePaise, fills: this.#fills };
  }

  #openTrade(fill: Fill, strategyId: string, bar: number, qty: number, charges: number): OpenTrade {
    return {
      strategyId,
      instrumentId: fill.instrumentId,
      direction: fill.side === 'BUY' ? 'LONG' : 'SHORT',
      entryAtMs: fill.tsEvent,
      entryBar: bar,
      maxQty: qty,
      entryQty: qty,
      entryValuePaise: qty * fill.pricePaise,
      exitQty: 0,
      exitValuePaise: 0,
      exitAtMs: fill.tsEvent,
      chargesPaise: charges,
    };
  }

  #close(t: OpenTrade, bar: number): void {
    const sign = t.direction === 'LONG' ? 1 : -1;
    // A closed round trip bought and sold the same quantity: its gross P&L is exactly sells − buys.
    const gross = sign * (t.exitValuePaise - t.entryValuePaise);
    this.#trades.push({
      strategyId: t.strategyId,
      instrumentId: t.instrumentId,
      direction: t.direction,
      qty: t.maxQty,
      entryAtMs: t.entryAtMs,
      entryPricePaise: t.entryValuePaise / t.entryQty,
      exitAtMs: t.exitAtMs,
      exitPricePaise: t.exitValuePaise / t.exitQty,
      grossPnlPaise: gross,
      chargesPaise: t.chargesPaise,
      netPnlPaise: gross - t.chargesPaise,
      bars: bar - t.entryBar,
    });
  }
}
