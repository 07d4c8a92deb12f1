// Closing positions for the system (operator Flatten, the square-off cutoff, the loss cap): a marketable LIMIT
// first, then, if it is still working after the timeout, cancel it and send MARKET for what is left (the Kite client
// adds market_protection to MARKET orders). Only one closing order per position works at a time, so a late fill of
// the LIMIT can never reverse the position.
import {
  makeIntent,
  type AccountId,
  type ClientOrderId,
  type Clock,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  type IntentId,
  type Logger,
  type Order,
  type OrderIntent,
  type OrderType,
  type Paise,
  type Product,
  type RunId,
  type Side,
} from '@kitepilot/core';
import type { AlertLevel } from '../kernel/topics.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import { marketableLimitPricePaise } from './marketable-price.ts';
import { SYSTEM_STRATEGY_ID, type BandLookup } from './order-manager-options.ts';
import type { TradingTimers } from './trading-core.ts';

/** The prefix of square-off escalation timers (`flatten:<clientOrderId>`). */
export const FLATTEN_TIMER_PREFIX = 'flatten:';

function positionKey(instrumentId: InstrumentId, product: Product): string {
  return `${instrumentId}|${product}`;
}

/** What SquareOff needs from the order manager. */
export interface SquareOffDeps {
  readonly accountId: AccountId;
  readonly runId: RunId;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly portfolio: Portfolio;
  readonly instrument: (id: InstrumentId) => Instrument | null;
  readonly band: BandLookup;
  readonly timers: TradingTimers;
  readonly logger: Logger;
  readonly limitOffsetTicks: number;
  readonly timeoutMs: number;
  /** The non-terminal orders, oldest first. */
  readonly working: () => readonly Order[];
  /** Submits a system intent (stored, risk-checked with origin `system`, sent). */
  readonly submit: (intent: OrderIntent) => Promise<void>;
  readonly cancel: (order: Order, reason: string) => Promise<void>;
  readonly alert: (level: AlertLevel, code: string, message: string) => void;
}

/** The system's closing orders and their LIMIT → MARKET escalation. */
export class SquareOff {
  readonly #d: SquareOffDeps;
  /** Intents that close positions for the system, slices included. */
  readonly #closing = new Set<IntentId>();
  /** Positions to close once their cancelled orders are terminal, by `<instrument>|<product>` → reason. */
  readonly #deferred = new Map<string, string>();
  /** Closing orders cancelled at the timeout: a MARKET order replaces each once it is terminal. */
  readonly #escalated = new Set<ClientOrderId>();

  /** Creates the square-off logic over the order manager's state. */
  constructor(deps: SquareOffDeps) {
    this.#d = deps;
  }

  /** Returns true when the intent closes positions for the system. */
  isClosing(intentId: IntentId): boolean {
    return this.#closing.has(intentId);
  }

  /**
   * Returns true while the system is closing the position: a closing order of it is working, or its close waits for
   * cancelled orders to end.
   */
  isClosingPosition(instrumentId: InstrumentId, product: Product): boolean {
    return (
      this.#deferred.has(positionKey(instrumentId, product)) || this.#closingWorking(instrumentId, product)
    );
  }

  /** Returns true while a closing order of the position is working. */
  #closingWorking(instrumentId: InstrumentId, product: Product): boolean {
    return this.#d
      .working()
      .some((o) => this.#closing.has(o.intentId) && o.instrumentId === instrumentId && o.product === product);
  }

  /** Marks an intent as closing (a slice of a closing intent, or a system intent read back at recovery). */
  markClosing(intentId: IntentId): void {
    this.#closing.add(intentId);
  }

  /** Arms the escalation timer of a closing LIMIT order when it is sent (or recovered working). */
  onSent(order: Order): void {
    if (this.#closing.has(order.intentId) && order.orderType !== 'MARKET') {
      this.#d.timers.set(FLATTEN_TIMER_PREFIX + order.clientOrderId, this.#d.clock.now() + this.#d.timeoutMs);
    }
  }

  /** Alerts a closing intent that risk denied. */
  onDenied(intentId: IntentId, reason: string): void {
    if (this.#closing.has(intentId)) {
      this.#d.alert('critical', 'flatten-denied', `closing intent ${intentId} denied: ${reason}`);
    }
  }

  /**
   * Cancels the working orders of the matching instruments (not the closing ones), then sends one closing order per
   * matching non-flat position that has none working: LIMIT at a marketable price, MARKET when no price is known.
   */
  async flatten(instrumentId: InstrumentId | null, product: Product | null, reason: string): Promise<void> {
    const matches = (x: { readonly instrumentId: InstrumentId; readonly product: Product }): boolean =>
      (instrumentId === null || x.instrumentId === instrumentId) &&
      (product === null || x.product === product);
    for (const o of this.#d.working()) {
      if (matches(o) && !this.#closing.has(o.intentId)) await this.#d.cancel(o, reason);
    }
    for (const p of this.#d.portfolio.openPositions()) {
      if (!matches(p)) continue;
      // An order being cancelled may still fill before the cancel lands (a strategy's exit, an entry): closing now
      // could close twice and reverse the position. The closing order goes once those orders are terminal.
      if (this.#othersWorking(p.instrumentId, p.product)) {
        this.#deferred.set(positionKey(p.instrumentId, p.product), reason);
        this.#d.logger.info(
          { instrumentId: p.instrumentId, product: p.product },
          'flatten waits for the cancelled orders of the position to end',
        );
        continue;
      }
      await this.#close(p.instrumentId, p.product, reason);
    }
  }

  /** Sends the closing order of one position unless one is working already (LIMIT when a price is known). */
  async #close(instrumentId: InstrumentId, product: Product, reason: string): Promise<void> {
    const netQty = this.#d.portfolio.position(instrumentId, product)?.netQty ?? 0;
    if (netQty === 0) return;
    if (this.#closingWorking(instrumentId, product)) return;
    const side: Side = netQty > 0 ? 'SELL' : 'BUY';
    const instrument = this.#d.instrument(instrumentId);
    const last = this.#d.portfolio.markPaise(instrumentId);
    const limit =
      instrument === null || last === null
        ? null
        : marketableLimitPricePaise(
            side,
            last,
            instrument.tickSizePaise,
            this.#d.limitOffsetTicks,
            this.#d.band(instrumentId),
          );
    await this.#submit(instrumentId, product, side, Math.abs(netQty), limit, `flatten: ${reason}`);
  }

  /** Returns true while a non-closing order of the position is working (e.g. pending its cancel). */
  #othersWorking(instrumentId: InstrumentId, product: Product): boolean {
    return this.#d
      .working()
      .some(
        (o) => !this.#closing.has(o.intentId) && o.instrumentId === instrumentId && o.product === product,
      );
  }

  /** Handles an escalation timer: cancels the still-working LIMIT; its MARKET replacement follows when it ends. */
  async onTimer(name: string): Promise<boolean> {
    if (!name.startsWith(FLATTEN_TIMER_PREFIX)) return false;
    const order = this.#d.working().find((o) => FLATTEN_TIMER_PREFIX + o.clientOrderId === name);
    if (order === undefined || order.status === 'PENDING_CANCEL') return true;
    this.#escalated.add(order.clientOrderId);
    this.#d.logger.info(
      { clientOrderId: order.clientOrderId },
      'square-off LIMIT timed out: cancelling for MARKET',
    );
    await this.#d.cancel(
      order,
      `square-off LIMIT unfilled after ${this.#d.timeoutMs} ms: replaced by MARKET`,
    );
    return true;
  }

  /** Follows up a closing order that reached a terminal state: MARKET for the rest, or an alert when it failed. */
  async onTerminal(order: Order): Promise<void> {
    if (!this.#closing.has(order.intentId)) {
      const key = positionKey(order.instrumentId, order.product);
      const reason = this.#deferred.get(key);
      if (reason !== undefined && !this.#othersWorking(order.instrumentId, order.product)) {
        this.#deferred.delete(key);
        await this.#close(order.instrumentId, order.product, reason);
      }
      return;
    }
    this.#d.timers.cancel(FLATTEN_TIMER_PREFIX + order.clientOrderId);
    if (this.#escalated.delete(order.clientOrderId)) {
      const netQty = this.#d.portfolio.position(order.instrumentId, order.product)?.netQty ?? 0;
      const open = order.side === 'SELL' ? netQty : -netQty;
      const qty = Math.min(open, order.qty - order.filledQty);
      if (qty <= 0) return;
      const reason = `square-off MARKET for the ${qty} left by ${order.clientOrderId}`;
      await this.#submit(order.instrumentId, order.product, order.side, qty, null, reason);
    } else if (order.status !== 'FILLED') {
      this.#d.alert(
        'critical',
        'flatten-incomplete',
        `closing order ${order.clientOrderId} ended ${order.status} with ${order.qty - order.filledQty} of ${order.qty} ${order.instrumentId} unfilled: ${order.statusMessage ?? 'no message'}`,
      );
    }
  }

  async #submit(
    instrumentId: InstrumentId,
    product: Product,
    side: Side,
    qty: number,
    limitPricePaise: Paise | null,
    reason: string,
  ): Promise<void> {
    const now = this.#d.clock.now();
    const orderType: OrderType = limitPricePaise === null ? 'MARKET' : 'LIMIT';
    const intent = makeIntent({
      id: this.#d.ids.next('intent'),
      accountId: this.#d.accountId,
      strategyId: SYSTEM_STRATEGY_ID,
      runId: this.#d.runId,
      instrumentId,
      side,
      qty,
      orderType,
      product,
      validity: 'DAY',
      validityTtlMinutes: null,
      limitPricePaise,
      triggerPricePaise: null,
      stopLossPaise: null,
      reason,
      tsEvent: now,
      tsInit: now,
    });
    this.#closing.add(intent.id);
    await this.#d.submit(intent);
  }
}
