// The live ExecutionClient for Kite: places through SafeOrderPlacer (one order per intent tag, uncertain outcomes
// resolved from the orderbook, never resent), and turns postbacks, WebSocket order updates, REST replies and a
// periodic orderbook poll into OrderUpdateReceived reports with channel-independent ids, so the order manager's
// dedupe by event id applies each broker fact once. It never applies order state itself.
import {
  InvariantError,
  intentTag,
  noopLogger,
  parseVenueOrderId,
  type AccountId,
  type CancelOrder,
  type ClientOrderId,
  type Clock,
  type ExecutionClient,
  type ExecutionHandler,
  type ExecutionReport,
  type IntentId,
  type JsonValue,
  type Logger,
  type ModifyOrder,
  type Order,
  type OrderEvent,
  type OrderEventSource,
} from '@kitepilot/core';
import { KiteError } from '../errors.ts';
import type { KiteRestClient } from '../http/kite-rest-client.ts';
import { placeOrderForm } from '../http/order-params.ts';
import { SafeOrderPlacer, type SafePlacementResult } from '../http/order-placement.ts';
import type { KiteOrder, KiteTrade } from '../http/parse-orders.ts';
import { kiteOrderUpdateToVenueStatus } from '../parse/order-update-event.ts';
import { KiteOrderUpdateError, parseKiteOrderUpdate, type KiteOrderUpdate } from '../parse/order-update.ts';
import type { KiteTickerClient } from '../ws/kite-ticker-client.ts';
import { BoundedIdSet } from './bounded-id-set.ts';
import { ExecutionLinkMonitor } from './execution-link-monitor.ts';
import {
  AUTOMATIC_MARKET_PROTECTION,
  modifyParamsForCommand,
  placeParamsForOrder,
} from './kite-order-params.ts';
import {
  asJsonValue,
  fillEventFromTrade,
  intentIdOfKiteOrder,
  kiteOrderUpdateRaw,
  orderReport,
  type OrderRef,
} from './order-reports.ts';
import { failedRequestEcho } from './request-failure.ts';

/** Settings of a KiteExecutionClient. */
export interface KiteExecutionClientOptions {
  readonly rest: KiteRestClient;
  readonly accountId: AccountId;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** market_protection sent with MARKET and SL-M orders (default −1: Kite's automatic protection). */
  readonly marketProtection?: number;
  /** Default: a SafeOrderPlacer over `rest` with its defaults (10 s resolution window). */
  readonly placer?: SafeOrderPlacer;
  /**
   * An uncertain placement whose tag is still absent from a successful orderbook read this long after the
   * placement ended is reported `submit-failed` (default 60 000 ms; see reconcile.ts for why absence is proof).
   */
  readonly settleUncertainAfterMs?: number;
  /** Pause before reading an order's trades again when fewer than its filled quantity were there (default 1000). */
  readonly tradeRetryMs?: number;
  /** How many times to read the trades again (default 3; the orderbook poll catches up after that). */
  readonly tradeRetries?: number;
}

/** A postback or order update that could not be parsed: the app stores it raw and alerts; it is never applied. */
export interface MalformedOrderUpdate {
  readonly source: OrderEventSource;
  /** The message as received (null when the channel does not hand it out: see attachOrderUpdates). */
  readonly raw: JsonValue;
  readonly reason: string;
  /** The `order_id` the message names, when it names one. */
  readonly venueOrderId: string | null;
  readonly receivedAt: number;
}

/** Counters of a KiteExecutionClient. */
export interface KiteExecutionStats {
  readonly submitted: number;
  readonly placed: number;
  readonly submitFailed: number;
  readonly uncertain: number;
  /** Uncertain placements later reported `submit-failed` because the orderbook never showed them. */
  readonly settledNotPlaced: number;
  readonly reports: number;
  /** Reports held back until their order's submit outcome was reported. */
  readonly held: number;
  readonly malformed: number;
  /** Updates about orders that are not ours (no KP tag, unknown venue id); not reported. */
  readonly external: number;
  readonly pollFailures: number;
  readonly requestFailures: number;
  /** Reports dropped because no handler was set. */
  readonly dropped: number;
}

type Counter = { -readonly [K in keyof KiteExecutionStats]: number };

interface Uncertain {
  readonly clientOrderId: ClientOrderId;
  readonly intentId: IntentId;
  readonly tag: string;
  readonly sinceMs: number;
}

const POLL_TIMER = 'kite-execution-poll';
let timerSequence = 0;

function errorMessage(error: unknown): string {
  if (error instanceof KiteError) return `${error.errorType}: ${error.brokerMessage}`;
  return error instanceof Error ? error.message : String(error);
}

/** The Kite Connect ExecutionClient (see the file header; DESIGN.md §3–4). */
export class KiteExecutionClient implements ExecutionClient {
  readonly #rest: KiteRestClient;
  readonly #accountId: AccountId;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #marketProtection: number;
  readonly #placer: SafeOrderPlacer;
  readonly #settleUncertainAfterMs: number;
  readonly #tradeRetryMs: number;
  readonly #tradeRetries: number;
  readonly #link: ExecutionLinkMonitor;
  #handler: ExecutionHandler | null = null;
  readonly #malformedListeners = new Set<(m: MalformedOrderUpdate) => void>();
  /** Reports held per intent while its placement is in flight (a socket update can beat the REST reply). */
  readonly #placing = new Map<IntentId, ExecutionReport[]>();
  readonly #byIntent = new Map<IntentId, ClientOrderId>();
  readonly #byVenue = new Map<string, { clientOrderId: ClientOrderId | null; intentId: IntentId | null }>();
  readonly #filledSeen = new Map<string, number>();
  readonly #uncertain = new Map<string, Uncertain>();
  /** Ids the poll and the REST reads already reported (push channels are always passed on: they are news). */
  readonly #emittedBy: Record<'orderbook' | 'rest', BoundedIdSet> = {
    orderbook: new BoundedIdSet(),
    rest: new BoundedIdSet(),
  };
  readonly #tradeFetches = new Map<string, { again: boolean }>();
  readonly #work = new Set<Promise<void>>();
  #polling: Promise<void> | null = null;
  #pollIntervalMs: number | null = null;
  #requestSeq = 0;
  readonly #stats: Counter = {
    submitted: 0,
    placed: 0,
    submitFailed: 0,
    uncertain: 0,
    settledNotPlaced: 0,
    reports: 0,
    held: 0,
    malformed: 0,
    external: 0,
    pollFailures: 0,
    requestFailures: 0,
    dropped: 0,
  };

  /** Creates the client; it reports session expiry of `rest` (from any caller) as SessionExpired. */
  constructor(options: KiteExecutionClientOptions) {
    this.#rest = options.rest;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
    this.#logger = (options.logger ?? noopLogger).child({ component: 'kite-execution' });
    this.#marketProtection = options.marketProtection ?? AUTOMATIC_MARKET_PROTECTION;
    this.#placer = options.placer ?? new SafeOrderPlacer(options.rest);
    this.#settleUncertainAfterMs = options.settleUncertainAfterMs ?? 60_000;
    this.#tradeRetryMs = options.tradeRetryMs ?? 1000;
    this.#tradeRetries = options.tradeRetries ?? 3;
    this.#link = new ExecutionLinkMonitor(this.#accountId, this.#clock, this.#logger, (r) =>
      this.#deliver(r),
    );
    this.#rest.on('sessionExpired', () => this.#link.onSessionExpired());
  }

  /** Sets the handler that receives every report. */
  setHandler(handler: ExecutionHandler): void {
    this.#handler = handler;
  }

  /** Registers a listener for malformed postbacks and order updates; returns a function that removes it. */
  onMalformed(listener: (m: MalformedOrderUpdate) => void): () => void {
    this.#malformedListeners.add(listener);
    return () => this.#malformedListeners.delete(listener);
  }

  /** Returns the counters. */
  stats(): KiteExecutionStats {
    return { ...this.#stats };
  }

  /** Returns true while the broker is unreachable (BrokerDisconnected reported, no success since). */
  get brokerDown(): boolean {
    return this.#link.down;
  }

  /** Makes recovered orders known, so reports about them carry their client order id. */
  track(orders: readonly Order[]): void {
    for (const o of orders) {
      this.#byIntent.set(o.intentId, o.clientOrderId);
      if (o.venueOrderId !== null) {
        this.#byVenue.set(o.venueOrderId, { clientOrderId: o.clientOrderId, intentId: o.intentId });
        this.#filledSeen.set(
          o.venueOrderId,
          Math.max(this.#filledSeen.get(o.venueOrderId) ?? 0, o.filledQty),
        );
      }
    }
  }

  /**
   * Starts placing `order` (INITIALIZED) and returns at once; the outcome comes through the handler as
   * `submit` (with the venue order id), `submit-failed` (the broker's message) or `submit-uncertain`.
   */
  submit(order: Order): Promise<void> {
    if (this.#handler === null)
      throw new InvariantError('KiteExecutionClient.submit called before setHandler');
    if (order.status !== 'INITIALIZED') {
      throw new InvariantError(
        `order ${order.clientOrderId} is ${order.status}; only INITIALIZED orders are sent`,
      );
    }
    if (this.#placing.has(order.intentId)) {
      throw new InvariantError(`intent ${order.intentId} already has a placement in flight`);
    }
    this.#stats.submitted++;
    this.#byIntent.set(order.intentId, order.clientOrderId);
    this.#placing.set(order.intentId, []);
    this.#run(this.#submitWork(order));
    return Promise.resolve();
  }

  /** Starts a modification; a refused request is reported as described in request-failure.ts. */
  modify(command: ModifyOrder, order: Order): Promise<void> {
    this.#run(
      this.#changeWork('modify', order, (venueId) =>
        this.#rest.modifyOrder(
          order.variety,
          venueId,
          modifyParamsForCommand(command, order, this.#marketProtection),
        ),
      ),
    );
    return Promise.resolve();
  }

  /** Starts a cancellation; a refused request is reported as described in request-failure.ts. */
  cancel(_command: CancelOrder, order: Order): Promise<void> {
    this.#run(this.#changeWork('cancel', order, (venueId) => this.#rest.cancelOrder(order.variety, venueId)));
    return Promise.resolve();
  }

  /** Resolves when every placement, request and read started so far has reported. */
  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  /**
   * Reports the ticker's order updates (source `websocket`). The ticker hands out parsed updates, so `raw` is a
   * re-serialisation; a malformed order message reaches onMalformed with its reason and `raw` null. Returns a
   * function that detaches.
   */
  attachOrderUpdates(ticker: KiteTickerClient): () => void {
    const onUpdate = (u: KiteOrderUpdate): void => this.#onUpdate(u, 'websocket', kiteOrderUpdateRaw(u));
    const onProblem = (p: { readonly message: string }): void => {
      if (p.message.startsWith('order message could not be parsed')) {
        this.#malformed({
          source: 'websocket',
          raw: null,
          reason: p.message,
          venueOrderId: null,
          receivedAt: this.#clock.now(),
        });
      }
    };
    ticker.on('orderUpdate', onUpdate).on('problem', onProblem);
    return () => {
      ticker.off('orderUpdate', onUpdate).off('problem', onProblem);
    };
  }

  /**
   * Reports one postback (source `postback`): `body` is the verified JSON text or object (checksum checking is
   * the HTTP edge's job). A malformed body reaches onMalformed and is never applied.
   */
  onPostback(body: unknown): void {
    let raw: unknown = body;
    if (typeof body === 'string') {
      try {
        raw = JSON.parse(body) as unknown;
      } catch (error) {
        this.#malformed({
          source: 'postback',
          raw: body,
          reason: `postback body is not JSON: ${errorMessage(error)}`,
          venueOrderId: null,
          receivedAt: this.#clock.now(),
        });
        return;
      }
    }
    const update = this.#parse(raw, 'postback');
    if (update !== null) this.#onUpdate(update, 'postback', asJsonValue(raw));
  }

  /** Reads the orderbook and trades once and reports our orders' statuses and fills (source `orderbook`). */
  poll(): Promise<void> {
    if (this.#polling !== null) return this.#polling;
    const running = this.#pollOnce().finally(() => {
      this.#polling = null;
    });
    this.#polling = running;
    this.#run(running);
    return running;
  }

  /** Polls every `intervalMs` on the clock's timers until stopPolling(). */
  startPolling(intervalMs: number): void {
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`poll interval ${intervalMs} ms must be a positive integer`);
    }
    this.#pollIntervalMs = intervalMs;
    this.#schedulePoll();
  }

  /** Stops the periodic poll. */
  stopPolling(): void {
    this.#pollIntervalMs = null;
    this.#clock.cancelTimer(POLL_TIMER);
  }

  // ---- delivery ---------------------------------------------------------------------------------------------

  #run(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.#logger.error({ error: errorMessage(error) }, 'Kite execution work failed unexpectedly');
    });
    this.#work.add(tracked);
    void tracked.finally(() => this.#work.delete(tracked));
  }

  #deliver(report: ExecutionReport): void {
    if (this.#handler === null) {
      this.#stats.dropped++;
      this.#logger.error({ type: report.type }, 'execution report dropped: no handler set');
      return;
    }
    this.#stats.reports++;
    this.#handler(report);
  }

  /** Delivers an order report, or holds it while its intent's placement is in flight. */
  #emitOrder(ref: OrderRef, update: OrderEvent, source: OrderEventSource, raw: JsonValue): void {
    if (source === 'orderbook' || source === 'rest') {
      if (!this.#emittedBy[source].add(update.id)) return;
    }
    const report = orderReport(this.#accountId, ref, update, source, raw, this.#clock.now());
    const held = ref.intentId === null ? undefined : this.#placing.get(ref.intentId);
    if (held !== undefined) {
      this.#stats.held++;
      held.push(report);
      return;
    }
    this.#deliver(report);
  }

  #malformed(m: MalformedOrderUpdate): void {
    this.#stats.malformed++;
    this.#logger.error(
      { source: m.source, venueOrderId: m.venueOrderId, reason: m.reason },
      'malformed order update',
    );
    for (const l of [...this.#malformedListeners]) l(m);
  }

  #parse(raw: unknown, source: OrderEventSource): KiteOrderUpdate | null {
    try {
      return parseKiteOrderUpdate(raw);
    } catch (error) {
      if (!(error instanceof KiteOrderUpdateError)) throw error;
      const id =
        typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['order_id'] : undefined;
      this.#malformed({
        source,
        raw: asJsonValue(raw ?? null),
        reason: error.message,
        venueOrderId: typeof id === 'string' ? id : null,
        receivedAt: this.#clock.now(),
      });
      return null;
    }
  }

  #refOf(venueOrderId: string, intentFromTag: IntentId | null): OrderRef | null {
    const known = this.#byVenue.get(venueOrderId);
    const intentId = intentFromTag ?? known?.intentId ?? null;
    if (intentId === null && known === undefined) return null;
    const clientOrderId =
      known?.clientOrderId ?? (intentId === null ? null : (this.#byIntent.get(intentId) ?? null));
    if (known === undefined || (known.clientOrderId === null && clientOrderId !== null)) {
      this.#byVenue.set(venueOrderId, { clientOrderId, intentId });
    }
    return { clientOrderId, intentId, venueOrderId: parseVenueOrderId(venueOrderId) };
  }

  /** Reports a status; reads the order's trades when a push channel shows more filled quantity. */
  #onUpdate(u: KiteOrderUpdate, source: OrderEventSource, raw: JsonValue): void {
    const ref = this.#refOf(u.venueOrderId, u.intentId);
    if (ref === null) {
      this.#stats.external++;
      return;
    }
    this.#emitOrder(ref, kiteOrderUpdateToVenueStatus(u), source, raw);
    const seen = this.#filledSeen.get(u.venueOrderId) ?? 0;
    if (u.filledQty > seen) {
      this.#filledSeen.set(u.venueOrderId, u.filledQty);
      if (source !== 'orderbook') this.#fetchTrades(u.venueOrderId, ref, u.filledQty, 0);
    }
  }

  // ---- placement --------------------------------------------------------------------------------------------

  async #submitWork(order: Order): Promise<void> {
    const ref: OrderRef = {
      clientOrderId: order.clientOrderId,
      intentId: order.intentId,
      venueOrderId: null,
    };
    const tag = intentTag(order.intentId);
    const now = (): number => this.#clock.now();
    let extra: (() => void) | null = null;
    let outcome: OrderEvent;
    try {
      const params = placeParamsForOrder(order, this.#marketProtection);
      placeOrderForm(params);
      let result: SafePlacementResult;
      try {
        result = await this.#placer.place(params);
      } catch (error) {
        // Not a Kite error (e.g. an unreadable success body): the order may exist, so the poll must settle it.
        result = { status: 'unresolved', uncertainty: asKiteUncertainty(error), lastError: error };
      }
      outcome = this.#placementOutcome(order, result, tag);
      if (result.status === 'found') {
        const found = result.order;
        extra = () => {
          const u = this.#parse(found.raw, 'orderbook');
          if (u !== null) this.#onUpdate(u, 'orderbook', asJsonValue(found.raw));
        };
      }
    } catch (error) {
      if (!(error instanceof RangeError) && !(error instanceof InvariantError)) throw error;
      // The parameters could not be built: nothing was sent.
      this.#stats.submitFailed++;
      outcome = {
        type: 'submit-failed',
        id: `submit-failed:${order.clientOrderId}`,
        ts: now(),
        reason: `not sent: ${error.message}`,
      };
    }
    const held = this.#placing.get(order.intentId) ?? [];
    this.#placing.delete(order.intentId);
    const venueOrderId = outcome.type === 'submit' ? outcome.venueOrderId : null;
    this.#deliver(
      orderReport(this.#accountId, { ...ref, venueOrderId }, outcome, 'rest', placementRaw(outcome), now()),
    );
    extra?.();
    for (const r of held) this.#deliver(r);
  }

  #placementOutcome(order: Order, result: SafePlacementResult, tag: string): OrderEvent {
    const ts = this.#clock.now();
    const coid = order.clientOrderId;
    switch (result.status) {
      case 'placed':
      case 'found': {
        this.#link.onAnswer();
        this.#stats.placed++;
        const venueOrderId = parseVenueOrderId(result.orderId);
        this.#byVenue.set(venueOrderId, { clientOrderId: coid, intentId: order.intentId });
        return { type: 'submit', id: `submit:${coid}`, ts, venueOrderId };
      }
      case 'rejected': {
        this.#link.onFailure(result.error);
        this.#stats.submitFailed++;
        const e = result.error;
        // Retryable errors here were refused before sending (connection refused, 429, open circuit).
        const reason =
          e.retryable || e.errorType === 'SessionExpired' ? `not sent: ${errorMessage(e)}` : e.brokerMessage;
        return { type: 'submit-failed', id: `submit-failed:${coid}`, ts, reason };
      }
      case 'not-placed':
      case 'unresolved': {
        if (result.status === 'not-placed') this.#link.onAnswer();
        else this.#link.onFailure(result.lastError ?? result.uncertainty);
        this.#stats.uncertain++;
        this.#uncertain.set(tag, { clientOrderId: coid, intentId: order.intentId, tag, sinceMs: ts });
        const detail =
          result.status === 'not-placed'
            ? `no order tagged ${tag} in ${result.checks} orderbook reads yet`
            : `the orderbook could not be read (${errorMessage(result.lastError)})`;
        return {
          type: 'submit-uncertain',
          id: `submit-uncertain:${coid}`,
          ts,
          reason: `${errorMessage(result.uncertainty)}; ${detail}`,
        };
      }
    }
  }

  // ---- modify / cancel --------------------------------------------------------------------------------------

  async #changeWork(
    kind: 'modify' | 'cancel',
    order: Order,
    call: (venueOrderId: string) => Promise<string>,
  ): Promise<void> {
    const ref: OrderRef = {
      clientOrderId: order.clientOrderId,
      intentId: order.intentId,
      venueOrderId: order.venueOrderId,
    };
    let failure: string | null = null;
    if (order.venueOrderId === null) {
      failure = `order ${order.clientOrderId} has no venue order id yet`;
    } else {
      try {
        await call(order.venueOrderId);
        this.#link.onAnswer();
      } catch (error) {
        if (!(error instanceof KiteError) && !(error instanceof RangeError)) throw error;
        this.#link.onFailure(error);
        failure = error instanceof KiteError ? error.brokerMessage : error.message;
      }
    }
    const latest = order.venueOrderId === null ? null : await this.#latest(order.venueOrderId);
    if (failure !== null) {
      this.#stats.requestFailures++;
      this.#logger.warn({ clientOrderId: order.clientOrderId, kind, failure }, `Kite ${kind} refused`);
      const now = this.#clock.now();
      const echo = failedRequestEcho(kind, order, latest, failure, now, ++this.#requestSeq);
      this.#emitOrder(ref, echo, 'rest', {
        request: kind,
        clientOrderId: order.clientOrderId,
        venueOrderId: order.venueOrderId,
        error: failure,
      });
    }
    if (latest !== null) this.#onUpdate(latest.update, 'rest', asJsonValue(latest.raw));
  }

  /** Returns the latest entry of an order's history, or null when it cannot be read. */
  async #latest(venueOrderId: string): Promise<{ update: KiteOrderUpdate; raw: unknown } | null> {
    let last: KiteOrder | undefined;
    try {
      last = (await this.#rest.getOrderHistory(venueOrderId)).at(-1);
      this.#link.onAnswer();
    } catch (error) {
      this.#link.onFailure(error);
      this.#logger.warn({ venueOrderId, error: errorMessage(error) }, 'order history could not be read');
      return null;
    }
    if (last === undefined) return null;
    const update = this.#parse(last.raw, 'rest');
    return update === null ? null : { update, raw: last.raw };
  }

  // ---- trades -----------------------------------------------------------------------------------------------

  #fetchTrades(venueOrderId: string, ref: OrderRef, filledQty: number, attempt: number): void {
    const running = this.#tradeFetches.get(venueOrderId);
    if (running !== undefined) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.#tradeFetches.set(venueOrderId, state);
    this.#run(
      (async () => {
        let total = 0;
        try {
          const trades = await this.#rest.getOrderTrades(venueOrderId);
          this.#link.onAnswer();
          for (const t of trades) {
            total += t.quantity;
            this.#emitOrder(ref, fillEventFromTrade(t, this.#clock.now()), 'rest', asJsonValue(t.raw));
          }
        } catch (error) {
          this.#link.onFailure(error);
          this.#logger.warn({ venueOrderId, error: errorMessage(error) }, 'order trades could not be read');
        } finally {
          this.#tradeFetches.delete(venueOrderId);
        }
        const target = Math.max(filledQty, this.#filledSeen.get(venueOrderId) ?? 0);
        if (state.again && total < target) this.#fetchTrades(venueOrderId, ref, target, attempt);
        else if (total < target && attempt < this.#tradeRetries) {
          // Kite may list a trade a moment after the status that counts it.
          const name = `kite-execution-trades-${venueOrderId}-${++timerSequence}`;
          this.#clock.setTimer(name, this.#clock.now() + this.#tradeRetryMs, () =>
            this.#fetchTrades(venueOrderId, ref, target, attempt + 1),
          );
        }
      })(),
    );
  }

  // ---- poll -------------------------------------------------------------------------------------------------

  #schedulePoll(): void {
    const interval = this.#pollIntervalMs;
    if (interval === null) return;
    this.#clock.setTimer(POLL_TIMER, this.#clock.now() + interval, () => {
      void this.poll().finally(() => this.#schedulePoll());
    });
  }

  async #pollOnce(): Promise<void> {
    let orders: KiteOrder[];
    let trades: KiteTrade[];
    try {
      orders = await this.#rest.getOrders();
      trades = await this.#rest.getTrades();
      this.#link.onAnswer();
    } catch (error) {
      this.#stats.pollFailures++;
      this.#link.onFailure(error);
      this.#logger.warn({ error: errorMessage(error) }, 'orderbook poll failed');
      return;
    }
    const refs = new Map<string, OrderRef>();
    const tags = new Set<string>();
    for (const o of orders) {
      if (o.tag !== null) tags.add(o.tag);
      for (const t of o.tags) tags.add(t);
      const ref = this.#refOf(o.orderId, intentIdOfKiteOrder(o));
      if (ref === null) {
        this.#stats.external++;
        continue;
      }
      refs.set(o.orderId, ref);
      const u = this.#parse(o.raw, 'orderbook');
      if (u !== null) this.#onUpdate(u, 'orderbook', asJsonValue(o.raw));
    }
    for (const t of trades) {
      const ref = refs.get(t.orderId);
      if (ref !== undefined) {
        this.#emitOrder(ref, fillEventFromTrade(t, this.#clock.now()), 'orderbook', asJsonValue(t.raw));
      }
    }
    this.#settleUncertain(tags);
  }

  /** Reports `submit-failed` for uncertain placements still absent from the orderbook after the settle time. */
  #settleUncertain(tagsAtBroker: ReadonlySet<string>): void {
    const now = this.#clock.now();
    for (const u of [...this.#uncertain.values()]) {
      if (tagsAtBroker.has(u.tag)) {
        this.#uncertain.delete(u.tag);
        continue;
      }
      if (now - u.sinceMs < this.#settleUncertainAfterMs) continue;
      this.#uncertain.delete(u.tag);
      this.#stats.settledNotPlaced++;
      const event: OrderEvent = {
        type: 'submit-failed',
        id: `submit-failed:${u.clientOrderId}`,
        ts: now,
        reason: `not found at the broker: no order tagged ${u.tag} in the orderbook ${now - u.sinceMs} ms after the uncertain placement`,
      };
      this.#emitOrder(
        { clientOrderId: u.clientOrderId, intentId: u.intentId, venueOrderId: null },
        event,
        'orderbook',
        {
          settled: 'not-placed',
          tag: u.tag,
        },
      );
    }
  }
}

function asKiteUncertainty(error: unknown): KiteError {
  if (error instanceof KiteError) return error;
  return new UnreadablePlacementError(
    { request: { method: 'POST', path: '/orders' }, status: null, brokerMessage: errorMessage(error) },
    { cause: error },
  );
}

/** A placement whose reply could not be read: the order may exist (handled as an uncertain outcome). */
class UnreadablePlacementError extends KiteError {
  readonly errorType = 'DataException';
  readonly retryable = true;
}

function placementRaw(outcome: OrderEvent): JsonValue {
  switch (outcome.type) {
    case 'submit':
      return { order_id: outcome.venueOrderId };
    case 'submit-failed':
    case 'submit-uncertain':
      return { error: outcome.reason };
    default:
      return null;
  }
}
