// One account's positions, marks, stops, realised and unrealised P&L, charges and exposure. Positions change only
// through core applyFill (average cost, exact paise); "today" is the IST date of the clock and restarts when it changes.
import {
  addPaise,
  applyFill as applyFillToPosition,
  averageOpenPricePaise,
  flatPosition,
  InvariantError,
  istDate,
  mulPaise,
  paise,
  subPaise,
  unrealisedPnlPaise,
  type AccountId,
  type Clock,
  type FeeModel,
  type Fill,
  type Instrument,
  type InstrumentId,
  type Paise,
  type Position,
  type Product,
  type StrategyId,
} from '@kitepilot/core';
import type { PositionView } from '../sdk/strategy.ts';
import { chargeSegmentOf } from './charge-segment.ts';
import { ContractNoteLedger } from './contract-note-ledger.ts';
import { DEFAULT_MARGIN_RATES_BPS, marginForPaise, type MarginRatesBps } from './margin-rates.ts';

/** How a Portfolio is built. */
export interface PortfolioOptions {
  readonly accountId: AccountId;
  readonly clock: Clock;
  /** Looks up an instrument (for the exchange and segment of charges). */
  readonly instrument: (id: InstrumentId) => Instrument | null;
  /** Charges per contract note; without one, fills carry no charges. */
  readonly feeModel?: FeeModel;
  /** The paper account's cash at the start of the day; without it the available margin is unknown (null). */
  readonly startingCashPaise?: Paise;
  /** Paper margin rates per product (defaults: DEFAULT_MARGIN_RATES_BPS). */
  readonly marginRatesBps?: Partial<MarginRatesBps>;
}

/** What one fill did to the portfolio. */
export interface PortfolioFillResult {
  readonly position: Position;
  /** The charges this fill added to its contract note (0 without a fee model). */
  readonly chargesPaise: Paise;
}

interface Slot {
  position: Position;
  /** The position's realised P&L when the current IST day started. */
  realisedAtDayStart: Paise;
  stopPaise: Paise | null;
  /** The strategy whose order opened (or reversed) the position; null when flat or unknown. */
  openedBy: StrategyId | null;
}

// Keys are built once per instrument × product and reused: positions are looked up on every bar and tick, and a
// reused string keeps its hash.
const slotKeys = new Map<InstrumentId, Map<Product, string>>();

function slotKey(instrumentId: InstrumentId, product: Product): string {
  let byProduct = slotKeys.get(instrumentId);
  if (byProduct === undefined) {
    byProduct = new Map();
    slotKeys.set(instrumentId, byProduct);
  }
  let key = byProduct.get(product);
  if (key === undefined) {
    key = `${instrumentId}|${product}`;
    byProduct.set(product, key);
  }
  return key;
}

/** One account's positions and P&L; single-threaded, updated by the order manager. */
export class Portfolio {
  readonly #accountId: AccountId;
  readonly #clock: Clock;
  readonly #instrument: (id: InstrumentId) => Instrument | null;
  readonly #ledger: ContractNoteLedger | null;
  readonly #startingCash: Paise | null;
  readonly #rates: MarginRatesBps;
  readonly #slots = new Map<string, Slot>();
  readonly #marks = new Map<InstrumentId, Paise>();
  /** Non-flat positions per instrument, so a tick can tell in O(1) whether it matters. */
  readonly #openByInstrument = new Map<InstrumentId, number>();
  #day: string;
  #chargesToday: Paise = paise(0);
  #chargesTotal: Paise = paise(0);

  /** Creates an empty portfolio for one account. */
  constructor(options: PortfolioOptions) {
    this.#accountId = options.accountId;
    this.#clock = options.clock;
    this.#instrument = options.instrument;
    this.#ledger = options.feeModel === undefined ? null : new ContractNoteLedger(options.feeModel);
    this.#startingCash = options.startingCashPaise ?? null;
    this.#rates = { ...DEFAULT_MARGIN_RATES_BPS, ...options.marginRatesBps };
    this.#day = istDate(options.clock.now());
  }

  /**
   * Applies a fill: position (core applyFill), stop (the entry intent's `stopLossPaise`: set when a position opens
   * or reverses, replaced by a non-null stop when it grows, cleared when flat) and charges.
   */
  applyFill(
    fill: Fill,
    stopLossPaise: Paise | null = null,
    strategyId: StrategyId | null = null,
  ): PortfolioFillResult {
    if (fill.accountId !== this.#accountId) {
      throw new InvariantError(`fill ${fill.id} of account ${fill.accountId} applied to ${this.#accountId}`);
    }
    this.#roll();
    const k = slotKey(fill.instrumentId, fill.product);
    let slot = this.#slots.get(k);
    if (slot === undefined) {
      const flat = flatPosition(this.#accountId, fill.instrumentId, fill.product, fill.tsEvent);
      slot = { position: flat, realisedAtDayStart: paise(0), stopPaise: null, openedBy: null };
      this.#slots.set(k, slot);
    }
    const before = slot.position;
    const after = applyFillToPosition(before, fill);
    slot.position = after;
    if (after.netQty === 0) {
      slot.stopPaise = null;
      slot.openedBy = null;
    } else if (Math.sign(after.netQty) !== Math.sign(before.netQty)) {
      slot.stopPaise = stopLossPaise;
      slot.openedBy = strategyId;
    } else if (Math.abs(after.netQty) > Math.abs(before.netQty)) {
      slot.stopPaise = stopLossPaise ?? slot.stopPaise;
      // Grown by another strategy: no single strategy owns it any more.
      if (slot.openedBy !== strategyId) slot.openedBy = null;
    }
    this.#countOpen(fill.instrumentId, before.netQty, after.netQty);
    const chargesPaise = this.#charge(fill);
    return { position: after, chargesPaise };
  }

  /** Returns the charges of every fill applied since the portfolio was created (the fills of a restore() excluded). */
  chargesTotalPaise(): Paise {
    return this.#chargesTotal;
  }

  /** Records the last price of an instrument (from a tick). */
  mark(instrumentId: InstrumentId, pricePaise: Paise): void {
    this.#marks.set(instrumentId, pricePaise);
  }

  /** Returns the last price of an instrument, or null before any. */
  markPaise(instrumentId: InstrumentId): Paise | null {
    return this.#marks.get(instrumentId) ?? null;
  }

  /** Returns the position, or null when the account never traded the instrument in that product. */
  position(instrumentId: InstrumentId, product: Product): Position | null {
    return this.#slots.get(slotKey(instrumentId, product))?.position ?? null;
  }

  /** Returns the position as a strategy sees it (flat when none). */
  view(instrumentId: InstrumentId, product: Product): PositionView {
    const slot = this.#slots.get(slotKey(instrumentId, product));
    const p = slot?.position ?? null;
    if (p === null) {
      return {
        instrumentId,
        product,
        netQty: 0,
        averagePricePaise: null,
        realisedPnlPaise: paise(0),
        unrealisedPnlPaise: null,
        stopPaise: null,
        openedBy: null,
      };
    }
    const mark = this.#marks.get(instrumentId);
    return {
      instrumentId,
      product,
      netQty: p.netQty,
      averagePricePaise: averageOpenPricePaise(p),
      realisedPnlPaise: p.realisedPnlPaise,
      unrealisedPnlPaise: p.netQty === 0 || mark === undefined ? null : unrealisedPnlPaise(p, mark),
      stopPaise: p.netQty === 0 ? null : (slot?.stopPaise ?? null),
      openedBy: p.netQty === 0 ? null : (slot?.openedBy ?? null),
    };
  }

  /** Returns every position (flat ones included), in the order they were first opened. */
  positions(): readonly Position[] {
    return [...this.#slots.values()].map((s) => s.position);
  }

  /** Returns the non-flat positions. */
  openPositions(): readonly Position[] {
    const out: Position[] = [];
    for (const s of this.#slots.values()) if (s.position.netQty !== 0) out.push(s.position);
    return out;
  }

  /** Returns true when any position is not flat. */
  hasOpenPositions(): boolean {
    return this.#openByInstrument.size > 0;
  }

  /** Returns true when the instrument has a non-flat position in any product. */
  hasOpenPosition(instrumentId: InstrumentId): boolean {
    return this.#openByInstrument.has(instrumentId);
  }

  /** Returns the protective stop of a position, or null when none is known or it is flat. */
  stopPaise(instrumentId: InstrumentId, product: Product): Paise | null {
    return this.#slots.get(slotKey(instrumentId, product))?.stopPaise ?? null;
  }

  /** Sets the stop of an open position (recovery); ignored when the position is flat or unknown. */
  setStop(instrumentId: InstrumentId, product: Product, stopPaise: Paise | null): void {
    const slot = this.#slots.get(slotKey(instrumentId, product));
    if (slot !== undefined && slot.position.netQty !== 0) slot.stopPaise = stopPaise;
  }

  /** Sets the strategy that opened an open position (recovery reads it from the day's intents). */
  setOpenedBy(instrumentId: InstrumentId, product: Product, strategyId: StrategyId | null): void {
    const slot = this.#slots.get(slotKey(instrumentId, product));
    if (slot !== undefined && slot.position.netQty !== 0) slot.openedBy = strategyId;
  }

  /** Returns netQty × mark − cost of a position, or null when flat, unknown or unmarked. */
  unrealisedPnlPaise(instrumentId: InstrumentId, product: Product): Paise | null {
    const p = this.position(instrumentId, product);
    const mark = this.#marks.get(instrumentId);
    if (p === null || p.netQty === 0 || mark === undefined) return null;
    return unrealisedPnlPaise(p, mark);
  }

  /** Returns Σ unrealised P&L over the open positions that have a mark. */
  totalUnrealisedPnlPaise(): Paise {
    let total = paise(0);
    for (const s of this.#slots.values()) {
      const mark = this.#marks.get(s.position.instrumentId);
      if (s.position.netQty !== 0 && mark !== undefined) {
        total = addPaise(total, unrealisedPnlPaise(s.position, mark));
      }
    }
    return total;
  }

  /** Returns the realised P&L of the current IST day, gross of charges. */
  realisedTodayPaise(): Paise {
    this.#roll();
    let total = paise(0);
    for (const s of this.#slots.values()) {
      total = addPaise(total, subPaise(s.position.realisedPnlPaise, s.realisedAtDayStart));
    }
    return total;
  }

  /** Returns the charges of the current IST day's fills. */
  chargesTodayPaise(): Paise {
    this.#roll();
    return this.#chargesToday;
  }

  /** Returns realised P&L today minus charges today. */
  realisedNetTodayPaise(): Paise {
    return subPaise(this.realisedTodayPaise(), this.chargesTodayPaise());
  }

  /** Returns |netQty| × price summed over the instrument's products (price: the mark, else the average cost). */
  exposurePaise(instrumentId: InstrumentId): Paise {
    let total = paise(0);
    for (const s of this.#slots.values()) {
      if (s.position.instrumentId === instrumentId) total = addPaise(total, this.#exposure(s.position));
    }
    return total;
  }

  /** Returns Σ exposure over every open position. */
  totalExposurePaise(): Paise {
    let total = paise(0);
    for (const s of this.#slots.values()) total = addPaise(total, this.#exposure(s.position));
    return total;
  }

  /** Returns the paper margin blocked by the open positions: Σ |netQty| × price × rate of the product. */
  marginUsedPaise(): Paise {
    let total = paise(0);
    for (const s of this.#slots.values()) {
      const p = s.position;
      if (p.netQty === 0) continue;
      const price = this.#marks.get(p.instrumentId) ?? averageOpenPricePaise(p) ?? paise(0);
      total = addPaise(total, marginForPaise(p.netQty, price, this.#rates[p.product]));
    }
    return total;
  }

  /**
   * Returns the paper margin available: starting cash + realised net today + unrealised loss (gains do not count)
   * − margin used; null without a starting cash.
   */
  marginAvailablePaise(): Paise | null {
    if (this.#startingCash === null) return null;
    const unrealised = this.totalUnrealisedPnlPaise();
    const loss = unrealised < 0 ? unrealised : paise(0);
    return subPaise(
      addPaise(addPaise(this.#startingCash, this.realisedNetTodayPaise()), loss),
      this.marginUsedPaise(),
    );
  }

  /**
   * Restores the state after a restart from the stored positions and the fills of the current IST day: today's
   * realised P&L is recomputed by replaying today's fills from the start-of-day quantity, and today's contract notes
   * (charges) are rebuilt. Returns the keys (`instrument|product`) whose realised-today is an estimate: a position
   * carried from an earlier day whose start-of-day cost is not stored is assumed opened at today's average price.
   */
  restore(positions: readonly Position[], fillsToday: readonly Fill[]): readonly string[] {
    this.#slots.clear();
    this.#openByInstrument.clear();
    this.#day = istDate(this.#clock.now());
    this.#chargesToday = paise(0);
    for (const p of positions) {
      if (p.accountId !== this.#accountId) {
        throw new InvariantError(`position of account ${p.accountId} restored into ${this.#accountId}`);
      }
      this.#slots.set(slotKey(p.instrumentId, p.product), {
        position: p,
        realisedAtDayStart: p.realisedPnlPaise,
        stopPaise: null,
        openedBy: null,
      });
      this.#countOpen(p.instrumentId, 0, p.netQty);
    }
    const byKey = new Map<string, Fill[]>();
    for (const f of fillsToday) {
      const k = slotKey(f.instrumentId, f.product);
      byKey.set(k, [...(byKey.get(k) ?? []), f]);
    }
    const approximated: string[] = [];
    for (const [k, fills] of byKey) {
      const first = fills[0];
      if (first === undefined) continue;
      const stored = this.#slots.get(k);
      if (stored === undefined) {
        // The fills were stored but the position was not (a crash between the two writes): rebuild it from them.
        let p = flatPosition(this.#accountId, first.instrumentId, first.product, first.tsEvent);
        for (const f of fills) p = applyFillToPosition(p, f);
        this.#slots.set(k, { position: p, realisedAtDayStart: paise(0), stopPaise: null, openedBy: null });
        this.#countOpen(p.instrumentId, 0, p.netQty);
        continue;
      }
      const end = stored.position;
      const startQty = fills.reduce((q, f) => q - (f.side === 'BUY' ? f.qty : -f.qty), end.netQty);
      let start = flatPosition(this.#accountId, end.instrumentId, end.product, first.tsEvent);
      if (startQty !== 0) {
        approximated.push(k);
        const avg =
          end.netQty !== 0 && Math.sign(end.netQty) === Math.sign(startQty)
            ? (averageOpenPricePaise(end) ?? first.pricePaise)
            : first.pricePaise;
        start = { ...start, netQty: startQty, costBasisPaise: mulPaise(avg, startQty) };
      }
      let replay = start;
      for (const f of fills) replay = applyFillToPosition(replay, f);
      stored.realisedAtDayStart = subPaise(end.realisedPnlPaise, replay.realisedPnlPaise);
    }
    for (const f of fillsToday) this.#charge(f);
    this.#chargesTotal = paise(0);
    return approximated;
  }

  #exposure(p: Position): Paise {
    if (p.netQty === 0) return paise(0);
    const mark = this.#marks.get(p.instrumentId);
    return mark === undefined ? paise(Math.abs(p.costBasisPaise)) : mulPaise(mark, Math.abs(p.netQty));
  }

  #charge(fill: Fill): Paise {
    if (this.#ledger === null) return paise(0);
    const instrument = this.#instrument(fill.instrumentId);
    if (instrument === null) {
      throw new InvariantError(
        `fill ${fill.id}: instrument ${fill.instrumentId} is unknown; cannot charge it`,
      );
    }
    const charge = this.#ledger.add(fill, instrument.exchange, chargeSegmentOf(instrument, fill.product));
    if (charge.tradeDate === this.#day)
      this.#chargesToday = addPaise(this.#chargesToday, charge.chargesPaise);
    this.#chargesTotal = addPaise(this.#chargesTotal, charge.chargesPaise);
    return charge.chargesPaise;
  }

  #countOpen(instrumentId: InstrumentId, beforeQty: number, afterQty: number): void {
    const delta = (afterQty !== 0 ? 1 : 0) - (beforeQty !== 0 ? 1 : 0);
    if (delta === 0) return;
    const n = (this.#openByInstrument.get(instrumentId) ?? 0) + delta;
    if (n === 0) this.#openByInstrument.delete(instrumentId);
    else this.#openByInstrument.set(instrumentId, n);
  }

  #roll(): void {
    const day = istDate(this.#clock.now());
    if (day === this.#day) return;
    this.#day = day;
    this.#chargesToday = paise(0);
    for (const s of this.#slots.values()) s.realisedAtDayStart = s.position.realisedPnlPaise;
    this.#ledger?.dropBefore(day);
  }
}
