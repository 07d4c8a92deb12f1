// Signal → OrderIntent → risk → Order → ExecutionClient, and back: reports → state machine → fills → positions
// (DESIGN.md §4). Every write is awaited before the step that depends on it: the intent before the decision, the
// order row (INITIALIZED) before the broker call, the raw broker message before it is applied (invariants 1–3).
import {
  addPaise,
  CalendarRangeError,
  InvariantError,
  isTerminalStatus,
  istDate,
  makeIntent,
  makeOrder,
  paise,
  type AccountId,
  type Bar,
  type ClientOrderId,
  type Clock,
  type ExecutionClient,
  type ExecutionReport,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  type InstrumentTick,
  type IntentId,
  type IntentOrigin,
  type Logger,
  type NseCalendar,
  type Order,
  type OrderEvent,
  type OrderIntent,
  type OrderLifecycleEvent,
  type Product,
  type RunId,
  type StrategyId,
} from '@kitepilot/core';
import type { OperatorCommand } from '../kernel/kernel-input.ts';
import type { AlertLevel, Bus, TradingControls } from '../kernel/topics.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { RiskEngine, RiskSnapshot } from '../risk/risk-types.ts';
import type { ModifyRequest, PositionView } from '../sdk/strategy.ts';
import { ControlsState } from './controls-state.ts';
import { DEFAULT_STORED_CONTROLS } from './in-memory-order-store.ts';
import { MissedUpdateDetector } from './missed-update-detector.ts';
import { OrderBook } from './order-book.ts';
import { OrderEventApplier, type ApplyOutcome } from './order-event-applier.ts';
import {
  countApplied,
  DEFAULT_SQUARE_OFF,
  MAX_MODIFICATIONS_PER_ORDER,
  SYSTEM_RUN_ID,
  type BandLookup,
  type OrderManagerOptions,
} from './order-manager-options.ts';
import type { OrderStore } from './order-store.ts';
import { handleOperatorCommand, type CommandOperations } from './operator-commands.ts';
import { recoverTradingState } from './recover-trading-state.ts';
import { buildRiskSnapshot } from './risk-snapshot.ts';
import { SquareOff } from './square-off.ts';
import { TradingStatsCounter, type TradingStats } from './trading-stats.ts';
import type { TradingCore } from './trading-core.ts';

/** The TradingCore of one account: order manager, portfolio updates, post-trade monitor and controls. */
export class OrderManager implements TradingCore {
  readonly #accountId: AccountId;
  readonly #runId: RunId;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #bus: Bus;
  readonly #store: OrderStore;
  readonly #risk: RiskEngine;
  readonly #execution: ExecutionClient;
  readonly #instrument: (id: InstrumentId) => Instrument | null;
  readonly #calendar: NseCalendar;
  readonly #portfolio: Portfolio;
  readonly #log: Logger;
  readonly #band: BandLookup;
  readonly #manualAck: boolean;
  readonly #markOnBars: boolean;
  readonly #book = new OrderBook();
  readonly #stats = new TradingStatsCounter();
  readonly #squareOff: SquareOff;
  readonly #applier: OrderEventApplier;
  readonly #commands: CommandOperations;
  #controls = new ControlsState(DEFAULT_STORED_CONTROLS);
  #sendTimes: number[] = [];
  #ordersToday = 0;
  #day: string;
  #held: ClientOrderId[] = [];
  #awaitingReconciliation: readonly ClientOrderId[] = [];
  #lossCapDay: string | null = null;
  /** Cancellations asked for while an order had no broker reply yet, by client order id. */
  readonly #cancelOnAck = new Map<ClientOrderId, string>();

  /** Creates the order manager of one account; call recover() before the kernel starts. */
  constructor(options: OrderManagerOptions) {
    this.#accountId = options.accountId;
    this.#runId = options.runId ?? SYSTEM_RUN_ID;
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.#bus = options.bus;
    this.#store = options.store;
    this.#risk = options.risk;
    this.#execution = options.execution;
    this.#instrument = options.instrument;
    this.#calendar = options.calendar;
    this.#portfolio = options.portfolio;
    this.#log = options.logger.child({ component: 'order-manager', accountId: options.accountId });
    this.#band = options.band ?? (() => null);
    this.#manualAck = options.manualAck ?? false;
    this.#markOnBars = options.markOnBars ?? false;
    this.#day = istDate(options.clock.now());
    const offsetTicks = options.squareOff?.limitOffsetTicks ?? DEFAULT_SQUARE_OFF.limitOffsetTicks;
    const timeoutMs = options.squareOff?.timeoutMs ?? DEFAULT_SQUARE_OFF.timeoutMs;
    if (!Number.isSafeInteger(offsetTicks) || offsetTicks < 0) {
      throw new RangeError(`squareOff.limitOffsetTicks ${offsetTicks} must be an integer ≥ 0`);
    }
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(`squareOff.timeoutMs ${timeoutMs} must be a positive integer`);
    }
    const alert = this.#alert.bind(this);
    this.#squareOff = new SquareOff({
      accountId: this.#accountId,
      runId: this.#runId,
      clock: this.#clock,
      ids: this.#ids,
      portfolio: this.#portfolio,
      instrument: this.#instrument,
      band: this.#band,
      timers: options.timers,
      logger: this.#log,
      limitOffsetTicks: offsetTicks,
      timeoutMs,
      working: () => this.#book.working(),
      submit: (intent) => this.submit(intent, 'system'),
      cancel: (order, reason) => this.#cancelOrder(order, reason),
      alert: (level, code, message) => alert(level, code, message),
    });
    this.#applier = new OrderEventApplier({
      accountId: this.#accountId,
      clock: this.#clock,
      ids: this.#ids,
      store: this.#store,
      book: this.#book,
      portfolio: this.#portfolio,
      bus: this.#bus,
      stats: this.#stats,
      missed: new MissedUpdateDetector(),
      alert,
      onTerminal: async (order) => {
        this.#held = this.#held.filter((id) => id !== order.clientOrderId);
        await this.#squareOff.onTerminal(order);
      },
      afterFill: () => (this.#portfolio.hasOpenPositions() ? this.#monitor() : undefined),
    });
    this.#commands = {
      accountId: this.#accountId,
      today: () => this.#today(),
      controls: () => this.#controls,
      saveControls: (next) => this.#saveControls(next),
      cancelWhere: (predicate, reason) => this.#cancelWhere(predicate, reason),
      flatten: (instrumentId, product, reason) => this.#squareOff.flatten(instrumentId, product, reason),
      sendHeld: () => this.#sendHeld(),
      rearmMonitor: () => {
        this.#lossCapDay = null;
      },
      alert: (level, code, message) => alert(level, code, message),
      logger: this.#log,
    };
  }

  // ---------------------------------------------------------------- intents → risk → orders

  /** Persists the intent, risk-checks it (decision persisted) and, if allowed, creates, persists and sends its order. */
  async submit(intent: OrderIntent, origin: IntentOrigin): Promise<void> {
    if (intent.accountId !== this.#accountId) {
      throw new InvariantError(
        `intent ${intent.id} of account ${intent.accountId} sent to ${this.#accountId}`,
      );
    }
    const { created } = await this.#store.insertIntent(intent);
    if (!created) {
      this.#stats.inc('duplicateIntents');
      this.#log.info({ intentId: intent.id }, 'intent already stored: nothing sent again');
      return;
    }
    this.#book.addIntent(intent);
    this.#stats.inc('intents');
    this.#bus.publish('intent', intent);
    await this.#decide(intent, origin, true);
  }

  async #decide(intent: OrderIntent, origin: IntentOrigin, maySlice: boolean): Promise<void> {
    const decision = this.#risk.check(intent, this.#snapshot(origin, intent.instrumentId, intent.product));
    await this.#store.insertRiskDecision(decision);
    this.#bus.publish('risk-decision', decision);
    const now = this.#clock.now();
    if (decision.decision === 'deny') {
      this.#stats.deny(decision.code);
      const { accountId, id: intentId, strategyId } = intent;
      const reason = decision.reason;
      this.#publishOrder({
        type: 'OrderDenied',
        accountId,
        intentId,
        strategyId,
        reason,
        tsEvent: now,
        tsInit: now,
      });
      this.#squareOff.onDenied(intent.id, reason);
      return;
    }
    this.#stats.inc('allowed');
    const slices = decision.slices;
    if (slices === null || slices.length <= 1) return this.#createAndSend(intent, origin);
    if (!maySlice)
      throw new InvariantError(`slice intent ${intent.id} was sliced again into ${slices.join('+')}`);
    for (const [i, qty] of slices.entries()) {
      const child = makeIntent({
        ...intent,
        id: this.#ids.next('intent'),
        qty,
        reason: `slice ${i + 1}/${slices.length} of ${intent.id}: ${intent.reason}`,
        tsInit: now,
      });
      await this.#store.insertIntent(child);
      this.#book.addIntent(child);
      this.#book.addChild(intent.id, child.id);
      if (this.#squareOff.isClosing(intent.id)) this.#squareOff.markClosing(child.id);
      this.#stats.inc('intents');
      this.#bus.publish('intent', child);
      await this.#decide(child, origin, false);
    }
  }

  async #createAndSend(intent: OrderIntent, origin: IntentOrigin): Promise<void> {
    const now = this.#clock.now();
    const clientOrderId = this.#ids.next('clientOrder');
    const order = makeOrder(intent, { clientOrderId, variety: 'regular', createdAt: now });
    await this.#store.saveOrder(order);
    this.#book.put(order);
    this.#publishOrder({ type: 'OrderInitialized', order, tsEvent: now, tsInit: now }, order);
    // Manual acknowledgement holds strategy orders only: closing orders of the system never wait.
    if (this.#manualAck && origin === 'strategy' && !this.#controls.acknowledged(this.#today())) {
      this.#held.push(order.clientOrderId);
      const what = `${order.side} ${order.qty} ${order.instrumentId}`;
      const message = `order ${order.clientOrderId} (${what}) is held until live trading is acknowledged for ${this.#day}`;
      this.#alert('warning', 'awaiting-acknowledgement', message, order.strategyId);
      return;
    }
    await this.#send(order);
  }

  async #send(order: Order): Promise<void> {
    this.#rollDay();
    this.#sendTimes.push(this.#clock.now());
    this.#ordersToday += 1;
    this.#stats.inc('ordersSent');
    this.#squareOff.onSent(order);
    await this.#execution.submit(order);
  }

  // ---------------------------------------------------------------- modify / cancel

  /** Modifies the working order of an intent; refused with an alert past 25 modifications or when not working. */
  async modify(accountId: AccountId, intentId: IntentId, changes: ModifyRequest): Promise<void> {
    const order = this.#requestTarget(accountId, intentId, 'modify');
    if (order === null) return;
    const count = countApplied(order, 'modify-request');
    const refuse = (why: string): void =>
      this.#refuse('modify-refused', `modify of ${intentId} refused: ${why}`, order);
    if (order.status === 'INITIALIZED') return refuse(`order ${order.clientOrderId} was not sent yet`);
    if (count >= MAX_MODIFICATIONS_PER_ORDER) {
      return refuse(
        `order ${order.clientOrderId} reached ${count} modifications (Kite allows ${MAX_MODIFICATIONS_PER_ORDER}); cancel it and place a new order`,
      );
    }
    const { qty, limitPricePaise, triggerPricePaise } = changes;
    if (qty === undefined && limitPricePaise === undefined && triggerPricePaise === undefined) {
      return refuse('no change requested');
    }
    const now = this.#clock.now();
    const id = `${order.clientOrderId}:modify-request:${count + 1}`;
    const after = await this.#applyRequest(order, { type: 'modify-request', id, ts: now }, 'modify-refused');
    if (after === null) return;
    await this.#execution.modify(
      {
        type: 'ModifyOrder',
        accountId,
        clientOrderId: order.clientOrderId,
        qty: qty ?? null,
        limitPricePaise: limitPricePaise ?? null,
        triggerPricePaise: triggerPricePaise ?? null,
        tsEvent: now,
        tsInit: now,
      },
      after,
    );
  }

  /** Cancels the working order of an intent (each working slice of a sliced intent). */
  async cancel(accountId: AccountId, intentId: IntentId, reason: string): Promise<void> {
    const children = this.#book.children(intentId);
    if (children.length === 0) {
      const order = this.#requestTarget(accountId, intentId, 'cancel');
      if (order !== null) await this.#cancelOrder(order, reason);
      return;
    }
    for (const child of children) {
      const order = this.#book.liveOf(child);
      if (order !== null) await this.#cancelOrder(order, reason);
    }
  }

  #requestTarget(accountId: AccountId, intentId: IntentId, what: 'modify' | 'cancel'): Order | null {
    const code = `${what}-refused`;
    if (accountId !== this.#accountId) {
      this.#refuse(
        code,
        `${what} of ${intentId} refused: account ${accountId} is not ${this.#accountId}`,
        null,
      );
      return null;
    }
    const children = this.#book.children(intentId);
    if (children.length > 0) {
      this.#refuse(
        code,
        `${what} of ${intentId} refused: it was sliced into ${children.length} orders`,
        null,
      );
      return null;
    }
    const order = this.#book.liveOf(intentId);
    if (order === null) this.#refuse(code, `${what} of ${intentId} refused: it has no working order`, null);
    return order;
  }

  async #cancelOrder(order: Order, reason: string): Promise<void> {
    const now = this.#clock.now();
    if (order.status === 'PENDING_CANCEL') return;
    if (order.status === 'INITIALIZED') {
      const held = this.#held.indexOf(order.clientOrderId);
      if (held < 0) {
        // Sent without a broker reply yet: the cancellation goes out once the broker has acknowledged the order.
        this.#cancelOnAck.set(order.clientOrderId, reason);
        const message = `order ${order.clientOrderId} has no broker reply yet: it is cancelled once acknowledged`;
        this.#log.info({ clientOrderId: order.clientOrderId }, message);
        return;
      }
      this.#held.splice(held, 1);
      const event: OrderEvent = {
        type: 'submit-failed',
        id: `${order.clientOrderId}:not-sent`,
        ts: now,
        reason: `not sent: ${reason}`,
      };
      await this.#applyRequest(order, event, 'cancel-refused');
      return;
    }
    const id = `${order.clientOrderId}:cancel-request:${countApplied(order, 'cancel-request') + 1}`;
    const after = await this.#applyRequest(order, { type: 'cancel-request', id, ts: now }, 'cancel-refused');
    if (after === null) return;
    const { accountId, clientOrderId } = order;
    await this.#execution.cancel(
      { type: 'CancelOrder', accountId, clientOrderId, reason, tsEvent: now, tsInit: now },
      after,
    );
  }

  async #cancelAcknowledged(): Promise<void> {
    for (const [id, reason] of this.#cancelOnAck) {
      const order = this.#book.get(id);
      if (order !== null && order.status === 'INITIALIZED') continue;
      this.#cancelOnAck.delete(id);
      if (order !== null && !isTerminalStatus(order.status)) await this.#cancelOrder(order, reason);
    }
  }

  /** Applies one of our own requests; returns the order after it, or null when the state machine refused it. */
  async #applyRequest(order: Order, event: OrderEvent, refusedCode: string): Promise<Order | null> {
    const outcome: ApplyOutcome = await this.#applier.apply(order, event, event.ts, 'rest', refusedCode);
    return outcome === 'applied' ? this.#book.get(order.clientOrderId) : null;
  }

  async #cancelWhere(predicate: (o: Order) => boolean, reason: string): Promise<void> {
    for (const o of this.#book.working()) if (predicate(o)) await this.#cancelOrder(o, reason);
  }

  // ---------------------------------------------------------------- reports, ticks, timers

  /** Applies a report from the execution client: raw message stored first, then the state machine, fills, positions. */
  async onExecutionReport(report: ExecutionReport): Promise<void> {
    switch (report.type) {
      case 'OrderUpdateReceived':
        await this.#applier.onOrderUpdate(report);
        return this.#cancelAcknowledged();
      case 'BrokerDisconnected':
        return this.#alert(
          'warning',
          'broker-disconnected',
          `broker ${report.link} link down: ${report.reason}`,
        );
      case 'BrokerConnected':
        return this.#alert('info', 'broker-connected', `broker ${report.link} link up`);
      case 'SessionExpired':
        return this.#alert(
          'critical',
          'session-expired',
          `broker session of ${report.accountId} expired: log in again`,
        );
    }
  }

  /** Marks the instrument; runs the post-trade monitor only when the account holds it (no promise otherwise). */
  onTick(tick: InstrumentTick): void | Promise<void> {
    this.#portfolio.mark(tick.instrumentId, tick.tick.lastPricePaise);
    if (!this.#portfolio.hasOpenPosition(tick.instrumentId)) return undefined;
    return this.#monitor();
  }

  /** With `markOnBars`: marks the bar's instrument at its close and runs the monitor (see TradingCore.onBar). */
  onBar(bar: Bar): void | Promise<void> {
    if (!this.#markOnBars) return undefined;
    this.#portfolio.mark(bar.instrumentId, bar.closePaise);
    if (!this.#portfolio.hasOpenPosition(bar.instrumentId)) return undefined;
    return this.#monitor();
  }

  /** Handles a timer set through TradingTimers (a square-off LIMIT still working at its timeout). */
  async onTimer(name: string): Promise<void> {
    if (!(await this.#squareOff.onTimer(name))) this.#log.warn({ timer: name }, 'unknown trading timer');
  }

  #monitor(): Promise<void> | undefined {
    const day = this.#today();
    if (this.#lossCapDay === day) return undefined;
    // Per tick: the day's P&L from the portfolio's running figures, no snapshot (the risk engine decides).
    const pnl = addPaise(this.#portfolio.realisedNetTodayPaise(), this.#portfolio.totalUnrealisedPnlPaise());
    const action = this.#risk.monitorPnl(pnl);
    if (action.action === 'none') return undefined;
    this.#lossCapDay = day;
    return this.#flattenAndHalt(action.reason, action.pnlPaise);
  }

  async #flattenAndHalt(reason: string, pnlPaise: number): Promise<void> {
    const day = this.#today();
    const message = `${reason} (P&L ${pnlPaise} paise): cancelling orders, flattening and halting entries for ${day}`;
    this.#alert('critical', 'loss-cap-hit', message);
    await this.#saveControls(this.#controls.withHalt(this.#accountId, `loss cap: ${reason}`, day));
    await this.#cancelWhere((o) => !this.#squareOff.isClosing(o.intentId), `loss cap: ${reason}`);
    await this.#squareOff.flatten(null, null, `loss cap: ${reason}`);
  }

  // ---------------------------------------------------------------- operator commands

  /** Kill switch, flatten, cancel all, halt, resume, acknowledge live. */
  handleCommand(command: OperatorCommand): Promise<void> {
    return handleOperatorCommand(this.#commands, command);
  }

  async #sendHeld(): Promise<void> {
    const held = this.#held;
    this.#held = [];
    for (const id of held) {
      const order = this.#book.get(id);
      if (order !== null && order.status === 'INITIALIZED') await this.#send(order);
    }
  }

  // ---------------------------------------------------------------- recovery and reads

  /**
   * Rebuilds the state after a restart (call before the kernel starts): controls, open orders, positions, stops,
   * today's fills and charges. Intents without an order were never sent (the order row is saved before any broker
   * call): each is reported (`intent-abandoned`) and never resent. INITIALIZED and SUBMITTED orders are left for
   * reconciliation with the broker (ordersAwaitingReconciliation).
   */
  async recover(): Promise<void> {
    const r = await recoverTradingState({
      accountId: this.#accountId,
      nowMs: this.#clock.now(),
      store: this.#store,
      book: this.#book,
      portfolio: this.#portfolio,
      squareOff: this.#squareOff,
    });
    this.#controls = new ControlsState(r.controls);
    this.#day = r.day;
    this.#ordersToday = r.ordersToday;
    this.#awaitingReconciliation = r.awaitingReconciliation;
    for (const key of r.estimated) {
      this.#alert(
        'warning',
        'recovery-estimate',
        `realised P&L today of ${key} is estimated: position carried from an earlier day`,
      );
    }
    for (const i of r.abandoned) {
      const message = `intent ${i.id} (${i.side} ${i.qty} ${i.instrumentId}) was stored but never sent before the restart; it is not resent`;
      this.#alert('warning', 'intent-abandoned', message, i.strategyId);
    }
    const { openOrders, fillsToday } = r;
    const awaiting = r.awaitingReconciliation.length;
    this.#log.info(
      { openOrders, fillsToday, awaiting, abandoned: r.abandoned.length },
      'order manager recovered',
    );
  }

  /** Returns the recovered orders still in INITIALIZED or SUBMITTED: the broker must confirm or deny them. */
  ordersAwaitingReconciliation(): readonly Order[] {
    return this.#awaitingReconciliation.flatMap((id) => {
      const o = this.#book.get(id);
      return o !== null && (o.status === 'INITIALIZED' || o.status === 'SUBMITTED') ? [o] : [];
    });
  }

  /** Returns the account's position (flat view when none). */
  position(accountId: AccountId, instrumentId: InstrumentId, product: Product): PositionView {
    if (accountId === this.#accountId) return this.#portfolio.view(instrumentId, product);
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

  /** Returns the strategy's non-terminal orders, oldest first. */
  openOrders(accountId: AccountId, strategyId: StrategyId, instrumentId?: InstrumentId): readonly Order[] {
    if (accountId !== this.#accountId) return [];
    return this.#book
      .working()
      .filter(
        (o) => o.strategyId === strategyId && (instrumentId === undefined || o.instrumentId === instrumentId),
      );
  }

  /** Returns the kill switch and today's halts. */
  controls(): TradingControls {
    return this.#controls.view(this.#today(), this.#clock.now());
  }

  /** Returns the counters since start. */
  stats(): TradingStats {
    return this.#stats.snapshot();
  }

  /** Returns the strategy orders held until AcknowledgeLive. */
  heldOrders(): readonly Order[] {
    return this.#held.flatMap((id) => this.#book.get(id) ?? []);
  }

  // ---------------------------------------------------------------- helpers

  #snapshot(
    origin: IntentOrigin,
    instrumentId: InstrumentId | null,
    product: Product | null = null,
  ): RiskSnapshot {
    const now = this.#clock.now();
    this.#rollDay();
    this.#sendTimes = this.#sendTimes.filter((t) => t > now - 1000);
    return buildRiskSnapshot({
      nowMs: now,
      origin,
      killSwitch: this.#controls.killSwitch,
      haltedReason: this.#controls.haltedReason(this.#accountId, this.#day),
      tradingDay: this.#isTradingDay(this.#day),
      positionClosing:
        instrumentId !== null && product !== null && this.#squareOff.isClosingPosition(instrumentId, product),
      instrumentId,
      instrument: this.#instrument,
      band: this.#band,
      portfolio: this.#portfolio,
      workingOrders: this.#book.working(),
      intent: (o) => this.#book.intent(o.intentId),
      recentOrderTimesMs: this.#sendTimes,
      ordersToday: this.#ordersToday,
    });
  }

  #isTradingDay(day: string): boolean {
    try {
      return this.#calendar.isTradingDay(day);
    } catch (error) {
      if (!(error instanceof CalendarRangeError)) throw error;
      this.#log.warn({ day, error: error.message }, 'the calendar does not cover the day: not a trading day');
      return false;
    }
  }

  #today(): string {
    this.#rollDay();
    return this.#day;
  }

  #rollDay(): void {
    const day = istDate(this.#clock.now());
    if (day === this.#day) return;
    this.#day = day;
    this.#ordersToday = 0;
    this.#book.dropTerminal();
  }

  async #saveControls(next: ControlsState): Promise<void> {
    await this.#store.saveControls(next.stored);
    this.#controls = next;
    this.#bus.publish('controls', this.controls());
  }

  #publishOrder(event: OrderLifecycleEvent, order: Order | null = null): void {
    this.#bus.publish('order', { event, order });
  }

  #refuse(code: string, message: string, order: Order | null): void {
    this.#stats.inc('refusedRequests');
    this.#alert('warning', code, message, order?.strategyId ?? null);
  }

  #alert(level: AlertLevel, code: string, message: string, strategyId: StrategyId | null = null): void {
    const bindings = { alert: code, strategyId };
    if (level === 'info') this.#log.info(bindings, message);
    else if (level === 'warning') this.#log.warn(bindings, message);
    else this.#log.error(bindings, message);
    this.#bus.publish('alert', { level, code, message, strategyId, ts: this.#clock.now() });
  }
}
