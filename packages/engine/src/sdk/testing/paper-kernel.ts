// A strategy test bench on the real trading path: Kernel, OrderManager, DefaultRiskEngine, Portfolio and an
// in-memory store, with a paper venue that acknowledges and fills every order completely at the last traded price
// `fillDelayMs` after it is sent. Tests feed bars and ticks and read what the kernel published.
import {
  noopLogger,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  SequentialIdGenerator,
  TestClock,
  NseCalendar,
  makeTick,
  intervalMs,
  type Bar,
  type Clock,
  type ExecutionClient,
  type ExecutionReport,
  type Fill,
  type Instrument,
  type InstrumentId,
  type Order,
  type OrderEvent,
  type OrderIntent,
  type Paise,
  type Product,
  type RiskDecision,
  type Signal,
} from '@kitepilot/core';
import { InProcessBus } from '../../kernel/in-process-bus.ts';
import { MapInstrumentCatalog } from '../../kernel/instrument-catalog.ts';
import { KernelClock } from '../../kernel/kernel-clock.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { InMemoryOrderStore } from '../../orders/in-memory-order-store.ts';
import { OrderManager } from '../../orders/order-manager.ts';
import type { TradingTimers } from '../../orders/trading-core.ts';
import { Portfolio } from '../../portfolio/portfolio.ts';
import { DefaultRiskEngine } from '../../risk/risk-engine.ts';
import { makeRiskLimits } from '../../risk/risk-limits.ts';
import type { PositionView, Strategy } from '../strategy.ts';
import { istMs } from './builders.ts';

/** Options of PaperKernel. */
export interface PaperKernelOptions {
  readonly instruments: readonly Instrument[];
  /** Clock start (default 09:14 IST on TEST_DAY). */
  readonly startMs?: number;
  /** The risk profile's daily loss cap (default ₹1,00,000); other limits are makeRiskLimits defaults. */
  readonly dailyLossCapPaise?: number;
  /** Delay between sending an order and its fill (default 200 ms). */
  readonly fillDelayMs?: number;
}

/** Fills every order completely at the last traded price of its instrument, `delayMs` after it is sent. */
class PaperVenue implements ExecutionClient {
  readonly #clock: Clock;
  readonly #delayMs: number;
  readonly #push: (report: ExecutionReport) => void;
  readonly lastPrices = new Map<InstrumentId, Paise>();

  constructor(clock: Clock, delayMs: number, push: (report: ExecutionReport) => void) {
    this.#clock = clock;
    this.#delayMs = delayMs;
    this.#push = push;
  }

  setHandler(): void {}
  modify(): void {}
  cancel(): void {}

  submit(order: Order): void {
    const at = this.#clock.now() + this.#delayMs;
    const venueOrderId = parseVenueOrderId(`9${order.clientOrderId.slice(4)}`);
    const price = order.limitPricePaise ?? this.lastPrices.get(order.instrumentId) ?? null;
    if (price === null)
      throw new Error(`paper venue: no last price for ${order.instrumentId}; feed a tick first`);
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
          tsEvent: at,
          tsInit: at,
        });
      }
    });
  }
}

/** One strategy on the real kernel and order manager, with a paper venue; everything published is recorded. */
export class PaperKernel {
  /** The account of the run (`acc_paper`). */
  readonly accountId = parseAccountId('acc_paper');
  readonly clock: TestClock;
  readonly kernel: Kernel;
  readonly signals: Signal[] = [];
  readonly intents: OrderIntent[] = [];
  readonly decisions: RiskDecision[] = [];
  readonly fills: Fill[] = [];
  readonly #trading: OrderManager;
  readonly #venue: PaperVenue;
  readonly #instruments: ReadonlyMap<InstrumentId, Instrument>;

  /** Wires the kernel around `strategy` (not started: call start()). */
  constructor(strategy: Strategy, options: PaperKernelOptions) {
    this.clock = new TestClock(options.startMs ?? istMs('09:14'));
    const clock = new KernelClock(this.clock);
    const ids = new SequentialIdGenerator();
    const bus = new InProcessBus();
    const store = new InMemoryOrderStore();
    const calendar = new NseCalendar();
    this.#instruments = new Map(options.instruments.map((i) => [i.id, i]));
    const instrument = (id: InstrumentId): Instrument | null => this.#instruments.get(id) ?? null;
    bus.subscribe('signal', (s) => this.signals.push(s));
    bus.subscribe('intent', (i) => this.intents.push(i));
    bus.subscribe('risk-decision', (d) => this.decisions.push(d));
    bus.subscribe('fill', (f) => this.fills.push(f));
    // The order manager needs its timers before the kernel exists; they bind to the kernel once it does.
    let kernel: Kernel | null = null;
    const bound = (): Kernel => {
      if (kernel === null)
        throw new Error('paper kernel: a trading timer was used before the kernel existed');
      return kernel;
    };
    const timers: TradingTimers = {
      set: (name, atMs) => bound().tradingTimers().set(name, atMs),
      cancel: (name) => bound().tradingTimers().cancel(name),
    };
    this.#venue = new PaperVenue(this.clock, options.fillDelayMs ?? 200, (report) =>
      bound().push({ kind: 'execution', report }),
    );
    bus.subscribe('tick', (t) => this.#venue.lastPrices.set(t.instrumentId, t.tick.lastPricePaise));
    this.#trading = new OrderManager({
      accountId: this.accountId,
      clock,
      ids,
      bus,
      store,
      risk: new DefaultRiskEngine(
        makeRiskLimits({ dailyLossCapPaise: paise(options.dailyLossCapPaise ?? 1_00_000_00) }),
      ),
      execution: this.#venue,
      instrument,
      calendar,
      portfolio: new Portfolio({ accountId: this.accountId, clock, instrument }),
      timers,
      logger: noopLogger,
    });
    kernel = new Kernel({
      accountId: this.accountId,
      runId: parseRunId('run_paper'),
      clock,
      ids,
      bus,
      trading: this.#trading,
      instruments: new MapInstrumentCatalog([...options.instruments]),
      calendar,
      logger: noopLogger,
      signals: store,
    });
    kernel.addStrategy(parseStrategyId('str_paper'), 'paper', strategy);
    this.kernel = kernel;
  }

  /** Starts the kernel (the strategy's onStart runs). */
  async start(): Promise<void> {
    await this.kernel.start();
  }

  /**
   * Moves the clock to `ms` one due timer at a time, letting the kernel finish what each one causes (an order sent
   * by a strategy timer gets its fill timer, which fires too when it is due by `ms`).
   */
  async advanceTo(ms: number): Promise<void> {
    for (;;) {
      const next = this.clock.pendingTimers()[0];
      if (next === undefined || next.atMs > ms) break;
      this.clock.advanceTo(Math.max(next.atMs, this.clock.now()));
      await this.kernel.idle();
    }
    if (ms > this.clock.now()) this.clock.advanceTo(ms);
    await this.kernel.idle();
  }

  /** Pushes a tick at `pricePaise` at `atMs` (default now). */
  async tick(instrumentId: InstrumentId, pricePaise: number, atMs: number = this.clock.now()): Promise<void> {
    await this.advanceTo(atMs);
    const instrument = this.#instruments.get(instrumentId);
    this.kernel.push({
      kind: 'tick',
      tick: {
        instrumentId,
        tick: makeTick({
          token: instrument?.token ?? 1,
          tradable: true,
          mode: 'ltp',
          lastPricePaise: paise(pricePaise),
          exchangeTs: this.clock.now(),
          tsInit: this.clock.now(),
        }),
      },
    });
    await this.kernel.idle();
  }

  /** Pushes a tick at the bar's close one second before it closes, then the bar at its close. */
  async bar(bar: Bar): Promise<void> {
    const closeAt = bar.start + intervalMs(bar.interval);
    await this.tick(bar.instrumentId, bar.closePaise, closeAt - 1_000);
    await this.advanceTo(closeAt);
    this.kernel.push({ kind: 'bar', bar });
    await this.kernel.idle();
  }

  /** Feeds the bars in order (see bar()). */
  async bars(bars: readonly Bar[]): Promise<void> {
    for (const b of bars) await this.bar(b);
  }

  /** Returns the account's position. */
  position(instrumentId: InstrumentId, product: Product = 'MIS'): PositionView {
    return this.#trading.position(this.accountId, instrumentId, product);
  }

  /** Returns the kernel's counters (strategiesHalted tells whether the strategy threw). */
  stats(): ReturnType<Kernel['stats']> {
    return this.kernel.stats();
  }
}
