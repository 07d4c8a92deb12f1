// Fakes and builders for the order manager's tests: a recording bus, execution client, store and timers, a risk
// engine whose decisions the test chooses, and Kite-like report builders.
import {
  aNiftyFuture,
  anInstrument,
  BUILDER_TS,
  makeIntent,
  NseCalendar,
  noopLogger,
  paise,
  parseAccountId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  SequentialIdGenerator,
  TestClock,
  type CancelOrder,
  type ExecutionClient,
  type ExecutionHandler,
  type FeeModel,
  type Instrument,
  type InstrumentId,
  type InstrumentTick,
  type ModifyOrder,
  type Order,
  type OrderEvent,
  type OrderEventSource,
  type OrderIntent,
  type Paise,
  type OrderUpdateReceived,
  type RiskDecision,
  makeTick,
} from '@kitepilot/core';
import type { Bus, KernelTopics, Topic } from '../kernel/topics.ts';
import { Portfolio } from '../portfolio/portfolio.ts';
import type { MonitorAction, RiskEngine, RiskSnapshot } from '../risk/risk-types.ts';
import { InMemoryOrderStore } from './in-memory-order-store.ts';
import { OrderManager } from './order-manager.ts';
import type { OrderManagerOptions } from './order-manager-options.ts';
import type { TradingTimers } from './trading-core.ts';

/** The account of every test. */
export const ACC = parseAccountId('acc_test');
/** The strategy of every test intent. */
export const STRATEGY = parseStrategyId('str_test');
/** RELIANCE.NSE, tick ₹0.10, lot 1. */
export const RELIANCE = anInstrument();
/** NIFTY26NOVFUT.NFO, lot 65, freeze 1 800. */
export const NIFTY = aNiftyFuture();

/** A bus that records every publication (and delivers to subscribers). */
export class RecordingBus implements Bus {
  readonly published: { readonly topic: Topic; readonly payload: unknown }[] = [];
  readonly #subs = new Map<Topic, ((p: never) => void)[]>();

  publish<T extends Topic>(topic: T, payload: KernelTopics[T]): void {
    this.published.push({ topic, payload });
    for (const h of this.#subs.get(topic) ?? []) (h as (p: KernelTopics[T]) => void)(payload);
  }

  subscribe<T extends Topic>(topic: T, handler: (payload: KernelTopics[T]) => void): () => void {
    const list = this.#subs.get(topic) ?? [];
    list.push(handler as (p: never) => void);
    this.#subs.set(topic, list);
    return () => undefined;
  }

  /** Returns the payloads of one topic, in order. */
  of<T extends Topic>(topic: T): KernelTopics[T][] {
    return this.published.filter((p) => p.topic === topic).map((p) => p.payload as KernelTopics[T]);
  }

  /** Returns the codes of the alerts published. */
  alertCodes(): string[] {
    return this.of('alert').map((a) => a.code);
  }

  /** Returns the `type` of every order event published. */
  orderEventTypes(): string[] {
    return this.of('order').map((u) => u.event.type);
  }
}

/** An execution client that records calls (into a shared log too). */
export class FakeExecution implements ExecutionClient {
  readonly submitted: Order[] = [];
  readonly modified: { readonly command: ModifyOrder; readonly order: Order }[] = [];
  readonly cancelled: { readonly command: CancelOrder; readonly order: Order }[] = [];
  handler: ExecutionHandler | null = null;
  readonly #log: string[];

  constructor(log: string[]) {
    this.#log = log;
  }

  setHandler(handler: ExecutionHandler): void {
    this.handler = handler;
  }

  submit(order: Order): Promise<void> {
    this.#log.push(`execution.submit ${order.clientOrderId}`);
    this.submitted.push(order);
    return Promise.resolve();
  }

  modify(command: ModifyOrder, order: Order): void {
    this.#log.push(`execution.modify ${order.clientOrderId}`);
    this.modified.push({ command, order });
  }

  cancel(command: CancelOrder, order: Order): void {
    this.#log.push(`execution.cancel ${order.clientOrderId}`);
    this.cancelled.push({ command, order });
  }
}

/** The in-memory store, logging the writes the ordering tests look at. */
export class RecordingStore extends InMemoryOrderStore {
  readonly #log: string[];

  constructor(log: string[]) {
    super();
    this.#log = log;
  }

  override insertIntent(intent: OrderIntent): ReturnType<InMemoryOrderStore['insertIntent']> {
    this.#log.push(`store.insertIntent ${intent.id}`);
    return super.insertIntent(intent);
  }

  override insertRiskDecision(decision: RiskDecision): Promise<void> {
    this.#log.push(`store.insertRiskDecision ${decision.intentId} ${decision.decision}`);
    return super.insertRiskDecision(decision);
  }

  override saveOrder(order: Order): Promise<void> {
    this.#log.push(`store.saveOrder ${order.clientOrderId} ${order.status}`);
    return super.saveOrder(order);
  }
}

/** Timers recorded by name. */
export class FakeTimers implements TradingTimers {
  readonly pending = new Map<string, number>();

  set(name: string, atMs: number): void {
    this.pending.set(name, atMs);
  }

  cancel(name: string): void {
    this.pending.delete(name);
  }
}

/** Returns an allow decision (with optional slices) for an intent. */
export function allow(
  intent: OrderIntent,
  snapshot: RiskSnapshot,
  slices: number[] | null = null,
): RiskDecision {
  return {
    accountId: intent.accountId,
    intentId: intent.id,
    strategyId: intent.strategyId,
    decision: 'allow',
    code: 'ok',
    reason: 'ok',
    slices,
    inputs: { qty: intent.qty },
    decidedAt: snapshot.nowMs,
  };
}

/** Returns a deny decision. */
export function deny(
  intent: OrderIntent,
  snapshot: RiskSnapshot,
  code: RiskDecision['code'],
  reason: string,
): RiskDecision {
  return { ...allow(intent, snapshot), decision: 'deny', code, reason };
}

/** A risk engine whose check and monitor the test sets; it records the snapshots it saw. */
export class FakeRisk implements RiskEngine {
  readonly snapshots: RiskSnapshot[] = [];
  checkWith: (intent: OrderIntent, snapshot: RiskSnapshot) => RiskDecision = (i, s) =>
    s.killSwitch && s.origin === 'strategy'
      ? deny(i, s, 'kill-switch', 'the kill switch is on')
      : allow(i, s);
  monitorWith: (snapshot: RiskSnapshot) => MonitorAction = () => ({ action: 'none' });
  monitorPnlWith: (pnlPaise: Paise) => MonitorAction = () => ({ action: 'none' });
  monitorCalls = 0;

  check(intent: OrderIntent, snapshot: RiskSnapshot): RiskDecision {
    this.snapshots.push(snapshot);
    return this.checkWith(intent, snapshot);
  }

  monitor(snapshot: RiskSnapshot): MonitorAction {
    this.monitorCalls += 1;
    return this.monitorWith(snapshot);
  }

  monitorPnl(pnlPaise: Paise): MonitorAction {
    this.monitorCalls += 1;
    return this.monitorPnlWith(pnlPaise);
  }
}

/** Everything a test of the order manager touches. */
export interface Harness {
  readonly om: OrderManager;
  readonly store: RecordingStore;
  readonly execution: FakeExecution;
  readonly bus: RecordingBus;
  readonly risk: FakeRisk;
  readonly timers: FakeTimers;
  readonly clock: TestClock;
  readonly portfolio: Portfolio;
  readonly log: string[];
}

const calendar = new NseCalendar();
const instruments = new Map<InstrumentId, Instrument>([
  [RELIANCE.id, RELIANCE],
  [NIFTY.id, NIFTY],
]);

/** Builds an order manager over fakes; `store` may be shared to simulate a restart. */
export function harness(
  options: {
    readonly store?: RecordingStore;
    readonly clock?: TestClock;
    readonly feeModel?: FeeModel;
    readonly overrides?: Partial<OrderManagerOptions>;
    readonly ids?: SequentialIdGenerator;
  } = {},
): Harness {
  const log: string[] = [];
  const clock = options.clock ?? new TestClock(BUILDER_TS);
  const store = options.store ?? new RecordingStore(log);
  const execution = new FakeExecution(log);
  const bus = new RecordingBus();
  const risk = new FakeRisk();
  const timers = new FakeTimers();
  const instrument = (id: InstrumentId): Instrument | null => instruments.get(id) ?? null;
  const portfolio = new Portfolio({
    accountId: ACC,
    clock,
    instrument,
    ...(options.feeModel === undefined ? {} : { feeModel: options.feeModel }),
  });
  const om = new OrderManager({
    accountId: ACC,
    runId: parseRunId('run_test'),
    clock,
    ids: options.ids ?? new SequentialIdGenerator(),
    bus,
    store,
    risk,
    execution,
    instrument,
    calendar,
    portfolio,
    timers,
    logger: noopLogger,
    ...options.overrides,
  });
  return { om, store, execution, bus, risk, timers, clock, portfolio, log };
}

let intentSeq = 0;

/** Returns a strategy intent (LIMIT BUY 10 RELIANCE @ ₹1,573.70 MIS) with a fresh id unless one is given. */
export function intent(overrides: Partial<OrderIntent> = {}): OrderIntent {
  intentSeq += 1;
  return makeIntent({
    id: parseIntentId(`int_T${intentSeq}`),
    accountId: ACC,
    strategyId: STRATEGY,
    runId: parseRunId('run_test'),
    instrumentId: RELIANCE.id,
    side: 'BUY',
    qty: 10,
    orderType: 'LIMIT',
    product: 'MIS',
    validity: 'DAY',
    validityTtlMinutes: null,
    limitPricePaise: paise(157_370),
    triggerPricePaise: null,
    stopLossPaise: paise(155_000),
    reason: 'test entry',
    tsEvent: BUILDER_TS,
    tsInit: BUILDER_TS,
    ...overrides,
  });
}

/** Returns an OrderUpdateReceived for `order` as an adapter would report it. */
export function report(
  order: Order,
  update: OrderEvent,
  options: { readonly source?: OrderEventSource; readonly byVenueOnly?: boolean } = {},
): OrderUpdateReceived {
  const venue = update.type === 'submit' || update.type === 'venue-status' ? update.venueOrderId : null;
  return {
    type: 'OrderUpdateReceived',
    accountId: order.accountId,
    clientOrderId: options.byVenueOnly === true ? null : order.clientOrderId,
    intentId: order.intentId,
    venueOrderId: venue ?? order.venueOrderId,
    update,
    ...(options.source === undefined ? {} : { source: options.source }),
    tsEvent: update.ts,
    tsInit: update.ts,
  };
}

/** Kite-like events for one venue order. */
export function kite(venueOrderId: string, ts = BUILDER_TS) {
  const vid = parseVenueOrderId(venueOrderId);
  return {
    submit: (): OrderEvent => ({ type: 'submit', id: `${venueOrderId}:submit`, ts, venueOrderId: vid }),
    status: (
      status: string,
      extra: { filledQty?: number; cancelledQty?: number; message?: string; id?: string } = {},
    ): OrderEvent => ({
      type: 'venue-status',
      id: extra.id ?? `${venueOrderId}:${status}:${extra.filledQty ?? 0}`,
      ts,
      status,
      venueOrderId: vid,
      filledQty: extra.filledQty ?? null,
      cancelledQty: extra.cancelledQty ?? null,
      message: extra.message ?? null,
      amendment: null,
    }),
    fill: (tradeId: string, qty: number, pricePaise: number, id = `trade:${tradeId}`): OrderEvent => ({
      type: 'fill',
      id,
      ts,
      venueTradeId: parseVenueTradeId(tradeId),
      qty,
      pricePaise: paise(pricePaise),
    }),
  };
}

/** Returns a tick of an instrument at a last price. */
export function tickOf(instrument: Instrument, lastPaise: number, ts = BUILDER_TS): InstrumentTick {
  return {
    instrumentId: instrument.id,
    tick: makeTick({
      token: instrument.token,
      tradable: true,
      mode: 'ltp',
      lastPricePaise: paise(lastPaise),
      tsInit: ts,
    }),
  };
}
