// A test harness for SimExecutionClient: a TestClock, the client, and an order manager stand-in that
// applies every report through core's applyOrderEvent (so an illegal sequence throws in the test).
import {
  anInstrument,
  anOrder,
  applyOrderEvent,
  BUILDER_TS,
  InvariantError,
  makeBar,
  makeTick,
  paise,
  parseClientOrderId,
  parseIntentId,
  TestClock,
  SeededRandom,
  type Bar,
  type ClientOrderId,
  type Depth,
  type Instrument,
  type InstrumentId,
  type Order,
  type OrderIntent,
  type OrderUpdateReceived,
  type Paise,
  type Tick,
} from '@kitepilot/core';
import type { LatencyModel } from '../latency-model.ts';
import type { SimFillOptions } from '../sim-fill-options.ts';
import { SimExecutionClient } from '../sim-execution-client.ts';

/** Returns depth from `[pricePaise, qty]` pairs, best first. */
export function depthOf(
  asks: readonly (readonly [number, number])[],
  bids: readonly (readonly [number, number])[] = [],
): Depth {
  const level = ([p, q]: readonly [number, number]) => ({ pricePaise: paise(p), qty: q, orders: 1 });
  return { asks: asks.map(level), bids: bids.map(level) };
}

/** What a test may set on a tick besides the last price. */
export interface TickFields {
  readonly depth?: Depth | null;
  readonly lastTradedQty?: number | null;
}

/** Returns a one-line summary of a report's update (`submit`, `OPEN`, `fill 3@157380`, `submit-failed`…). */
export function describeUpdate(r: OrderUpdateReceived): string {
  const u = r.update;
  switch (u.type) {
    case 'venue-status':
      return u.status;
    case 'fill':
      return `fill ${u.qty}@${u.pricePaise}`;
    default:
      return u.type;
  }
}

/** The prices of a test bar (paise) and its volume (default 1000). */
export interface BarPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume?: number;
}

/** Options of simHarness. */
export interface HarnessOptions {
  readonly latency?: LatencyModel;
  readonly fill?: SimFillOptions;
  readonly instruments?: readonly Instrument[];
  readonly seed?: number;
  /** Called with each report and the order as it was before the report was applied. */
  readonly onReport?: (report: OrderUpdateReceived, before: Order) => void;
}

/** Returns a harness around a fresh SimExecutionClient (RELIANCE.NSE, tick ₹0.10, lot 1, by default). */
export function simHarness(options: HarnessOptions = {}) {
  const clock = new TestClock(BUILDER_TS);
  const instruments = new Map<InstrumentId, Instrument>(
    (options.instruments ?? [anInstrument()]).map((i) => [i.id, i]),
  );
  const client = new SimExecutionClient({
    clock,
    random: new SeededRandom(options.seed ?? 7),
    instrument: (id) => instruments.get(id) ?? null,
    ...(options.latency === undefined ? {} : { latency: options.latency }),
    ...(options.fill === undefined ? {} : { fill: options.fill }),
  });
  const reports: OrderUpdateReceived[] = [];
  const orders = new Map<ClientOrderId, Order>();
  let count = 0;
  let eventCount = 0;
  let barCount = 0;
  client.setHandler((report) => {
    if (report.type !== 'OrderUpdateReceived' || report.clientOrderId === null) {
      throw new InvariantError(`unexpected report ${report.type}`);
    }
    const order = orders.get(report.clientOrderId);
    if (order === undefined) throw new InvariantError(`report for unknown order ${report.clientOrderId}`);
    reports.push(report);
    options.onReport?.(report, order);
    orders.set(report.clientOrderId, applyOrderEvent(order, report.update));
  });
  const get = (id: ClientOrderId): Order => {
    const o = orders.get(id);
    if (o === undefined) throw new InvariantError(`no order ${id}`);
    return o;
  };
  const request = (id: ClientOrderId, type: 'modify-request' | 'cancel-request'): Order => {
    const next = applyOrderEvent(get(id), { type, id: `test:${++eventCount}`, ts: clock.now() });
    orders.set(id, next);
    return next;
  };
  return {
    clock,
    client,
    reports,
    /** Submits an order built from anIntent(overrides) with the next ids; returns its client order id. */
    submit(overrides: Partial<OrderIntent> = {}): ClientOrderId {
      count += 1;
      const clientOrderId = parseClientOrderId(`ord_${String(count).padStart(10, '0')}`);
      const order = anOrder({
        id: parseIntentId(`int_${String(count).padStart(10, '0')}`),
        clientOrderId,
        createdAt: clock.now(),
        ...overrides,
      });
      orders.set(clientOrderId, order);
      client.submit(order);
      return clientOrderId;
    },
    /** Returns the order as the reports made it. */
    order: get,
    /** Applies a modify-request (as the order manager does) and sends the modification. */
    modify(
      id: ClientOrderId,
      change: { qty?: number; limitPricePaise?: Paise; triggerPricePaise?: Paise },
    ): void {
      const order = request(id, 'modify-request');
      client.modify(
        {
          type: 'ModifyOrder',
          accountId: order.accountId,
          clientOrderId: id,
          qty: change.qty ?? null,
          limitPricePaise: change.limitPricePaise ?? null,
          triggerPricePaise: change.triggerPricePaise ?? null,
          tsEvent: clock.now(),
          tsInit: clock.now(),
        },
        order,
      );
    },
    /** Applies a cancel-request (as the order manager does) and sends the cancellation. */
    cancel(id: ClientOrderId): void {
      const order = request(id, 'cancel-request');
      client.cancel(
        {
          type: 'CancelOrder',
          accountId: order.accountId,
          clientOrderId: id,
          reason: 'test',
          tsEvent: clock.now(),
          tsInit: clock.now(),
        },
        order,
      );
    },
    /** Feeds a tick of `instrument` (default RELIANCE.NSE): full mode with depth, else ltp mode. */
    tick(lastPricePaise: number, fields: TickFields = {}, instrument?: Instrument): Tick {
      const inst = instrument ?? [...instruments.values()][0];
      if (inst === undefined) throw new InvariantError('no instrument');
      const depth = fields.depth ?? null;
      const tick = makeTick({
        token: inst.token,
        tradable: inst.type !== 'INDEX',
        mode: depth === null ? ((fields.lastTradedQty ?? null) === null ? 'ltp' : 'quote') : 'full',
        lastPricePaise: paise(lastPricePaise),
        lastTradedQty: fields.lastTradedQty ?? null,
        depth,
        tsInit: clock.now(),
      });
      client.onTick(inst.id, tick);
      return tick;
    },
    /**
     * Feeds the next 1m bar of `instrument` (default the first): bar n starts n minutes after BUILDER_TS,
     * and the clock is advanced to its close time first, as a backtest kernel hands over a closed bar.
     */
    bar(prices: BarPrices, instrument?: Instrument): Bar {
      const inst = instrument ?? [...instruments.values()][0];
      if (inst === undefined) throw new InvariantError('no instrument');
      const start = BUILDER_TS + barCount * 60_000;
      barCount += 1;
      if (clock.now() < start + 60_000) clock.advanceTo(start + 60_000);
      const bar = makeBar({
        instrumentId: inst.id,
        interval: '1m',
        start,
        openPaise: paise(prices.open),
        highPaise: paise(prices.high),
        lowPaise: paise(prices.low),
        closePaise: paise(prices.close),
        volume: prices.volume ?? 1000,
        oi: null,
        origin: 'historical',
      });
      client.onBar(bar);
      return bar;
    },
    /** Returns the update summaries of one order's reports, in order. */
    updates(id: ClientOrderId): string[] {
      return reports.filter((r) => r.clientOrderId === id).map(describeUpdate);
    },
  };
}
