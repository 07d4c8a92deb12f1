// Test doubles for kernel tests: a small but stateful TradingCore (denies large intents, creates orders, fills them
// through an optional venue, keeps positions) that logs every call, and a recording logger.
import {
  makeFill,
  makeOrder,
  paise,
  type AccountId,
  type Clock,
  type ExecutionReport,
  type IdGenerator,
  type InstrumentId,
  type InstrumentTick,
  type IntentId,
  type IntentOrigin,
  type Logger,
  type Order,
  type OrderIntent,
  type Product,
  type StrategyId,
} from '@kitepilot/core';
import type { TradingCore } from '../orders/trading-core.ts';
import type { ModifyRequest, PositionView } from '../sdk/strategy.ts';
import type { OperatorCommand } from './kernel-input.ts';
import type { Bus, TradingControls } from './topics.ts';

/** Options of FakeTradingCore. */
export interface FakeTradingCoreOptions {
  readonly bus: Bus;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Intents above this quantity are denied (default 50). */
  readonly denyAbove?: number;
  /** Called with each order sent (the recording run wires a venue that later pushes an execution report). */
  readonly venue?: (order: Order) => void;
}

/** A TradingCore double that records every call as a line and behaves like a tiny order manager. */
export class FakeTradingCore implements TradingCore {
  readonly calls: string[] = [];
  readonly intents: OrderIntent[] = [];
  readonly #options: FakeTradingCoreOptions;
  readonly #orders = new Map<string, Order>();
  readonly #net = new Map<string, number>();
  /** When set, onTick returns this promise (to test awaiting) for the next tick only. */
  nextTickPromise: Promise<void> | null = null;
  /** When set, handleCommand throws it. */
  commandError: Error | null = null;

  /** Creates the double. */
  constructor(options: FakeTradingCoreOptions) {
    this.#options = options;
  }

  /** Records, denies above the limit (OrderDenied), else creates an order and hands it to the venue. */
  async submit(intent: OrderIntent, origin: IntentOrigin): Promise<void> {
    this.calls.push(`submit ${intent.id} ${origin} ${intent.side} ${intent.qty} @${intent.tsEvent}`);
    this.intents.push(intent);
    await Promise.resolve();
    const { bus, clock, ids } = this.#options;
    const now = clock.now();
    if (intent.qty > (this.#options.denyAbove ?? 50)) {
      bus.publish('order', {
        event: {
          type: 'OrderDenied',
          accountId: intent.accountId,
          intentId: intent.id,
          strategyId: intent.strategyId,
          reason: `quantity ${intent.qty} above ${this.#options.denyAbove ?? 50}`,
          tsEvent: now,
          tsInit: now,
        },
        order: null,
      });
      this.calls.push(`denied ${intent.id}`);
      return;
    }
    const order = makeOrder(intent, {
      clientOrderId: ids.next('clientOrder'),
      variety: 'regular',
      createdAt: now,
    });
    this.#orders.set(order.clientOrderId, order);
    bus.publish('order', { event: { type: 'OrderInitialized', order, tsEvent: now, tsInit: now }, order });
    this.calls.push(`sent ${order.clientOrderId} for ${intent.id}`);
    this.#options.venue?.(order);
  }

  /** Records the call. */
  async modify(_accountId: AccountId, intentId: IntentId, changes: ModifyRequest): Promise<void> {
    this.calls.push(`modify ${intentId} ${JSON.stringify(changes)}`);
    await Promise.resolve();
  }

  /** Records the call. */
  async cancel(_accountId: AccountId, intentId: IntentId, reason: string): Promise<void> {
    this.calls.push(`cancel ${intentId} ${reason}`);
    await Promise.resolve();
  }

  /** Applies fill reports: the order fills completely at the report's price and the position moves. */
  async onExecutionReport(report: ExecutionReport): Promise<void> {
    this.calls.push(`report ${report.type} @${this.#options.clock.now()}`);
    await Promise.resolve();
    if (report.type !== 'OrderUpdateReceived' || report.update.type !== 'fill') return;
    const order = report.clientOrderId === null ? undefined : this.#orders.get(report.clientOrderId);
    if (order === undefined) return;
    const { bus, clock, ids } = this.#options;
    const now = clock.now();
    const fill = makeFill({
      id: ids.next('fill'),
      clientOrderId: order.clientOrderId,
      venueTradeId: report.update.venueTradeId,
      accountId: order.accountId,
      instrumentId: order.instrumentId,
      product: order.product,
      side: order.side,
      qty: report.update.qty,
      pricePaise: report.update.pricePaise,
      tsEvent: report.tsEvent,
      tsInit: now,
    });
    const filled: Order = {
      ...order,
      status: 'FILLED',
      filledQty: order.qty,
      filledValuePaise: paise(fill.pricePaise * fill.qty),
      updatedAt: now,
    };
    this.#orders.set(order.clientOrderId, filled);
    const key = `${order.instrumentId}|${order.product}`;
    this.#net.set(key, (this.#net.get(key) ?? 0) + (order.side === 'BUY' ? fill.qty : -fill.qty));
    bus.publish('order', {
      event: {
        type: 'OrderFilled',
        accountId: order.accountId,
        clientOrderId: order.clientOrderId,
        fill,
        tsEvent: now,
        tsInit: now,
      },
      order: filled,
    });
    this.calls.push(`filled ${order.clientOrderId} ${fill.qty}@${fill.pricePaise}`);
  }

  /** Records the tick; returns nextTickPromise once when set. */
  onTick(tick: InstrumentTick): void | Promise<void> {
    this.calls.push(`tick ${tick.instrumentId} ${tick.tick.lastPricePaise}`);
    const pending = this.nextTickPromise;
    this.nextTickPromise = null;
    return pending ?? undefined;
  }

  /** Records the timer. */
  async onTimer(name: string): Promise<void> {
    this.calls.push(`timer ${name} @${this.#options.clock.now()}`);
    await Promise.resolve();
  }

  /** Records the command (or throws commandError). */
  async handleCommand(command: OperatorCommand): Promise<void> {
    this.calls.push(`command ${command.type}`);
    if (this.commandError !== null) throw this.commandError;
    await Promise.resolve();
  }

  /** Returns the net quantity from fills. */
  position(_accountId: AccountId, instrumentId: InstrumentId, product: Product): PositionView {
    const netQty = this.#net.get(`${instrumentId}|${product}`) ?? 0;
    return {
      instrumentId,
      product,
      netQty,
      averagePricePaise: null,
      realisedPnlPaise: paise(0),
      unrealisedPnlPaise: null,
      stopPaise: null,
      openedBy: null,
    };
  }

  /** Returns the strategy's non-filled orders. */
  openOrders(_accountId: AccountId, strategyId: StrategyId, instrumentId?: InstrumentId): readonly Order[] {
    return [...this.#orders.values()].filter(
      (o) =>
        o.strategyId === strategyId &&
        o.status !== 'FILLED' &&
        (instrumentId === undefined || o.instrumentId === instrumentId),
    );
  }

  /** Returns open controls. */
  controls(): TradingControls {
    return { killSwitch: false, halted: {}, ts: this.#options.clock.now() };
  }
}

/** A Logger that keeps error lines (to check that failures are logged, not to assert on wording). */
export class RecordingLogger implements Logger {
  readonly errors: object[] = [];

  /** Ignores debug lines. */
  debug(): void {}
  /** Ignores info lines. */
  info(): void {}
  /** Ignores warnings. */
  warn(): void {}
  /** Keeps the error's fields. */
  error(obj: object): void {
    this.errors.push(obj);
  }
  /** Returns this logger. */
  child(): Logger {
    return this;
  }
}
