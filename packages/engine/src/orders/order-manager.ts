// Signal → OrderIntent → risk → Order → ExecutionClient, and back: reports → state machine → fills → positions
// (DESIGN.md §4). Every write is awaited before the step that depends on it: the intent before the decision, the
// order row (INITIALIZED) before the broker call, the raw broker message before it is applied (invariants 1–3).
import {
  CalendarRangeError,
  IllegalTransitionError,
  InvariantError,
  isTerminalStatus,
  istDate,
  istToEpochMs,
  makeIntent,
  makeOrder,
  parseRunId,
  parseStrategyId,
  UnknownVenueStatusError,
  applyOrderEvent,
  orderOutcomes,
  type AccountId,
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
  type OrderEventSource,
  type OrderIntent,
  type OrderLifecycleEvent,
  type OrderType,
  type OrderUpdateReceived,
  type Paise,
  type Product,
  type RunId,
  type Side,
  type StrategyId,
} from '@kitepilot/core';
import type { OperatorCommand } from '../kernel/kernel-input.ts';
import type { AlertLevel, Bus, TradingControls } from '../kernel/topics.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { RiskEngine, RiskSnapshot } from '../risk/risk-types.ts';
import type { ModifyRequest, PositionView } from '../sdk/strategy.ts';
import { ControlsState } from './controls-state.ts';
import { DEFAULT_STORED_CONTROLS } from './in-memory-order-store.ts';
import { marketableLimitPricePaise } from './marketable-price.ts';
import { OrderBook } from './order-book.ts';
import { orderEventJson } from './order-event-json.ts';
import type { OrderStore } from './order-store.ts';
import { buildRiskSnapshot } from './risk-snapshot.ts';
import { TradingStatsCounter, type TradingStats } from './trading-stats.ts';
import type { TradingCore, TradingTimers } from './trading-core.ts';

/** The strategy id of orders the system places itself (flatten, square-off, loss-cap exit). */
export const SYSTEM_STRATEGY_ID: StrategyId = parseStrategyId('str_system');
/** The run id of system orders when the options give none. */
export const SYSTEM_RUN_ID: RunId = parseRunId('run_system');
/** Kite accepts at most 25 modifications per order (kite-connect.md §2.4, forum staff). */
export const MAX_MODIFICATIONS_PER_ORDER = 25;
/** Square-off defaults: a LIMIT 2 ticks through the last price, replaced by MARKET after 10 s. */
export const DEFAULT_SQUARE_OFF = { limitOffsetTicks: 2, timeoutMs: 10_000 } as const;

const DAY_MS = 86_400_000;
const FLATTEN_TIMER = 'flatten:';
const SLICE_OF = /^slice \d+\/\d+ of (int_[0-9A-Za-z]+): /;

/** How an OrderManager is built. */
export interface OrderManagerOptions {
  readonly accountId: AccountId;
  /** The run system orders belong to (default SYSTEM_RUN_ID). */
  readonly runId?: RunId;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly bus: Bus;
  readonly store: OrderStore;
  readonly risk: RiskEngine;
  readonly execution: ExecutionClient;
  readonly instrument: (id: InstrumentId) => Instrument | null;
  readonly calendar: NseCalendar;
  readonly portfolio: Portfolio;
  readonly timers: TradingTimers;
  readonly logger: Logger;
  /** The day's circuit band of an instrument, or null when unknown. */
  readonly band?: (id: InstrumentId) => { readonly lowerPaise: Paise; readonly upperPaise: Paise } | null;
  /** Square-off: LIMIT `limitOffsetTicks` through the last price, then MARKET for the rest after `timeoutMs`. */
  readonly squareOff?: { readonly limitOffsetTicks?: number; readonly timeoutMs?: number };
  /** Hold strategy orders of each IST day until the owner sends AcknowledgeLive. */
  readonly manualAck?: boolean;
}

type ApplyOutcome = 'applied' | 'duplicate' | 'rejected';

function isPushSource(source: OrderEventSource): boolean {
  return source === 'postback' || source === 'websocket';
}

function eventVenueOrderId(event: OrderEvent): Order['venueOrderId'] {
  return event.type === 'submit' || event.type === 'venue-status' ? event.venueOrderId : null;
}

function countApplied(order: Order, kind: 'modify-request' | 'cancel-request'): number {
  const marker = `:${kind}:`;
  return order.appliedEventIds.filter((id) => id.includes(marker)).length;
}

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
  readonly #timers: TradingTimers;
  readonly #log: Logger;
  readonly #band: (id: InstrumentId) => { readonly lowerPaise: Paise; readonly upperPaise: Paise } | null;
  readonly #offsetTicks: number;
  readonly #timeoutMs: number;
  readonly #manualAck: boolean;

  readonly #book = new OrderBook();
  readonly #stats = new TradingStatsCounter();
  #controls = new ControlsState(DEFAULT_STORED_CONTROLS);
  #sendTimes: number[] = [];
  #ordersToday = 0;
  #day: string;
  #held: ClientOrderId[] = [];
  /** Intents that close positions for the system (flatten, square-off, loss cap), slices included. */
  readonly #flattenIntents = new Set<IntentId>();
  /** Flatten orders cancelled at the timeout: a MARKET order replaces each once it is terminal. */
  readonly #escalated = new Set<ClientOrderId>();
  /** Highest filled quantity a push update (postback, WebSocket) reported per order. */
  readonly #pushFilled = new Map<ClientOrderId, number>();
  #awaitingReconciliation: ClientOrderId[] = [];
  #lossCapDay: string | null = null;

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
    this.#timers = options.timers;
    this.#log = options.logger.child({ component: 'order-manager', accountId: options.accountId });
    this.#band = options.band ?? (() => null);
    this.#offsetTicks = options.squareOff?.limitOffsetTicks ?? DEFAULT_SQUARE_OFF.limitOffsetTicks;
    this.#timeoutMs = options.squareOff?.timeoutMs ?? DEFAULT_SQUARE_OFF.timeoutMs;
    this.#manualAck = options.manualAck ?? false;
    this.#day = istDate(options.clock.now());
    if (!Number.isSafeInteger(this.#offsetTicks) || this.#offsetTicks < 0) {
      throw new RangeError(`squareOff.limitOffsetTicks ${this.#offsetTicks} must be an integer ≥ 0`);
    }
    if (!Number.isSafeInteger(this.#timeoutMs) || this.#timeoutMs <= 0) {
      throw new RangeError(`squareOff.timeoutMs ${this.#timeoutMs} must be a positive integer`);
    }
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
    const decision = this.#risk.check(intent, this.#snapshot(origin, intent.instrumentId));
    await this.#store.insertRiskDecision(decision);
    this.#bus.publish('risk-decision', decision);
    const now = this.#clock.now();
    if (decision.decision === 'deny') {
      this.#stats.deny(decision.code);
      this.#publishOrder(
        {
          type: 'OrderDenied',
          accountId: intent.accountId,
          intentId: intent.id,
          strategyId: intent.strategyId,
          reason: decision.reason,
          tsEvent: now,
          tsInit: now,
        },
        null,
      );
      if (this.#flattenIntents.has(intent.id)) {
        this.#alert('critical', 'flatten-denied', `closing intent ${intent.id} denied: ${decision.reason}`);
      }
      return;
    }
    this.#stats.inc('allowed');
    const slices = decision.slices;
    if (slices === null || slices.length <= 1) {
      await this.#createAndSend(intent, origin);
      return;
    }
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
      if (this.#flattenIntents.has(intent.id)) this.#flattenIntents.add(child.id);
      this.#stats.inc('intents');
      this.#bus.publish('intent', child);
      await this.#decide(child, origin, false);
    }
  }

  async #createAndSend(intent: OrderIntent, origin: IntentOrigin): Promise<void> {
    const now = this.#clock.now();
    const order = makeOrder(intent, {
      clientOrderId: this.#ids.next('clientOrder'),
      variety: 'regular',
      createdAt: now,
    });
    await this.#store.saveOrder(order);
    this.#book.put(order);
    this.#publishOrder({ type: 'OrderInitialized', order, tsEvent: now, tsInit: now }, order);
    if (this.#manualAck && origin === 'strategy' && !this.#controls.acknowledged(this.#today())) {
      this.#held.push(order.clientOrderId);
      this.#alert(
        'warning',
        'awaiting-acknowledgement',
        `order ${order.clientOrderId} (${order.side} ${order.qty} ${order.instrumentId}) is held until the owner acknowledges live trading for ${this.#today()}`,
        order.strategyId,
      );
      return;
    }
    await this.#send(order);
  }

  async #send(order: Order): Promise<void> {
    const now = this.#clock.now();
    this.#rollDay();
    this.#sendTimes.push(now);
    this.#ordersToday += 1;
    this.#stats.inc('ordersSent');
    if (this.#flattenIntents.has(order.intentId) && order.orderType !== 'MARKET') {
      this.#timers.set(FLATTEN_TIMER + order.clientOrderId, now + this.#timeoutMs);
    }
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
        `order ${order.clientOrderId} reached ${count} modifications (Kite allows ${MAX_MODIFICATIONS_PER_ORDER}); cancel and place a new order`,
      );
    }
    if (
      changes.qty === undefined &&
      changes.limitPricePaise === undefined &&
      changes.triggerPricePaise === undefined
    ) {
      return refuse('no change requested');
    }
    const now = this.#clock.now();
    const event: OrderEvent = {
      type: 'modify-request',
      id: `${order.clientOrderId}:modify-request:${count + 1}`,
      ts: now,
    };
    if ((await this.#apply(order, event, now, 'rest', 'modify-refused')) !== 'applied') return;
    const after = this.#book.get(order.clientOrderId) ?? order;
    await this.#execution.modify(
      {
        type: 'ModifyOrder',
        accountId,
        clientOrderId: order.clientOrderId,
        qty: changes.qty ?? null,
        limitPricePaise: changes.limitPricePaise ?? null,
        triggerPricePaise: changes.triggerPricePaise ?? null,
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
        // Handed to the broker without a reply yet (or before a restart): only its reply or reconciliation settles it.
        this.#refuse(
          'cancel-refused',
          `order ${order.clientOrderId} was sent and has no broker reply yet; cancel it once it is acknowledged`,
          order,
        );
        return;
      }
      this.#held.splice(held, 1);
      const event: OrderEvent = {
        type: 'submit-failed',
        id: `${order.clientOrderId}:not-sent`,
        ts: now,
        reason: `not sent: ${reason}`,
      };
      await this.#apply(order, event, now, 'rest', 'cancel-refused');
      return;
    }
    const n = countApplied(order, 'cancel-request') + 1;
    const event: OrderEvent = {
      type: 'cancel-request',
      id: `${order.clientOrderId}:cancel-request:${n}`,
      ts: now,
    };
    if ((await this.#apply(order, event, now, 'rest', 'cancel-refused')) !== 'applied') return;
    const after = this.#book.get(order.clientOrderId) ?? order;
    await this.#execution.cancel(
      {
        type: 'CancelOrder',
        accountId: this.#accountId,
        clientOrderId: order.clientOrderId,
        reason,
        tsEvent: now,
        tsInit: now,
      },
      after,
    );
  }

  async #cancelWhere(predicate: (o: Order) => boolean, reason: string): Promise<void> {
    for (const o of this.#book.working()) if (predicate(o)) await this.#cancelOrder(o, reason);
  }

  // ---------------------------------------------------------------- execution reports

  /** Applies a report from the execution client: raw message stored first, then the state machine, fills, positions. */
  async onExecutionReport(report: ExecutionReport): Promise<void> {
    switch (report.type) {
      case 'OrderUpdateReceived':
        return this.#onOrderUpdate(report);
      case 'BrokerDisconnected':
        this.#alert('warning', 'broker-disconnected', `broker ${report.link} link down: ${report.reason}`);
        return;
      case 'BrokerConnected':
        this.#alert('info', 'broker-connected', `broker ${report.link} link up`);
        return;
      case 'SessionExpired':
        this.#alert(
          'critical',
          'session-expired',
          `broker session of ${report.accountId} expired: log in again`,
        );
        return;
    }
  }

  async #onOrderUpdate(report: OrderUpdateReceived): Promise<void> {
    const update = report.update;
    const source = report.source ?? 'rest';
    const order = report.accountId === this.#accountId ? await this.#resolve(report) : null;
    await this.#store.appendOrderEvent(report.accountId, {
      clientOrderId: order?.clientOrderId ?? report.clientOrderId,
      venueOrderId: report.venueOrderId ?? eventVenueOrderId(update) ?? order?.venueOrderId ?? null,
      source,
      venueStatus: update.type === 'venue-status' ? update.status : null,
      payload: report.raw ?? orderEventJson(update),
      receivedAt: this.#clock.now(),
    });
    if (order === null) {
      this.#stats.inc('unknownReports');
      const status = update.type === 'venue-status' ? ` ${update.status}` : '';
      this.#alert(
        'warning',
        'unknown-order',
        `${source} update ${update.id} (${update.type}${status}) of account ${report.accountId} names no known order (client ${String(report.clientOrderId)}, venue ${String(report.venueOrderId)}, intent ${String(report.intentId)}): stored, not applied`,
      );
      return;
    }
    await this.#apply(order, update, report.tsEvent, source, 'order-update-rejected');
  }

  async #resolve(report: OrderUpdateReceived): Promise<Order | null> {
    const acc = this.#accountId;
    if (report.clientOrderId !== null) {
      const o =
        this.#book.get(report.clientOrderId) ?? (await this.#store.getOrder(acc, report.clientOrderId));
      if (o !== null) return o;
    }
    const venueId = report.venueOrderId ?? eventVenueOrderId(report.update);
    if (venueId !== null) {
      const o = this.#book.byVenueId(venueId) ?? (await this.#store.getOrderByVenueId(acc, venueId));
      if (o !== null) return o;
    }
    if (report.intentId !== null) {
      const live = this.#book.liveOf(report.intentId);
      if (live !== null) return live;
      const all = await this.#store.listOrdersByIntent(acc, report.intentId);
      const candidate = all.find((o) => !isTerminalStatus(o.status)) ?? all.at(-1) ?? null;
      if (candidate !== null) return this.#book.get(candidate.clientOrderId) ?? candidate;
    }
    return null;
  }

  /**
   * Applies one event to an order: state machine (refusals become alerts with `refusedCode`), fill dedupe by venue
   * trade id, persistence, positions, publications, then follow-ups (square-off escalation, loss-cap monitor).
   */
  async #apply(
    order: Order,
    event: OrderEvent,
    tsEvent: number,
    source: OrderEventSource,
    refusedCode: string,
  ): Promise<ApplyOutcome> {
    if (event.type === 'fill' && this.#book.hasTrade(event.venueTradeId)) {
      this.#stats.inc('duplicateFills');
      return 'duplicate';
    }
    let after: Order;
    try {
      after = applyOrderEvent(order, event);
    } catch (error) {
      // A broker message the state machine cannot take is bad input: stored (above) and reported, never applied.
      if (!(error instanceof InvariantError)) throw error;
      const expected = error instanceof IllegalTransitionError || error instanceof UnknownVenueStatusError;
      if (refusedCode === 'order-update-rejected') this.#stats.inc('rejectedReports');
      else this.#stats.inc('refusedRequests');
      this.#alert(
        expected ? 'warning' : 'critical',
        refusedCode,
        `${error.message}: not applied`,
        order.strategyId,
      );
      return 'rejected';
    }
    if (after === order) {
      this.#stats.inc('duplicateUpdates');
      return 'duplicate';
    }
    const now = this.#clock.now();
    const outcomes = orderOutcomes(order, after, event, {
      tsEvent,
      tsInit: now,
      newFillId: () => this.#ids.next('fill'),
    });
    for (const e of outcomes) {
      if (e.type !== 'OrderFilled') continue;
      const { created } = await this.#store.insertFill(e.fill);
      this.#book.addTrade(e.fill.venueTradeId);
      if (!created) {
        this.#stats.inc('duplicateFills');
        return 'duplicate';
      }
    }
    this.#detectMissed(order, after, event, source);
    await this.#store.saveOrder(after);
    this.#book.put(after);
    let filled = false;
    for (const e of outcomes) {
      if (e.type === 'OrderFilled') {
        filled = true;
        this.#stats.inc('fills');
        const stop = this.#book.intent(after.intentId)?.stopLossPaise ?? null;
        const { position } = this.#portfolio.applyFill(e.fill, stop);
        await this.#store.savePosition(position);
        this.#bus.publish('fill', e.fill);
        this.#bus.publish('position', position);
      }
      this.#publishOrder(e, after);
    }
    if (isTerminalStatus(after.status) && !isTerminalStatus(order.status)) await this.#onTerminal(after);
    if (filled && this.#portfolio.hasOpenPositions()) await this.#monitor();
    return 'applied';
  }

  #detectMissed(before: Order, after: Order, event: OrderEvent, source: OrderEventSource): void {
    if (event.type === 'venue-status' && isPushSource(source) && event.filledQty !== null) {
      const seen = this.#pushFilled.get(after.clientOrderId) ?? 0;
      if (event.filledQty > seen) this.#pushFilled.set(after.clientOrderId, event.filledQty);
    }
    if (source !== 'orderbook') return;
    // Fills come from trades, which push updates never carry: a poll fill is missed only beyond what a push reported.
    const missed =
      event.type === 'fill'
        ? after.filledQty > (this.#pushFilled.get(after.clientOrderId) ?? 0)
        : before.status !== after.status;
    if (!missed) return;
    this.#stats.inc('missedUpdates');
    this.#alert(
      'warning',
      'missed-order-update',
      `orderbook poll found ${event.type === 'fill' ? `fill ${event.venueTradeId}` : `status ${after.status}`} of order ${after.clientOrderId} that no postback or WebSocket update reported`,
      after.strategyId,
    );
  }

  async #onTerminal(order: Order): Promise<void> {
    this.#held = this.#held.filter((id) => id !== order.clientOrderId);
    if (!this.#flattenIntents.has(order.intentId)) return;
    this.#timers.cancel(FLATTEN_TIMER + order.clientOrderId);
    if (this.#escalated.delete(order.clientOrderId)) {
      await this.#replaceWithMarket(order);
    } else if (order.status !== 'FILLED') {
      this.#alert(
        'critical',
        'flatten-incomplete',
        `closing order ${order.clientOrderId} ended ${order.status} with ${order.qty - order.filledQty} of ${order.qty} ${order.instrumentId} unfilled: ${order.statusMessage ?? 'no message'}`,
      );
    }
  }

  // ---------------------------------------------------------------- ticks, timers, monitor

  /** Marks the instrument; runs the post-trade monitor only when the account holds it. */
  onTick(tick: InstrumentTick): void | Promise<void> {
    this.#portfolio.mark(tick.instrumentId, tick.tick.lastPricePaise);
    if (!this.#portfolio.hasOpenPosition(tick.instrumentId)) return undefined;
    return this.#monitor();
  }

  #monitor(): Promise<void> | undefined {
    const day = this.#today();
    if (this.#lossCapDay === day) return undefined;
    const action = this.#risk.monitor(this.#snapshot('system', null));
    if (action.action === 'none') return undefined;
    this.#lossCapDay = day;
    return this.#flattenAndHalt(action.reason, action.pnlPaise);
  }

  async #flattenAndHalt(reason: string, pnlPaise: Paise): Promise<void> {
    this.#alert(
      'critical',
      'loss-cap-hit',
      `${reason} (P&L ${pnlPaise} paise): flattening and halting entries for ${this.#today()}`,
    );
    await this.#saveControls(this.#controls.withHalt(this.#accountId, `loss cap: ${reason}`, this.#today()));
    await this.#cancelWhere((o) => !this.#flattenIntents.has(o.intentId), `loss cap: ${reason}`);
    await this.#flatten(null, null, `loss cap: ${reason}`);
  }

  /** Handles a timer set through TradingTimers: a square-off LIMIT order still working at its timeout. */
  async onTimer(name: string): Promise<void> {
    if (!name.startsWith(FLATTEN_TIMER)) {
      this.#log.warn({ timer: name }, 'unknown trading timer');
      return;
    }
    const order = this.#book.working().find((o) => FLATTEN_TIMER + o.clientOrderId === name);
    if (order === undefined || order.status === 'PENDING_CANCEL') return;
    this.#escalated.add(order.clientOrderId);
    this.#log.info(
      { clientOrderId: order.clientOrderId },
      'square-off LIMIT timed out: cancelling for MARKET',
    );
    await this.#cancelOrder(
      order,
      `square-off LIMIT unfilled after ${this.#timeoutMs} ms: replaced by MARKET`,
    );
  }

  // ---------------------------------------------------------------- operator commands

  /** Kill switch, flatten, cancel all, halt, resume, acknowledge live. */
  async handleCommand(command: OperatorCommand): Promise<void> {
    const day = this.#today();
    if (command.type !== 'KillSwitch' && command.accountId !== this.#accountId) {
      this.#log.debug({ command: command.type, accountId: command.accountId }, 'command for another account');
      return;
    }
    switch (command.type) {
      case 'KillSwitch': {
        await this.#saveControls(this.#controls.withKillSwitch(command.on));
        if (command.on) {
          await this.#cancelWhere(() => true, `kill switch: ${command.reason}`);
          this.#alert('critical', 'kill-switch', `kill switch ON by ${command.actor}: ${command.reason}`);
        } else {
          this.#alert('info', 'kill-switch', `kill switch off by ${command.actor}: ${command.reason}`);
        }
        return;
      }
      case 'Halt':
        await this.#saveControls(this.#controls.withHalt(this.#accountId, command.reason, day));
        this.#alert(
          'warning',
          'trading-halted',
          `entries halted for ${day} by ${command.actor}: ${command.reason}`,
        );
        return;
      case 'Resume':
        this.#lossCapDay = null;
        await this.#saveControls(this.#controls.withResume(this.#accountId));
        this.#alert('info', 'trading-resumed', `entries resumed by ${command.actor}: ${command.reason}`);
        return;
      case 'CancelAll': {
        const strategyId = command.strategyId;
        await this.#cancelWhere((o) => strategyId === null || o.strategyId === strategyId, command.reason);
        return;
      }
      case 'Flatten':
        await this.#flatten(command.instrumentId, command.product, `${command.actor}: ${command.reason}`);
        return;
      case 'AcknowledgeLive': {
        await this.#saveControls(this.#controls.withAcknowledged(day));
        this.#alert('info', 'live-acknowledged', `live trading acknowledged for ${day} by ${command.actor}`);
        const held = this.#held;
        this.#held = [];
        for (const id of held) {
          const order = this.#book.get(id);
          if (order !== null && order.status === 'INITIALIZED') await this.#send(order);
        }
        return;
      }
    }
  }

  async #flatten(instrumentId: InstrumentId | null, product: Product | null, reason: string): Promise<void> {
    const matches = (x: { readonly instrumentId: InstrumentId; readonly product: Product }): boolean =>
      (instrumentId === null || x.instrumentId === instrumentId) &&
      (product === null || x.product === product);
    // Orders already closing a position stay working; everything else on those instruments is cancelled first.
    await this.#cancelWhere((o) => matches(o) && !this.#flattenIntents.has(o.intentId), reason);
    for (const p of this.#portfolio.openPositions()) {
      if (!matches(p)) continue;
      const closing = this.#book
        .working()
        .some(
          (o) =>
            this.#flattenIntents.has(o.intentId) &&
            o.instrumentId === p.instrumentId &&
            o.product === p.product,
        );
      if (closing) continue;
      const side: Side = p.netQty > 0 ? 'SELL' : 'BUY';
      const instrument = this.#instrument(p.instrumentId);
      const last = this.#portfolio.markPaise(p.instrumentId);
      const limit =
        instrument === null || last === null
          ? null
          : marketableLimitPricePaise(
              side,
              last,
              instrument.tickSizePaise,
              this.#offsetTicks,
              this.#band(p.instrumentId),
            );
      await this.#submitClosing(
        p.instrumentId,
        p.product,
        side,
        Math.abs(p.netQty),
        limit === null ? 'MARKET' : 'LIMIT',
        limit,
        `flatten: ${reason}`,
      );
    }
  }

  async #replaceWithMarket(order: Order): Promise<void> {
    const netQty = this.#portfolio.position(order.instrumentId, order.product)?.netQty ?? 0;
    const open = order.side === 'SELL' ? netQty : -netQty;
    const qty = Math.min(open, order.qty - order.filledQty);
    if (qty <= 0) return;
    await this.#submitClosing(
      order.instrumentId,
      order.product,
      order.side,
      qty,
      'MARKET',
      null,
      `square-off MARKET for the ${qty} left by ${order.clientOrderId}`,
    );
  }

  async #submitClosing(
    instrumentId: InstrumentId,
    product: Product,
    side: Side,
    qty: number,
    orderType: OrderType,
    limitPricePaise: Paise | null,
    reason: string,
  ): Promise<void> {
    const now = this.#clock.now();
    const intent = makeIntent({
      id: this.#ids.next('intent'),
      accountId: this.#accountId,
      strategyId: SYSTEM_STRATEGY_ID,
      runId: this.#runId,
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
    this.#flattenIntents.add(intent.id);
    await this.submit(intent, 'system');
  }

  // ---------------------------------------------------------------- recovery

  /**
   * Rebuilds the state after a restart (call before the kernel starts): controls, open orders, positions, stops,
   * today's fills and charges. Intents without an order were never sent (the order row is saved before any broker
   * call): each is reported (`intent-abandoned`) and never resent. INITIALIZED and SUBMITTED orders are left for
   * reconciliation with the broker (ordersAwaitingReconciliation).
   */
  async recover(): Promise<void> {
    this.#controls = new ControlsState(await this.#store.loadControls());
    const now = this.#clock.now();
    this.#day = istDate(now);
    const dayStart = istToEpochMs(this.#day, '00:00');
    const state = await this.#store.loadState(this.#accountId, dayStart, dayStart + DAY_MS);
    const parents = new Set<IntentId>();
    for (const intent of state.intents) {
      this.#book.addIntent(intent);
      if (intent.strategyId === SYSTEM_STRATEGY_ID) this.#flattenIntents.add(intent.id);
      const parent = SLICE_OF.exec(intent.reason)?.[1] as IntentId | undefined;
      if (parent !== undefined) {
        parents.add(parent);
        this.#book.addChild(parent, intent.id);
      }
    }
    const sentToday = new Set<ClientOrderId>();
    this.#awaitingReconciliation = [];
    for (const order of state.openOrders) {
      this.#book.put(order);
      if (order.createdAt >= dayStart) sentToday.add(order.clientOrderId);
      if (order.status === 'INITIALIZED' || order.status === 'SUBMITTED') {
        this.#awaitingReconciliation.push(order.clientOrderId);
      } else if (this.#flattenIntents.has(order.intentId) && order.orderType !== 'MARKET') {
        this.#timers.set(FLATTEN_TIMER + order.clientOrderId, now + this.#timeoutMs);
      }
    }
    for (const key of this.#portfolio.restore(state.positions, state.fillsToday)) {
      this.#alert(
        'warning',
        'recovery-estimate',
        `realised P&L today of ${key} is estimated: the position was carried from an earlier day`,
      );
    }
    const stops = new Map<string, Paise | null>();
    for (const fill of state.fillsToday) {
      this.#book.addTrade(fill.venueTradeId);
      sentToday.add(fill.clientOrderId);
      const order =
        this.#book.get(fill.clientOrderId) ??
        (await this.#store.getOrder(this.#accountId, fill.clientOrderId));
      const intent =
        order === null
          ? null
          : (this.#book.intent(order.intentId) ??
            (await this.#store.getIntent(this.#accountId, order.intentId)));
      const netQty = this.#portfolio.position(fill.instrumentId, fill.product)?.netQty ?? 0;
      const opens = (netQty > 0 && fill.side === 'BUY') || (netQty < 0 && fill.side === 'SELL');
      const stop = intent?.stopLossPaise ?? null;
      if (opens && stop !== null) stops.set(`${fill.instrumentId}|${fill.product}`, stop);
    }
    for (const p of this.#portfolio.openPositions()) {
      this.#portfolio.setStop(p.instrumentId, p.product, stops.get(`${p.instrumentId}|${p.product}`) ?? null);
    }
    this.#ordersToday = sentToday.size;
    for (const intent of state.intentsWithoutOrder) {
      if (parents.has(intent.id)) continue;
      this.#alert(
        'warning',
        'intent-abandoned',
        `intent ${intent.id} (${intent.side} ${intent.qty} ${intent.instrumentId}) was stored but never sent before the restart; it is not resent`,
        intent.strategyId,
      );
    }
    this.#log.info(
      {
        openOrders: state.openOrders.length,
        awaitingReconciliation: this.#awaitingReconciliation.length,
        positions: this.#portfolio.openPositions().length,
        fillsToday: state.fillsToday.length,
      },
      'order manager recovered',
    );
  }

  /** Returns the recovered orders in INITIALIZED or SUBMITTED that the broker must confirm or deny. */
  ordersAwaitingReconciliation(): readonly Order[] {
    const out: Order[] = [];
    for (const id of this.#awaitingReconciliation) {
      const o = this.#book.get(id);
      if (o !== null && (o.status === 'INITIALIZED' || o.status === 'SUBMITTED')) out.push(o);
    }
    return out;
  }

  // ---------------------------------------------------------------- reads

  /** Returns the account's position (flat view when none). */
  position(accountId: AccountId, instrumentId: InstrumentId, product: Product): PositionView {
    if (accountId !== this.#accountId) {
      return {
        instrumentId,
        product,
        netQty: 0,
        averagePricePaise: null,
        realisedPnlPaise: 0 as Paise,
        unrealisedPnlPaise: null,
      };
    }
    return this.#portfolio.view(instrumentId, product);
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

  /** Returns the strategy-held orders waiting for AcknowledgeLive. */
  heldOrders(): readonly Order[] {
    return this.#held.flatMap((id) => this.#book.get(id) ?? []);
  }

  // ---------------------------------------------------------------- helpers

  #snapshot(origin: IntentOrigin, instrumentId: InstrumentId | null): RiskSnapshot {
    const now = this.#clock.now();
    this.#rollDay();
    this.#sendTimes = this.#sendTimes.filter((t) => t > now - 1000);
    return buildRiskSnapshot({
      nowMs: now,
      origin,
      killSwitch: this.#controls.killSwitch,
      haltedReason: this.#controls.haltedReason(this.#accountId, this.#day),
      tradingDay: this.#isTradingDay(this.#day),
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
      this.#log.warn(
        { day, error: error.message },
        'calendar does not cover the day: treated as not a trading day',
      );
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

  #publishOrder(event: OrderLifecycleEvent, order: Order | null): void {
    this.#bus.publish('order', { event, order });
  }

  #refuse(code: string, message: string, order: Order | null): void {
    this.#stats.inc('refusedRequests');
    this.#alert('warning', code, message, order?.strategyId ?? null);
  }

  #alert(level: AlertLevel, code: string, message: string, strategyId: StrategyId | null = null): void {
    const log = level === 'info' ? this.#log.info : level === 'warning' ? this.#log.warn : this.#log.error;
    log.call(this.#log, { alert: code, strategyId }, message);
    this.#bus.publish('alert', { level, code, message, strategyId, ts: this.#clock.now() });
  }
}
