// A paper day through the kernel with the real OrderManager, DefaultRiskEngine, Portfolio and in-memory store,
// recorded, encoded, decoded and replayed through fresh instances: the signals, risk decisions and orders are
// identical (issue "Journal").
import {
  anInstrument,
  makeBar,
  makeTick,
  NseCalendar,
  noopLogger,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  SequentialIdGenerator,
  TestClock,
  type Bar,
  type Clock,
  type ExecutionClient,
  type ExecutionReport,
  type IntentId,
  type Order,
  type OrderEvent,
  type Paise,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../kernel/in-process-bus.ts';
import { MapInstrumentCatalog } from '../kernel/instrument-catalog.ts';
import { KernelClock } from '../kernel/kernel-clock.ts';
import { DeferredTradingTimers } from '../kernel/kernel-timers.ts';
import { Kernel } from '../kernel/kernel.ts';
import type { KernelTopics } from '../kernel/topics.ts';
import { InMemoryOrderStore } from '../orders/in-memory-order-store.ts';
import { OrderManager } from '../orders/order-manager.ts';
import { Portfolio } from '../portfolio/portfolio.ts';
import { DefaultRiskEngine } from '../risk/risk-engine.ts';
import { makeRiskLimits } from '../risk/risk-limits.ts';
import type { Strategy, StrategyContext, StrategyOrderUpdate } from '../sdk/strategy.ts';
import { decodeKernelInput, encodeKernelInput } from './journal-codec.ts';
import { MemoryJournal } from './journal-sink.ts';
import { ReplayClock } from './replay-clock.ts';
import { replayJournal } from './replay-journal.ts';

const ACCOUNT = parseAccountId('acc_paper');
const RELIANCE = anInstrument();
/** 2026-11-20 09:15 IST. */
const T0 = Date.UTC(2026, 10, 20, 3, 45);
const calendar = new NseCalendar();

/** Enters on a rising close (every other entry without a stop, which risk denies) and exits 2 minutes after a fill. */
class SwingStrategy implements Strategy {
  #prev: number | null = null;
  #busy: IntentId | null = null;
  #withStop = false;

  onStart(ctx: StrategyContext): void {
    ctx.subscribe(RELIANCE.id, { bars: ['1m'] });
  }

  onBar(ctx: StrategyContext, bar: Bar): void {
    const rising = this.#prev !== null && bar.closePaise > this.#prev;
    this.#prev = bar.closePaise;
    if (!rising || this.#busy !== null || ctx.position(RELIANCE.id).netQty !== 0) return;
    ctx.signal({ instrumentId: RELIANCE.id, direction: 'LONG', reason: 'rising close' });
    this.#withStop = !this.#withStop;
    this.#busy = ctx.submit({
      instrumentId: RELIANCE.id,
      side: 'BUY',
      qty: 2,
      orderType: 'LIMIT',
      limitPricePaise: bar.closePaise,
      stopLossPaise: this.#withStop ? paise(bar.closePaise - 200) : null,
      reason: 'rising close',
    });
  }

  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    const type = update.event.type;
    if (type === 'OrderDenied' || type === 'OrderRejected' || type === 'OrderCancelled') this.#busy = null;
    if (type === 'OrderFilled' && update.order?.status === 'FILLED') {
      if (update.order.side === 'BUY') ctx.setTimer('exit', ctx.now() + 120_000);
      else this.#busy = null;
    }
  }

  onTimer(ctx: StrategyContext): void {
    ctx.signal({ instrumentId: RELIANCE.id, direction: 'FLAT', reason: 'time exit' });
    this.#busy = ctx.submit({
      instrumentId: RELIANCE.id,
      side: 'SELL',
      qty: ctx.position(RELIANCE.id).netQty,
      orderType: 'MARKET',
      stopLossPaise: null,
      reason: 'time exit',
    });
  }
}

/** A paper venue: acknowledges, opens and fills every order 200 ms after it is sent, as four reports. */
class PushingVenue implements ExecutionClient {
  readonly #clock: Clock;
  readonly #push: (report: ExecutionReport) => void;
  lastPricePaise: Paise = paise(1000);

  constructor(clock: Clock, push: (report: ExecutionReport) => void) {
    this.#clock = clock;
    this.#push = push;
  }

  setHandler(): void {}

  submit(order: Order): void {
    const at = this.#clock.now() + 200;
    const venueOrderId = parseVenueOrderId(`26${order.clientOrderId.slice(4)}`);
    const price = order.limitPricePaise ?? this.lastPricePaise;
    const base = { venueOrderId, message: null, amendment: null, cancelledQty: 0 } as const;
    const events: OrderEvent[] = [
      { type: 'submit', id: `${venueOrderId}:1`, ts: at, venueOrderId },
      { type: 'venue-status', id: `${venueOrderId}:2`, ts: at, status: 'OPEN', filledQty: 0, ...base },
      {
        type: 'fill',
        id: `${venueOrderId}:3`,
        ts: at,
        venueTradeId: parseVenueTradeId(`T${venueOrderId}`),
        qty: order.qty,
        pricePaise: price,
      },
      {
        type: 'venue-status',
        id: `${venueOrderId}:4`,
        ts: at,
        status: 'COMPLETE',
        filledQty: order.qty,
        ...base,
      },
    ];
    this.#clock.setTimer(`venue:${order.clientOrderId}`, at, () => {
      for (const update of events) {
        this.#push({
          type: 'OrderUpdateReceived',
          accountId: order.accountId,
          clientOrderId: order.clientOrderId,
          intentId: order.intentId,
          venueOrderId,
          update,
          source: 'websocket',
          raw: { order_id: venueOrderId, status: update.type },
          tsEvent: at,
          tsInit: at,
        });
      }
    });
  }

  modify(): void {}

  cancel(): void {}
}

function build(base: Clock, replay: boolean) {
  const clock = new KernelClock(base);
  const ids = new SequentialIdGenerator();
  const bus = new InProcessBus();
  const store = new InMemoryOrderStore();
  const seen: { [K in 'signal' | 'risk-decision' | 'order' | 'fill' | 'intent']: KernelTopics[K][] } = {
    signal: [],
    'risk-decision': [],
    order: [],
    fill: [],
    intent: [],
  };
  bus.subscribe('signal', (p) => seen.signal.push(p));
  bus.subscribe('risk-decision', (p) => seen['risk-decision'].push(p));
  bus.subscribe('order', (p) => seen.order.push(p));
  bus.subscribe('fill', (p) => seen.fill.push(p));
  bus.subscribe('intent', (p) => seen.intent.push(p));
  let kernel: Kernel | null = null;
  // The order manager needs its timers before the kernel exists; they bind to the kernel once it does.
  const timers = new DeferredTradingTimers();
  const venue = new PushingVenue(base, (report) => {
    // In a replay the journal carries the reports: the venue stays silent.
    if (!replay) kernel!.push({ kind: 'execution', report });
  });
  bus.subscribe('tick', (t) => {
    venue.lastPricePaise = t.tick.lastPricePaise;
  });
  const instrument = (id: string) => (id === RELIANCE.id ? RELIANCE : null);
  const trading = new OrderManager({
    accountId: ACCOUNT,
    clock,
    ids,
    bus,
    store,
    risk: new DefaultRiskEngine(makeRiskLimits({ dailyLossCapPaise: paise(1_000_000) })),
    execution: venue,
    instrument,
    calendar,
    portfolio: new Portfolio({ accountId: ACCOUNT, clock, instrument }),
    timers,
    logger: noopLogger,
  });
  const journal = new MemoryJournal();
  kernel = new Kernel({
    accountId: ACCOUNT,
    runId: parseRunId('run_paper'),
    clock,
    ids,
    bus,
    trading,
    instruments: new MapInstrumentCatalog([RELIANCE]),
    calendar,
    logger: noopLogger,
    signals: store,
    journal,
    replay,
  });
  timers.bind(kernel.tradingTimers());
  kernel.addStrategy(parseStrategyId('str_swing'), 'swing', new SwingStrategy());
  return { kernel, journal, seen, trading };
}

async function recordDay() {
  const clock = new TestClock(T0);
  const run = build(clock, false);
  await run.kernel.start();
  for (let m = 0; m < 30; m++) {
    const close = 100_000 + ((m * 7) % 5) * 50;
    clock.advanceTo(T0 + m * 60_000 + 30_000);
    await run.kernel.idle();
    run.kernel.push({
      kind: 'tick',
      tick: {
        instrumentId: RELIANCE.id,
        tick: makeTick({
          token: RELIANCE.token,
          tradable: true,
          mode: 'ltp',
          lastPricePaise: paise(close),
          tsInit: clock.now(),
        }),
      },
    });
    await run.kernel.idle();
    clock.advanceTo(T0 + (m + 1) * 60_000);
    await run.kernel.idle();
    run.kernel.push({
      kind: 'bar',
      bar: makeBar({
        instrumentId: RELIANCE.id,
        interval: '1m',
        start: T0 + m * 60_000,
        openPaise: paise(close),
        highPaise: paise(close),
        lowPaise: paise(close),
        closePaise: paise(close),
        volume: 100,
        oi: null,
        origin: 'live',
      }),
    });
    await run.kernel.idle();
  }
  return run;
}

describe('replayJournal with the order manager', () => {
  it('reproduces the signals, risk decisions, intents, orders and fills of a recorded paper day', async () => {
    const recorded = await recordDay();
    const decisions = recorded.seen['risk-decision'];
    expect(decisions.some((d) => d.decision === 'deny' && d.code === 'stop-loss-required')).toBe(true);
    expect(decisions.filter((d) => d.decision === 'allow').length).toBeGreaterThanOrEqual(2);
    expect(recorded.seen.fill.length).toBeGreaterThanOrEqual(2);

    const lines = recorded.journal.inputs().map(encodeKernelInput);
    const replayed = build(new ReplayClock(T0), true);
    await replayed.kernel.start();
    await replayJournal({
      inputs: lines.map((l, i) => decodeKernelInput(l, i + 1)),
      kernel: replayed.kernel,
    });

    expect(replayed.seen.signal).toEqual(recorded.seen.signal);
    expect(replayed.seen.intent).toEqual(recorded.seen.intent);
    expect(replayed.seen['risk-decision']).toEqual(decisions);
    expect(replayed.seen.order).toEqual(recorded.seen.order);
    expect(replayed.seen.fill).toEqual(recorded.seen.fill);
    expect(replayed.trading.position(ACCOUNT, RELIANCE.id, 'MIS')).toEqual(
      recorded.trading.position(ACCOUNT, RELIANCE.id, 'MIS'),
    );
  });
});
