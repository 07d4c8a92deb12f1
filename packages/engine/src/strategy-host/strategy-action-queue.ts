// The actions strategy handlers queue and the order updates trading calls publish, run and delivered in order
// after the call that caused them — never re-entrantly: a strategy learns of an order update only once the trading
// call that produced it has finished, and its reactions run after that, one trading call at a time.
import type { AccountId, StrategyId } from '@kitepilot/core';
import type { OrderUpdate } from '../kernel/topics.ts';
import type { OrderStore } from '../orders/order-store.ts';
import type { TradingCore } from '../orders/trading-core.ts';
import type { StrategyOrderUpdate } from '../sdk/strategy.ts';
import type { StrategyAction } from './strategy-action.ts';

/** What the queue runs actions against and delivers updates to. */
export interface StrategyActionQueueOptions {
  readonly accountId: AccountId;
  readonly trading: Pick<TradingCore, 'submit' | 'modify' | 'cancel'>;
  readonly signals: Pick<OrderStore, 'insertSignal'>;
  /** Delivers an order update to its strategy (StrategyHost.deliverOrderUpdate). */
  readonly deliver: (strategyId: StrategyId, update: StrategyOrderUpdate) => void;
}

/** Queued strategy actions and collected order updates of the input being handled. */
export class StrategyActionQueue {
  readonly #options: StrategyActionQueueOptions;
  readonly #actions: StrategyAction[] = [];
  #head = 0;
  readonly #updates: OrderUpdate[] = [];
  #run = 0;

  /** Creates an empty queue. */
  constructor(options: StrategyActionQueueOptions) {
    this.#options = options;
  }

  /** Queues an action to run after the current handler. */
  push(action: StrategyAction): void {
    this.#actions.push(action);
  }

  /** Returns a mark to drop, with discardSince, what a failing handler queued. */
  mark(): number {
    return this.#actions.length;
  }

  /** Drops the trading actions queued since `mark`; signal writes stay (their signals were published). */
  discardSince(mark: number): void {
    const dropped = this.#actions.splice(mark);
    for (const action of dropped) if (action.kind === 'signal') this.#actions.push(action);
  }

  /** Collects an order update published by a trading call (delivered by the next settle()). */
  collect(update: OrderUpdate): void {
    this.#updates.push(update);
  }

  /** Returns how many actions were run since creation. */
  get runCount(): number {
    return this.#run;
  }

  /**
   * Delivers the collected updates, then runs queued actions one at a time, delivering the updates each one causes
   * before the next. Returns undefined when everything completed synchronously.
   */
  settle(): Promise<void> | undefined {
    for (;;) {
      if (this.#updates.length > 0) this.#deliverUpdates();
      if (this.#head >= this.#actions.length) {
        this.#actions.length = 0;
        this.#head = 0;
        return undefined;
      }
      const action = this.#actions[this.#head++] as StrategyAction;
      this.#run++;
      const pending = this.#runAction(action);
      if (pending !== undefined) return pending.then(() => this.settle());
    }
  }

  #runAction(action: StrategyAction): Promise<void> | undefined {
    const { trading, accountId } = this.#options;
    switch (action.kind) {
      case 'submit':
        return trading.submit(action.intent, 'strategy');
      case 'modify':
        return trading.modify(accountId, action.intentId, action.changes);
      case 'cancel':
        return trading.cancel(accountId, action.intentId, action.reason);
      case 'signal':
        return this.#options.signals.insertSignal(action.signal);
    }
  }

  #deliverUpdates(): void {
    const updates = this.#updates.splice(0);
    for (const { event, order } of updates) {
      const strategyId = order?.strategyId ?? (event.type === 'OrderDenied' ? event.strategyId : null);
      const intentId = order?.intentId ?? (event.type === 'OrderDenied' ? event.intentId : null);
      // System orders (flatten, square-off) belong to no hosted strategy; the host ignores unknown ids.
      if (strategyId === null || intentId === null) continue;
      this.#options.deliver(strategyId, { intentId, order, event });
    }
  }
}
