// The StrategyContext the kernel gives each strategy: reads go straight to the kernel's state, actions are
// validated now and queued to run after the handler returns. A strategy sees nothing of another strategy.
import {
  isBarInterval,
  isOrderType,
  isProduct,
  isSide,
  isValidity,
  makeIntent,
  type AccountId,
  type Bar,
  type BarInterval,
  type Instrument,
  type InstrumentId,
  type IntentId,
  type Logger,
  type NseCalendar,
  type Order,
  type Product,
  type RunId,
  type Signal,
  type SignalId,
  type StrategyId,
  type Tick,
} from '@kitepilot/core';
import type {
  IntentRequest,
  ModifyRequest,
  PositionView,
  SignalRequest,
  StrategyContext,
} from '../sdk/strategy.ts';
import { StrategyContextError } from './strategy-context-error.ts';
import type { StrategyHostPorts } from './strategy-host-ports.ts';
import type { StrategySlot } from './strategy-slot.ts';

const SIGNAL_DIRECTIONS: readonly string[] = ['LONG', 'SHORT', 'FLAT'];
const DEFAULT_BARS: readonly BarInterval[] = ['1m'];

/** Registers a strategy's interest in an instrument (implemented by StrategyHost). */
export type SubscribeFn = (
  slot: StrategySlot,
  instrumentId: InstrumentId,
  ticks: boolean,
  bars: readonly BarInterval[],
) => void;

function positiveInt(n: unknown): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

/** The context of one hosted strategy. */
export class KernelStrategyContext implements StrategyContext {
  readonly strategyId: StrategyId;
  readonly runId: RunId;
  readonly accountId: AccountId;
  readonly log: Logger;
  readonly calendar: NseCalendar;
  readonly #slot: StrategySlot;
  readonly #ports: StrategyHostPorts;
  readonly #subscribe: SubscribeFn;
  readonly #owner: string;

  /** Creates the context of `slot`. */
  constructor(slot: StrategySlot, ports: StrategyHostPorts, subscribe: SubscribeFn) {
    this.strategyId = slot.id;
    this.runId = ports.runId;
    this.accountId = ports.accountId;
    this.calendar = ports.calendar;
    this.log = ports.logger.child({ strategyId: slot.id, strategy: slot.name });
    this.#slot = slot;
    this.#ports = ports;
    this.#subscribe = subscribe;
    this.#owner = `strategy:${slot.id}`;
  }

  /** Returns the kernel clock's time (the time of the input being handled). */
  now(): number {
    return this.#ports.clock.now();
  }

  /** Returns the instrument for `NSE:INFY`, `INFY.NSE` or an InstrumentId, or null. */
  instrument(symbol: string): Instrument | null {
    return this.#ports.instruments.bySymbol(symbol);
  }

  /** Subscribes to bars (default 1m) and optionally ticks of a known instrument. */
  subscribe(
    instrumentId: InstrumentId,
    options?: { readonly ticks?: boolean; readonly bars?: readonly BarInterval[] },
  ): void {
    this.#assertActive('subscribe');
    if (this.#ports.instruments.byId(instrumentId) === null) {
      throw new StrategyContextError(
        `strategy ${this.strategyId} cannot subscribe to ${instrumentId}: not in the instrument catalog`,
      );
    }
    const bars = options?.bars ?? DEFAULT_BARS;
    for (const interval of bars) {
      if (!isBarInterval(interval)) {
        throw new StrategyContextError(
          `strategy ${this.strategyId} asked for bars of unknown interval ${JSON.stringify(interval)}`,
        );
      }
    }
    this.#subscribe(this.#slot, instrumentId, options?.ticks === true, bars);
  }

  /** Returns the last tick of the instrument, or null. */
  lastTick(instrumentId: InstrumentId): Tick | null {
    return this.#ports.lastTick(instrumentId);
  }

  /** Returns up to `count` closed bars, oldest first. */
  bars(instrumentId: InstrumentId, interval: BarInterval, count?: number): readonly Bar[] {
    return this.#ports.bars(instrumentId, interval, count);
  }

  /** Returns the account's position in the instrument for `product` (default MIS). */
  position(instrumentId: InstrumentId, product: Product = 'MIS'): PositionView {
    return this.#ports.trading.position(this.accountId, instrumentId, product);
  }

  /** Returns this strategy's non-terminal orders, oldest first. */
  openOrders(instrumentId?: InstrumentId): readonly Order[] {
    return instrumentId === undefined
      ? this.#ports.trading.openOrders(this.accountId, this.strategyId)
      : this.#ports.trading.openOrders(this.accountId, this.strategyId, instrumentId);
  }

  /** Publishes a signal now, queues its persistence, and returns its id. */
  signal(request: SignalRequest): SignalId {
    this.#assertActive('signal');
    if (!SIGNAL_DIRECTIONS.includes(request.direction)) {
      throw new StrategyContextError(
        `strategy ${this.strategyId}: signal direction ${JSON.stringify(request.direction)} is not LONG, SHORT or FLAT`,
      );
    }
    const strength = request.strength ?? null;
    if (strength !== null && !(Number.isFinite(strength) && strength >= -1 && strength <= 1)) {
      throw new StrategyContextError(
        `strategy ${this.strategyId}: signal strength ${strength} is outside [-1, 1]`,
      );
    }
    const now = this.#ports.clock.now();
    const signal: Signal = {
      id: this.#ports.ids.next('signal'),
      accountId: this.accountId,
      runId: this.runId,
      strategyId: this.strategyId,
      instrumentId: request.instrumentId,
      direction: request.direction,
      strength,
      reason: request.reason,
      tsEvent: now,
      tsInit: now,
    };
    this.#ports.bus.publish('signal', signal);
    this.#ports.enqueue({ kind: 'signal', signal });
    return signal.id;
  }

  /** Validates the request, builds the intent and queues its submission; returns the intent id. */
  submit(request: IntentRequest): IntentId {
    this.#assertActive('submit');
    const what = `strategy ${this.strategyId}: intent request`;
    if (!isSide(request.side)) throw new StrategyContextError(`${what} has side ${String(request.side)}`);
    if (!isOrderType(request.orderType)) {
      throw new StrategyContextError(`${what} has order type ${String(request.orderType)}`);
    }
    const product = request.product ?? 'MIS';
    if (!isProduct(product)) throw new StrategyContextError(`${what} has product ${String(product)}`);
    const validity = request.validity ?? 'DAY';
    if (!isValidity(validity) || validity === 'TTL') {
      throw new StrategyContextError(`${what} has validity ${String(validity)}; use DAY or IOC`);
    }
    const now = this.#ports.clock.now();
    const intent = makeIntent({
      id: this.#ports.ids.next('intent'),
      accountId: this.accountId,
      strategyId: this.strategyId,
      runId: this.runId,
      instrumentId: request.instrumentId,
      side: request.side,
      qty: request.qty,
      orderType: request.orderType,
      product,
      validity,
      validityTtlMinutes: null,
      limitPricePaise: request.limitPricePaise ?? null,
      triggerPricePaise: request.triggerPricePaise ?? null,
      stopLossPaise: request.stopLossPaise,
      reason: request.reason,
      tsEvent: now,
      tsInit: now,
    });
    this.#slot.intents.add(intent.id);
    this.#ports.enqueue({ kind: 'submit', intent });
    return intent.id;
  }

  /** Validates the changes and queues a modification of the intent's working order. */
  modify(intentId: IntentId, changes: ModifyRequest): void {
    this.#assertActive('modify');
    this.#assertOwnIntent(intentId, 'modify');
    const what = `strategy ${this.strategyId}: modify of ${intentId}`;
    if (
      changes.qty === undefined &&
      changes.limitPricePaise === undefined &&
      changes.triggerPricePaise === undefined
    ) {
      throw new StrategyContextError(`${what} changes nothing`);
    }
    if (changes.qty !== undefined && !positiveInt(changes.qty)) {
      throw new StrategyContextError(`${what}: quantity ${changes.qty} must be a positive integer`);
    }
    if (changes.limitPricePaise !== undefined && !positiveInt(changes.limitPricePaise)) {
      throw new StrategyContextError(
        `${what}: limit price ${changes.limitPricePaise} must be positive paise`,
      );
    }
    if (changes.triggerPricePaise !== undefined && !positiveInt(changes.triggerPricePaise)) {
      throw new StrategyContextError(
        `${what}: trigger price ${changes.triggerPricePaise} must be positive paise`,
      );
    }
    this.#ports.enqueue({ kind: 'modify', intentId, changes });
  }

  /** Queues a cancellation of the intent's working order. */
  cancel(intentId: IntentId, reason: string): void {
    this.#assertActive('cancel');
    this.#assertOwnIntent(intentId, 'cancel');
    this.#ports.enqueue({ kind: 'cancel', intentId, reason });
  }

  /** Sets (or replaces) this strategy's timer `name` at `atMs`. */
  setTimer(name: string, atMs: number): void {
    this.#assertActive('setTimer');
    if (typeof name !== 'string' || name.length === 0) {
      throw new StrategyContextError(`strategy ${this.strategyId}: timer name must be a non-empty string`);
    }
    if (!Number.isSafeInteger(atMs)) {
      throw new StrategyContextError(
        `strategy ${this.strategyId}: timer ${name} time ${atMs} is not epoch ms`,
      );
    }
    this.#ports.setTimer(this.#owner, name, atMs);
  }

  /** Cancels this strategy's timer `name`. */
  cancelTimer(name: string): void {
    this.#assertActive('cancelTimer');
    this.#ports.cancelTimer(this.#owner, name);
  }

  #assertActive(op: string): void {
    if (!this.#slot.active) {
      throw new StrategyContextError(
        `strategy ${this.strategyId}: ctx.${op} called outside one of its handlers (state ${this.#slot.state})`,
      );
    }
  }

  #assertOwnIntent(intentId: IntentId, op: string): void {
    if (this.#slot.intents.has(intentId)) return;
    // After a restart the intents of earlier runs are known only through their open orders.
    const open = this.#ports.trading.openOrders(this.accountId, this.strategyId);
    if (open.some((o) => o.intentId === intentId)) return;
    throw new StrategyContextError(
      `strategy ${this.strategyId} cannot ${op} intent ${intentId}: it has no such intent`,
    );
  }
}
