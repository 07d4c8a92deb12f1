// One strategy's trade in one instrument, from entry to exit, shared by the built-in strategies (kept identical in
// each strategy package; a guard test compares the copies). Rules it enforces:
// - at most one working intent at a time (an entry or an exit), and nothing new while the strategy has any open
//   order in the instrument;
// - an entry records a signal, then submits a MARKET order with its stop (risk sizes worst-case loss with it);
// - an exit is a MARKET order for the whole open quantity (the position's |netQty|) on the opposite side, asked for
//   once a reason is known and sent as soon as nothing else is working;
// - a denied, rejected, cancelled or lapsed entry is not retried; a failed exit is retried no sooner than
//   `exitRetryMs` later (never in a loop), on the next event the strategy passes to sync();
// - a position closed by someone else (platform flatten, square-off) ends the trade; a position the strategy did not
//   open is never touched;
// - after a restart (fresh state), a position the platform says this strategy opened, with its stop, is taken back:
//   the strategy's stop and exit rules apply to it again (its target, if any, is not known any more).
import type { Instrument, IntentId, Paise, Product, Side } from '@kitepilot/core';
import type { StrategyContext, StrategyOrderUpdate } from '../strategy.ts';

/** The trade the strategy holds: its direction and levels (on the tick grid). */
export interface OpenTrade {
  readonly side: Side;
  /** The price the entry decision was made on (a bar close or the last trade). */
  readonly referencePaise: Paise;
  readonly stopPaise: Paise;
  readonly targetPaise: Paise | null;
}

/** What enter() needs. */
export interface EntryRequest extends OpenTrade {
  readonly reason: string;
}

/** Options of TradeManager. */
export interface TradeManagerOptions {
  readonly instrument: Instrument;
  readonly qty: number;
  readonly product: Product;
  /** How long after a failed exit the exit may be sent again (default 60 s). */
  readonly exitRetryMs?: number;
}

/** Tracks a strategy's entry and exit intents, its open trade and the exit it still owes. */
export class TradeManager {
  readonly instrument: Instrument;
  readonly qty: number;
  readonly product: Product;
  readonly #exitRetryMs: number;
  #working: { readonly intentId: IntentId; readonly kind: 'entry' | 'exit' } | null = null;
  #trade: OpenTrade | null = null;
  #exitReason: string | null = null;
  #exitNotBeforeMs = 0;

  /** Creates a manager for one instrument, quantity and product. */
  constructor(options: TradeManagerOptions) {
    this.instrument = options.instrument;
    this.qty = options.qty;
    this.product = options.product;
    this.#exitRetryMs = options.exitRetryMs ?? 60_000;
  }

  /** The open trade, or null when the strategy holds none. */
  get trade(): OpenTrade | null {
    return this.#trade;
  }

  /** What is working: `entry`, `exit`, or null. */
  get working(): 'entry' | 'exit' | null {
    return this.#working?.kind ?? null;
  }

  /** True once an exit was asked for and the trade is not closed yet. */
  get exiting(): boolean {
    return this.#exitReason !== null;
  }

  /** Returns the signed net quantity of the instrument and product. */
  netQty(ctx: StrategyContext): number {
    return ctx.position(this.instrument.id, this.product).netQty;
  }

  /** Returns true when an entry may be sent now: nothing working, no open order, flat, no trade. */
  canEnter(ctx: StrategyContext): boolean {
    return (
      this.#working === null &&
      this.#trade === null &&
      ctx.openOrders(this.instrument.id).length === 0 &&
      this.netQty(ctx) === 0
    );
  }

  /** Records a LONG/SHORT signal and submits the MARKET entry with its stop; call only when canEnter(). */
  enter(ctx: StrategyContext, request: EntryRequest): IntentId {
    const instrumentId = this.instrument.id;
    ctx.signal({
      instrumentId,
      direction: request.side === 'BUY' ? 'LONG' : 'SHORT',
      reason: request.reason,
    });
    const intentId = ctx.submit({
      instrumentId,
      side: request.side,
      qty: this.qty,
      orderType: 'MARKET',
      product: this.product,
      stopLossPaise: request.stopPaise,
      reason: request.reason,
    });
    this.#working = { intentId, kind: 'entry' };
    this.#trade = {
      side: request.side,
      referencePaise: request.referencePaise,
      stopPaise: request.stopPaise,
      targetPaise: request.targetPaise,
    };
    this.#exitReason = null;
    this.#exitNotBeforeMs = 0;
    return intentId;
  }

  /** Asks for the trade to be closed (the first reason is kept) and sends the exit when it can. */
  requestExit(ctx: StrategyContext, reason: string): void {
    if (this.#trade === null) return;
    this.#exitReason ??= reason;
    this.#tryExit(ctx);
  }

  /** Cancels a working entry (e.g. at the exit time); its terminal update arrives through onOrderUpdate. */
  cancelEntry(ctx: StrategyContext, reason: string): void {
    if (this.#working?.kind === 'entry') ctx.cancel(this.#working.intentId, reason);
  }

  /**
   * Reconciles with the position: ends a trade whose position someone else closed, sends an owed exit whose retry
   * time has come, and takes back a position this strategy opened before a restart. Call on every market event and
   * timer.
   */
  sync(ctx: StrategyContext): void {
    if (this.#working !== null) return;
    if (this.#trade === null) {
      this.#adopt(ctx);
      return;
    }
    const net = this.netQty(ctx);
    if (net === 0 || Math.sign(net) !== (this.#trade.side === 'BUY' ? 1 : -1)) {
      ctx.log.info(
        { instrumentId: this.instrument.id, netQty: net, side: this.#trade.side },
        'the position was closed outside the strategy; the trade is over',
      );
      this.#closeTrade();
      return;
    }
    if (this.#exitReason !== null) this.#tryExit(ctx);
  }

  /** Applies an order update for the working intent (others are ignored). */
  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    const working = this.#working;
    if (working === null || update.intentId !== working.intentId) return;
    const event = update.event;
    let failed: string | null = null;
    switch (event.type) {
      case 'OrderDenied':
        failed = `denied by risk: ${event.reason}`;
        break;
      case 'OrderRejected':
        failed = `rejected: ${event.reason}`;
        break;
      case 'OrderCancelled':
        failed = `cancelled: ${event.reason ?? 'no reason given'}`;
        break;
      case 'OrderExpired':
        failed = `expired with ${event.expiredQty} unfilled`;
        break;
      case 'OrderFilled':
        if (update.order?.status !== 'FILLED') return;
        break;
      default:
        return;
    }
    this.#working = null;
    const net = this.netQty(ctx);
    const what = { intentId: working.intentId, instrumentId: this.instrument.id, netQty: net };
    if (working.kind === 'entry') {
      if (failed !== null) ctx.log.warn({ ...what, outcome: failed }, 'entry failed; not retried');
      if (net === 0) {
        this.#closeTrade();
        return;
      }
      if (this.#exitReason !== null) this.#tryExit(ctx);
      return;
    }
    if (net === 0) {
      this.#closeTrade();
      return;
    }
    if (failed !== null) {
      this.#exitNotBeforeMs = ctx.now() + this.#exitRetryMs;
      ctx.log.error(
        { ...what, outcome: failed, retryAtMs: this.#exitNotBeforeMs },
        'exit failed; the position is still open',
      );
    }
  }

  #tryExit(ctx: StrategyContext): void {
    const trade = this.#trade;
    const reason = this.#exitReason;
    if (trade === null || reason === null || this.#working !== null) return;
    if (ctx.now() < this.#exitNotBeforeMs) return;
    const net = this.netQty(ctx);
    if (net === 0) {
      this.#closeTrade();
      return;
    }
    const instrumentId = this.instrument.id;
    ctx.signal({ instrumentId, direction: 'FLAT', reason });
    const intentId = ctx.submit({
      instrumentId,
      side: net > 0 ? 'SELL' : 'BUY',
      qty: Math.abs(net),
      orderType: 'MARKET',
      product: this.product,
      stopLossPaise: null,
      reason,
    });
    this.#working = { intentId, kind: 'exit' };
  }

  #adopt(ctx: StrategyContext): void {
    const view = ctx.position(this.instrument.id, this.product);
    if (view.netQty === 0 || view.openedBy !== ctx.strategyId || view.stopPaise === null) return;
    if (ctx.openOrders(this.instrument.id).length > 0) return;
    this.#trade = {
      side: view.netQty > 0 ? 'BUY' : 'SELL',
      referencePaise: view.averagePricePaise ?? view.stopPaise,
      stopPaise: view.stopPaise,
      targetPaise: null,
    };
    this.#exitReason = null;
    this.#exitNotBeforeMs = 0;
    ctx.log.warn(
      { instrumentId: this.instrument.id, netQty: view.netQty, stopPaise: view.stopPaise },
      'took back the position this strategy opened before a restart; its stop and exit rules apply again',
    );
  }

  #closeTrade(): void {
    this.#trade = null;
    this.#exitReason = null;
    this.#exitNotBeforeMs = 0;
  }
}
