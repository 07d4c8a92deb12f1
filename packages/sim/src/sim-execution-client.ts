import {
  InvariantError,
  isTradable,
  parseVenueOrderId,
  parseVenueTradeId,
  paise,
  type Bar,
  type CancelOrder,
  type ClientOrderId,
  type Clock,
  type ExecutionClient,
  type ExecutionHandler,
  type ExecutionReport,
  type Instrument,
  type InstrumentId,
  type JsonValue,
  type KiteOrderStatus,
  type ModifyOrder,
  type Order,
  type OrderEvent,
  type Paise,
  type Random,
  type Tick,
} from '@kitepilot/core';
import { ZERO_LATENCY, type LatencyModel } from './latency-model.ts';
import { matchAggressive } from './matching/match-aggressive.ts';
import { matchOnBar, type BarMatch } from './matching/match-bar.ts';
import { matchAtOpen } from './matching/match-open.ts';
import { isStopTriggered, matchRestingLimit } from './matching/match-resting.ts';
import { resolveFillOptions, type ResolvedFillOptions, type SimFillOptions } from './sim-fill-options.ts';
import { termsProblem, type CheckedTerms } from './sim-order-checks.ts';
import { modifyCheck } from './sim-modify.ts';
import { orderReport, venueStatusEvent } from './sim-reports.ts';
import {
  isWorking,
  kiteErrorJson,
  kiteOrderJson,
  simLeavesQty,
  type SimOrder,
  type SimOrderState,
} from './sim-order.ts';

/** What SimExecutionClient needs. */
export interface SimExecutionClientOptions {
  readonly clock: Clock;
  /** Accepted for symmetry with the other simulation ports; randomised models take their own Random. */
  readonly random?: Random;
  /** Returns the instrument of an id, or null when it is not in the instrument list. */
  readonly instrument: (id: InstrumentId) => Instrument | null;
  /** Request latency (default none: every request is handled at once). */
  readonly latency?: LatencyModel;
  readonly fill?: SimFillOptions;
  /** The first venue order id (a positive safe integer, default 250000000000001). */
  readonly venueOrderIdStart?: number;
  /** The first venue trade id (a positive safe integer, default 10000001). */
  readonly tradeIdStart?: number;
  /** Prefix of timer names and event ids; give each client sharing a clock its own (default `sim`). */
  readonly name?: string;
  /**
   * Attach the Kite JSON of each update as the report's raw message (default true, as paper trading stores it).
   * Backtests turn it off: the order manager then stores its own summary of the event.
   */
  readonly rawReports?: boolean;
}

/** Counters of a SimExecutionClient. */
export interface SimExecutionStats {
  /** Orders submitted. */
  readonly orders: number;
  /** Executions (fill reports). */
  readonly fills: number;
  /** Refused placements (submit-failed), REJECTED orders and refused modifications or cancellations. */
  readonly rejections: number;
  /** Orders cancelled: on request, IOC remainders, market-protection remainders and TTL expiries. */
  readonly cancels: number;
  /** Modifications applied. */
  readonly modifications: number;
}

interface InstrumentMarket {
  readonly lastPricePaise: Paise;
  readonly tick: Tick | null;
  /** The last bar when the market is fed bars (then `tick` is null), else null. */
  readonly bar: Bar | null;
  /** Quantity taken from each ask / bid level of `tick` by earlier orders. */
  readonly usedAsks: number[];
  readonly usedBids: number[];
}

function counter(name: string, start: number | undefined, fallback: number): number {
  const n = start ?? fallback;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvariantError(`${name} ${n} must be a positive safe integer`);
  return n;
}

function rupees(p: number): string {
  return (p / 100).toFixed(2);
}

function isStop(order: Order): boolean {
  return order.orderType === 'SL' || order.orderType === 'SL-M';
}

/**
 * The simulated venue for backtests and paper trading (DESIGN.md §3): it matches orders against the
 * ticks (onTick: last price, L1/L2 depth) or bars (onBar) it is fed, after a latency model's delay,
 * and reports exactly the sequences a Kite order produces, as OrderUpdateReceived reports for the order
 * manager: `submit` → `OPEN` (or `TRIGGER PENDING` → `OPEN` for stops) → `fill`… → `COMPLETE`;
 * `CANCELLED` with the cancelled quantity; `MODIFIED` with the new terms → `OPEN`/`TRIGGER PENDING`;
 * `REJECTED` for orders the venue's checks refuse and `submit-failed` for placements Kite refuses
 * outright. How orders fill on bars is set by the `barFill` policy and slippage by `slippageTicks` or a
 * `slippage` model (SimFillOptions). Everything is synchronous and deterministic under a TestClock.
 */
export class SimExecutionClient implements ExecutionClient {
  readonly #clock: Clock;
  readonly #instrument: (id: InstrumentId) => Instrument | null;
  readonly #latency: LatencyModel;
  readonly #fill: ResolvedFillOptions;
  readonly #name: string;
  readonly #rawReports: boolean;
  #handler: ExecutionHandler | null = null;
  readonly #orders = new Map<ClientOrderId, SimOrder>();
  readonly #working = new Map<InstrumentId, Set<SimOrder>>();
  readonly #markets = new Map<InstrumentId, InstrumentMarket>();
  readonly #outbox: ExecutionReport[] = [];
  #flushing = false;
  #nextVenueOrderId: number;
  #nextTradeId: number;
  #seq = 0;
  #orderCount = 0;
  #fillCount = 0;
  #rejectionCount = 0;
  #cancelCount = 0;
  #modificationCount = 0;

  /** Creates a venue with no orders and no market. */
  constructor(options: SimExecutionClientOptions) {
    this.#clock = options.clock;
    this.#instrument = options.instrument;
    this.#latency = options.latency ?? ZERO_LATENCY;
    this.#fill = resolveFillOptions(options.fill);
    this.#name = options.name ?? 'sim';
    this.#rawReports = options.rawReports ?? true;
    this.#nextVenueOrderId = counter('venueOrderIdStart', options.venueOrderIdStart, 250_000_000_000_001);
    this.#nextTradeId = counter('tradeIdStart', options.tradeIdStart, 10_000_001);
  }

  /** Sets the handler that receives every report. */
  setHandler(handler: ExecutionHandler): void {
    this.#handler = handler;
  }

  /** Records a new (INITIALIZED) order and sends it to the venue after the submit latency. */
  submit(order: Order): void {
    if (this.#handler === null) {
      throw new InvariantError(`order ${order.clientOrderId}: submit before setHandler`);
    }
    if (order.status !== 'INITIALIZED') {
      throw new InvariantError(
        `order ${order.clientOrderId} is ${order.status}; only INITIALIZED orders are sent`,
      );
    }
    if (this.#orders.has(order.clientOrderId)) {
      throw new InvariantError(`order ${order.clientOrderId} was already submitted to this simulator`);
    }
    const now = this.#clock.now();
    const venueOrderId = parseVenueOrderId(String(this.#nextVenueOrderId++));
    const sim: SimOrder = {
      seq: ++this.#seq,
      venueOrderId,
      order,
      instrument: null,
      state: 'in-flight',
      qty: order.qty,
      limitPricePaise: order.limitPricePaise,
      triggerPricePaise: order.triggerPricePaise,
      filledQty: 0,
      filledValuePaise: 0,
      cancelledQty: 0,
      modifications: 0,
      statusMessage: null,
      events: 0,
      requests: 0,
      pendingRequests: 0,
      lastRequestAtMs: now,
      awaitingBar: false,
      placedAtMs: now,
      venueAtMs: null,
      updatedAtMs: now,
    };
    this.#orders.set(order.clientOrderId, sim);
    this.#orderCount += 1;
    this.#schedule(sim, 'submit', this.#latency.submitMs(order), () => this.#arrive(sim));
    this.#flush();
  }

  /** Sends a modification; the venue applies or refuses it after the modify latency. */
  modify(command: ModifyOrder, order: Order): void {
    const sim = this.#known(command.clientOrderId, order);
    this.#schedule(sim, 'modify', this.#latency.modifyMs(), () => this.#applyModify(sim, command));
    this.#flush();
  }

  /** Sends a cancellation; the venue applies or refuses it after the cancel latency. */
  cancel(command: CancelOrder, order: Order): void {
    const sim = this.#known(command.clientOrderId, order);
    this.#schedule(sim, 'cancel', this.#latency.cancelMs(), () => this.#applyCancel(sim));
    this.#flush();
  }

  /** Takes a tick of `instrumentId` as the market from now on and matches its working orders against it. */
  onTick(instrumentId: InstrumentId, tick: Tick): void {
    this.#markets.set(instrumentId, {
      lastPricePaise: tick.lastPricePaise,
      tick,
      bar: null,
      usedAsks: [],
      usedBids: [],
    });
    for (const sim of [...(this.#working.get(instrumentId) ?? [])]) {
      if (sim.state === 'TRIGGER PENDING') this.#tryTrigger(sim);
      else if (sim.state === 'OPEN') this.#restingMatch(sim, tick);
    }
    this.#flush();
  }

  /**
   * Matches the working orders of the bar's instrument against the bar by the `barFill` policy — along
   * its adverse OHLC path (matchOnBar; `close`, `ohlc`) or at its open only (matchAtOpen; `next-open`) —
   * reporting in path order (then submission order); under `ohlc`/`next-open` cancels the rest of an IOC
   * order meeting its first bar; then takes the close as the last price. Feed an instrument either ticks
   * or bars, not both.
   */
  onBar(bar: Bar): void {
    const policy = this.#fill.barFill;
    const matches: { readonly sim: SimOrder; readonly match: BarMatch }[] = [];
    const firstBar: SimOrder[] = [];
    for (const sim of this.#working.get(bar.instrumentId) ?? []) {
      const instrument = this.#instrumentOf(sim);
      const first = sim.awaitingBar;
      if (first) {
        sim.awaitingBar = false;
        firstBar.push(sim);
      }
      const order = {
        side: sim.order.side,
        orderType: sim.order.orderType,
        qty: simLeavesQty(sim),
        limitPricePaise: sim.limitPricePaise,
        triggerPricePaise: sim.triggerPricePaise,
        triggered: sim.state === 'OPEN',
        takesOpen: first && policy === 'ohlc',
      };
      const match =
        policy === 'next-open'
          ? matchAtOpen(order, bar, instrument, this.#fill)
          : matchOnBar(order, bar, instrument, this.#fill);
      if (match.triggered || match.fills.length > 0) matches.push({ sim, match });
    }
    matches.sort((a, b) => a.match.step - b.match.step || a.sim.seq - b.sim.seq);
    for (const { sim, match } of matches) {
      if (!isWorking(sim)) continue;
      if (match.triggered) {
        sim.state = 'OPEN';
        this.#status(sim, 'OPEN');
      }
      for (const f of match.fills) this.#execute(sim, f.qty, f.pricePaise);
      if (simLeavesQty(sim) === 0) this.#complete(sim);
      else if (match.triggered && sim.order.validity === 'IOC') this.#ioc(sim);
    }
    for (const sim of firstBar) {
      if (sim.state === 'OPEN' && sim.order.validity === 'IOC') this.#ioc(sim);
    }
    this.#markets.set(bar.instrumentId, {
      lastPricePaise: bar.closePaise,
      tick: null,
      bar,
      usedAsks: [],
      usedBids: [],
    });
    this.#flush();
  }

  /** Returns the counters. */
  stats(): SimExecutionStats {
    return {
      orders: this.#orderCount,
      fills: this.#fillCount,
      rejections: this.#rejectionCount,
      cancels: this.#cancelCount,
      modifications: this.#modificationCount,
    };
  }

  #known(clientOrderId: ClientOrderId, order: Order): SimOrder {
    const sim = this.#orders.get(clientOrderId);
    if (sim === undefined || order.clientOrderId !== clientOrderId) {
      throw new InvariantError(
        `order ${clientOrderId} (order argument ${order.clientOrderId}) was never submitted to this simulator`,
      );
    }
    return sim;
  }

  #instrumentOf(sim: SimOrder): Instrument {
    if (sim.instrument === null) {
      throw new InvariantError(`order ${sim.order.clientOrderId} is working without an instrument`);
    }
    return sim.instrument;
  }

  // Requests of one order are handled in the order they were made: a later request never overtakes an
  // earlier one, even with a shorter latency (the venue sees one queue per order).
  #schedule(sim: SimOrder, what: string, delayMs: number, handle: () => void): void {
    if (!Number.isSafeInteger(delayMs) || delayMs < 0) {
      throw new InvariantError(
        `order ${sim.order.clientOrderId}: ${what} latency ${delayMs} must be integer ms ≥ 0`,
      );
    }
    const now = this.#clock.now();
    const at = Math.max(now + delayMs, sim.lastRequestAtMs);
    sim.lastRequestAtMs = at;
    if (at === now && sim.pendingRequests === 0) {
      handle();
      return;
    }
    sim.pendingRequests += 1;
    sim.requests += 1;
    this.#clock.setTimer(`${this.#name}:${sim.venueOrderId}:${what}:${sim.requests}`, at, () => {
      sim.pendingRequests -= 1;
      handle();
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#flushing) return;
    const handler = this.#handler;
    if (handler === null) {
      if (this.#outbox.length > 0) throw new InvariantError('simulator reports pending without a handler');
      return;
    }
    this.#flushing = true;
    try {
      for (let r = this.#outbox.shift(); r !== undefined; r = this.#outbox.shift()) handler(r);
    } finally {
      this.#flushing = false;
    }
  }

  #report(sim: SimOrder, update: OrderEvent, raw: JsonValue): void {
    this.#outbox.push(orderReport(sim, update, raw, this.#clock.now()));
  }

  #eventId(sim: SimOrder): string {
    sim.events += 1;
    return `${this.#name}:${sim.venueOrderId}:${sim.events}`;
  }

  #status(
    sim: SimOrder,
    status: KiteOrderStatus,
    extra: { readonly message?: string; readonly raw?: JsonValue } = {},
  ): void {
    const now = this.#clock.now();
    sim.updatedAtMs = now;
    const event = venueStatusEvent(sim, status, this.#eventId(sim), now, extra.message ?? sim.statusMessage);
    this.#report(sim, event, extra.raw ?? (this.#rawReports ? kiteOrderJson(sim, status) : null));
  }

  #arrive(sim: SimOrder): void {
    const order = sim.order;
    const instrument = this.#instrument(order.instrumentId);
    if (instrument === null) {
      this.#failSubmit(sim, `Invalid instrument: ${order.instrumentId} is not in the instrument list.`);
      return;
    }
    if (!isTradable(instrument)) {
      this.#failSubmit(sim, `${instrument.tradingSymbol} is an index and cannot be traded.`);
      return;
    }
    if (order.variety !== 'regular') {
      this.#failSubmit(sim, `Variety ${order.variety} is not supported by the simulated venue; use regular.`);
      return;
    }
    const now = this.#clock.now();
    sim.instrument = instrument;
    sim.venueAtMs = now;
    sim.updatedAtMs = now;
    this.#report(
      sim,
      { type: 'submit', id: this.#eventId(sim), ts: now, venueOrderId: sim.venueOrderId },
      { status: 'success', data: { order_id: sim.venueOrderId } },
    );
    const last = this.#markets.get(order.instrumentId)?.lastPricePaise ?? null;
    const problem =
      termsProblem(instrument, this.#terms(sim), last, true) ??
      (order.orderType === 'MARKET' && last === null
        ? `No market price is known for ${instrument.tradingSymbol}; a MARKET order cannot be protected and was rejected.`
        : null);
    if (problem !== null) {
      sim.state = 'REJECTED';
      sim.statusMessage = problem;
      sim.cancelledQty = sim.qty;
      this.#rejectionCount += 1;
      this.#status(sim, 'REJECTED');
      return;
    }
    this.#addWorking(sim);
    if (order.validity === 'TTL' && order.validityTtlMinutes !== null) {
      const minutes = order.validityTtlMinutes;
      this.#clock.setTimer(this.#ttlTimer(sim), now + minutes * 60_000, () => {
        if (isWorking(sim)) this.#cancelRemainder(sim, `TTL of ${minutes} minutes expired.`);
        this.#flush();
      });
    }
    if (isStop(order)) {
      sim.state = 'TRIGGER PENDING';
      this.#status(sim, 'TRIGGER PENDING');
      if (!this.#waitsForBar(sim)) this.#tryTrigger(sim);
    } else {
      sim.state = 'OPEN';
      this.#status(sim, 'OPEN');
      if (this.#waitsForBar(sim)) sim.awaitingBar = true;
      else this.#takeLiquidity(sim, true);
    }
  }

  /** Returns true when the order's market is a bar and the policy matches nothing until the next bar. */
  #waitsForBar(sim: SimOrder): boolean {
    return (
      this.#fill.barFill !== 'close' && (this.#markets.get(sim.order.instrumentId)?.bar ?? null) !== null
    );
  }

  #failSubmit(sim: SimOrder, reason: string): void {
    sim.state = 'failed';
    sim.statusMessage = reason;
    sim.cancelledQty = sim.qty;
    this.#rejectionCount += 1;
    this.#report(
      sim,
      { type: 'submit-failed', id: this.#eventId(sim), ts: this.#clock.now(), reason },
      kiteErrorJson(reason, 'InputException'),
    );
  }

  #terms(sim: SimOrder): CheckedTerms {
    return {
      side: sim.order.side,
      orderType: sim.order.orderType,
      qty: sim.qty,
      limitPricePaise: sim.limitPricePaise,
      triggerPricePaise: sim.triggerPricePaise,
    };
  }

  #ttlTimer(sim: SimOrder): string {
    return `${this.#name}:${sim.venueOrderId}:ttl`;
  }

  #addWorking(sim: SimOrder): void {
    const id = sim.order.instrumentId;
    let set = this.#working.get(id);
    if (set === undefined) {
      set = new Set();
      this.#working.set(id, set);
    }
    set.add(sim);
  }

  #finish(sim: SimOrder, state: SimOrderState): void {
    sim.state = state;
    this.#working.get(sim.order.instrumentId)?.delete(sim);
    if (sim.order.validity === 'TTL') this.#clock.cancelTimer(this.#ttlTimer(sim));
  }

  #tryTrigger(sim: SimOrder): void {
    const market = this.#markets.get(sim.order.instrumentId);
    const trigger = sim.triggerPricePaise;
    if (market === undefined || trigger === null) return;
    if (!isStopTriggered(sim.order.side, trigger, market.lastPricePaise)) return;
    sim.state = 'OPEN';
    this.#status(sim, 'OPEN');
    this.#takeLiquidity(sim, true);
  }

  /** Matches an order that just became active (arrival, trigger, modification) against the current market. */
  #takeLiquidity(sim: SimOrder, justActivated: boolean): void {
    const order = sim.order;
    const instrument = this.#instrumentOf(sim);
    const market = this.#markets.get(order.instrumentId);
    const marketLike = order.orderType === 'MARKET' || order.orderType === 'SL-M';
    if (market === undefined) {
      if (marketLike) {
        throw new InvariantError(
          `order ${order.clientOrderId}: a ${order.orderType} order is active with no market`,
        );
      }
    } else {
      const used = order.side === 'BUY' ? market.usedAsks : market.usedBids;
      const match = matchAggressive(
        {
          side: order.side,
          qty: simLeavesQty(sim),
          limitPricePaise: marketLike ? null : sim.limitPricePaise,
          protectionPct: marketLike ? this.#fill.marketProtectionPct : null,
        },
        {
          lastPricePaise: market.lastPricePaise,
          depth: market.tick?.depth ?? null,
          usedQty: used,
          tick: market.tick,
          bar: market.bar,
        },
        instrument,
        this.#fill,
      );
      for (const f of match.fills) {
        if (f.level !== null) used[f.level] = (used[f.level] ?? 0) + f.qty;
        this.#execute(sim, f.qty, f.pricePaise);
      }
      if (simLeavesQty(sim) === 0) {
        this.#complete(sim);
        return;
      }
      if (match.stoppedBy === 'protection' && match.protectionLimitPaise !== null) {
        this.#cancelRemainder(
          sim,
          `Remaining quantity ${simLeavesQty(sim)} could not be filled within the market protection limit ${rupees(match.protectionLimitPaise)} and was cancelled.`,
        );
        return;
      }
    }
    if (justActivated && order.validity === 'IOC') this.#ioc(sim);
  }

  #ioc(sim: SimOrder): void {
    this.#cancelRemainder(sim, `IOC order: unfilled quantity ${simLeavesQty(sim)} was cancelled.`);
  }

  #restingMatch(sim: SimOrder, tick: Tick): void {
    const limit = sim.limitPricePaise;
    if (limit === null) return;
    const fill = matchRestingLimit(
      {
        side: sim.order.side,
        limitPricePaise: limit,
        qty: simLeavesQty(sim),
        lotSize: this.#instrumentOf(sim).lotSize,
      },
      { lastPricePaise: tick.lastPricePaise, lastTradedQty: tick.lastTradedQty },
      this.#fill.limitFillRule,
      this.#fill.volumeParticipation,
    );
    if (fill === null) return;
    this.#execute(sim, fill.qty, fill.pricePaise);
    if (simLeavesQty(sim) === 0) this.#complete(sim);
  }

  #execute(sim: SimOrder, qty: number, pricePaise: Paise): void {
    const now = this.#clock.now();
    sim.filledQty += qty;
    sim.filledValuePaise += qty * pricePaise;
    sim.updatedAtMs = now;
    this.#fillCount += 1;
    const venueTradeId = parseVenueTradeId(String(this.#nextTradeId++));
    this.#report(
      sim,
      { type: 'fill', id: this.#eventId(sim), ts: now, venueTradeId, qty, pricePaise: paise(pricePaise) },
      this.#rawReports ? kiteOrderJson(sim, 'UPDATE') : null,
    );
  }

  #complete(sim: SimOrder): void {
    this.#finish(sim, 'COMPLETE');
    this.#status(sim, 'COMPLETE');
  }

  #cancelRemainder(sim: SimOrder, message: string | null): void {
    sim.cancelledQty = sim.qty - sim.filledQty;
    sim.statusMessage = message;
    this.#cancelCount += 1;
    this.#finish(sim, 'CANCELLED');
    this.#status(sim, 'CANCELLED');
  }

  /**
   * Answers a `kind` request the venue refuses, as KiteExecutionClient does: the order's current status
   * again (which ends PENDING_MODIFY, and which PENDING_CANCEL ignores until a final status), with the
   * message `<kind> refused: …` and a Kite error envelope as raw. A REJECTED or never-placed order gets
   * no answer (the order manager never sends requests for those, and PENDING_MODIFY has no REJECTED cell).
   */
  #refuse(sim: SimOrder, kind: 'modify' | 'cancel', message: string): void {
    this.#rejectionCount += 1;
    if (sim.state === 'failed' || sim.state === 'in-flight' || sim.state === 'REJECTED') return;
    this.#status(sim, sim.state, {
      message: `${kind} refused: ${message}`,
      raw: kiteErrorJson(message, 'InputException'),
    });
  }

  #applyCancel(sim: SimOrder): void {
    if (isWorking(sim)) {
      this.#cancelRemainder(sim, null);
      return;
    }
    this.#refuse(
      sim,
      'cancel',
      `Order ${sim.venueOrderId} cannot be cancelled as it is ${this.#stateWord(sim)}.`,
    );
  }

  #stateWord(sim: SimOrder): string {
    return sim.state === 'failed' ? 'not placed' : sim.state.toLowerCase();
  }

  #applyModify(sim: SimOrder, command: ModifyOrder): void {
    if (!isWorking(sim)) {
      this.#refuse(
        sim,
        'modify',
        `Order ${sim.venueOrderId} cannot be modified as it is ${this.#stateWord(sim)}.`,
      );
      return;
    }
    const last = this.#markets.get(sim.order.instrumentId)?.lastPricePaise ?? null;
    const check = modifyCheck(sim, command, this.#instrumentOf(sim), last);
    if (!check.ok) {
      this.#refuse(sim, 'modify', check.reason);
      return;
    }
    const { terms } = check;
    sim.qty = terms.qty;
    sim.limitPricePaise = terms.limitPricePaise;
    sim.triggerPricePaise = terms.triggerPricePaise;
    sim.modifications += 1;
    this.#modificationCount += 1;
    this.#status(sim, 'MODIFIED');
    if (sim.state === 'TRIGGER PENDING') {
      this.#status(sim, 'TRIGGER PENDING');
      if (!this.#waitsForBar(sim)) this.#tryTrigger(sim);
    } else {
      this.#status(sim, 'OPEN');
      if (this.#waitsForBar(sim)) sim.awaitingBar = true;
      else this.#takeLiquidity(sim, false);
    }
  }
}
