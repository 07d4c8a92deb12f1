import {
  anInstrument,
  makeBar,
  makeTick,
  NseCalendar,
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
  type IntentId,
  type Order,
  type Signal,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../kernel/in-process-bus.ts';
import { MapInstrumentCatalog } from '../kernel/instrument-catalog.ts';
import { KernelClock } from '../kernel/kernel-clock.ts';
import { FakeTradingCore, RecordingLogger } from '../kernel/kernel-test-support.ts';
import { Kernel } from '../kernel/kernel.ts';
import type { Strategy, StrategyContext, StrategyOrderUpdate } from '../sdk/strategy.ts';
import { decodeKernelInput, encodeKernelInput } from './journal-codec.ts';
import { MemoryJournal } from './journal-sink.ts';
import { ReplayClock } from './replay-clock.ts';
import { replayJournal } from './replay-journal.ts';

const ACCOUNT = parseAccountId('acc_paper');
const RUN = parseRunId('run_day1');
const RELIANCE = anInstrument();
/** 2026-11-20 09:15 IST. */
const T0 = Date.UTC(2026, 10, 20, 3, 45);
const calendar = new NseCalendar();

/** Buys on a rising close (alternately too large, to be denied), exits on a timer 3 minutes after the fill. */
class DayStrategy implements Strategy {
  readonly log: string[] = [];
  #prevClose: number | null = null;
  #pending: IntentId | null = null;
  #big = true;
  #ticks = 0;

  onStart(ctx: StrategyContext): void {
    ctx.subscribe(RELIANCE.id, { ticks: true, bars: ['1m'] });
  }

  onTick(ctx: StrategyContext): void {
    this.#ticks++;
    if (this.#ticks % 25 === 0) {
      ctx.signal({
        instrumentId: RELIANCE.id,
        direction: 'FLAT',
        strength: 0,
        reason: `tick ${this.#ticks}`,
      });
    }
  }

  onBar(ctx: StrategyContext, bar: Bar): void {
    const rising = this.#prevClose !== null && bar.closePaise > this.#prevClose;
    this.#prevClose = bar.closePaise;
    if (!rising || this.#pending !== null || ctx.position(RELIANCE.id).netQty !== 0) return;
    ctx.signal({ instrumentId: RELIANCE.id, direction: 'LONG', strength: 0.5, reason: 'rising close' });
    this.#pending = ctx.submit({
      instrumentId: RELIANCE.id,
      side: 'BUY',
      qty: this.#big ? 100 : 10,
      orderType: 'LIMIT',
      limitPricePaise: bar.closePaise,
      stopLossPaise: paise(bar.closePaise - 50),
      reason: 'rising close',
    });
    this.#big = !this.#big;
  }

  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.log.push(`${ctx.now()} ${update.event.type} ${update.intentId}`);
    if (update.event.type === 'OrderDenied') this.#pending = null;
    if (update.event.type === 'OrderFilled' && update.order?.side === 'BUY') {
      ctx.setTimer('exit', ctx.now() + 180_000);
    }
    if (update.event.type === 'OrderFilled' && update.order?.side === 'SELL') this.#pending = null;
  }

  onTimer(ctx: StrategyContext, name: string): void {
    this.log.push(`${ctx.now()} timer ${name}`);
    this.#pending = ctx.submit({
      instrumentId: RELIANCE.id,
      side: 'SELL',
      qty: ctx.position(RELIANCE.id).netQty,
      orderType: 'MARKET',
      stopLossPaise: null,
      reason: 'time exit',
    });
  }
}

interface Run {
  readonly kernel: Kernel;
  readonly trading: FakeTradingCore;
  readonly strategy: DayStrategy;
  readonly signals: Signal[];
  readonly journal: MemoryJournal;
}

function build(
  base: Clock,
  replay: boolean,
  venue: (kernel: () => Kernel, clock: Clock) => (o: Order) => void,
): Run {
  const clock = new KernelClock(base);
  const ids = new SequentialIdGenerator();
  const bus = new InProcessBus();
  let kernelRef: Kernel | null = null;
  const trading = new FakeTradingCore({
    bus,
    ids,
    clock,
    denyAbove: 50,
    ...(replay ? {} : { venue: venue(() => kernelRef!, base) }),
  });
  const signals: Signal[] = [];
  bus.subscribe('signal', (s) => signals.push(s));
  const journal = new MemoryJournal();
  const kernel = new Kernel({
    accountId: ACCOUNT,
    runId: RUN,
    clock,
    ids,
    bus,
    trading,
    instruments: new MapInstrumentCatalog([RELIANCE]),
    calendar,
    logger: new RecordingLogger(),
    signals: { insertSignal: async () => undefined },
    journal,
    replay,
  });
  kernelRef = kernel;
  const strategy = new DayStrategy();
  kernel.addStrategy(parseStrategyId('str_day'), 'day', strategy);
  return { kernel, trading, strategy, signals, journal };
}

/** A venue that fills each order 250 ms after it was sent, at its limit price or 1000 paise. */
const fillingVenue =
  (kernel: () => Kernel, clock: Clock) =>
  (order: Order): void => {
    const sentAt = clock.now();
    clock.setTimer(`venue:${order.clientOrderId}`, sentAt + 250, () =>
      kernel().push({
        kind: 'execution',
        report: {
          type: 'OrderUpdateReceived',
          accountId: order.accountId,
          clientOrderId: order.clientOrderId,
          intentId: order.intentId,
          venueOrderId: parseVenueOrderId(`9${order.clientOrderId.slice(4)}`),
          update: {
            type: 'fill',
            id: `fill:${order.clientOrderId}`,
            ts: sentAt + 250,
            venueTradeId: parseVenueTradeId(`T${order.clientOrderId.slice(4)}`),
            qty: order.qty,
            pricePaise: order.limitPricePaise ?? paise(1000),
          },
          source: 'websocket',
          raw: { order_id: order.clientOrderId, status: 'COMPLETE' },
          tsEvent: sentAt + 250,
          tsInit: sentAt + 250,
        },
      }),
    );
  };

function price(minute: number, k: number): number {
  return 1000 + ((minute * 7 + k * 3) % 11) * 5;
}

async function recordPaperDay(): Promise<Run> {
  const clock = new TestClock(T0);
  const run = build(clock, false, fillingVenue);
  await run.kernel.start();
  for (let m = 0; m < 40; m++) {
    const prices: number[] = [];
    for (let k = 0; k < 4; k++) {
      clock.advanceTo(T0 + m * 60_000 + k * 15_000);
      await run.kernel.idle();
      prices.push(price(m, k));
      run.kernel.push({
        kind: 'tick',
        tick: {
          instrumentId: RELIANCE.id,
          tick: makeTick({
            token: RELIANCE.token,
            tradable: true,
            mode: 'quote',
            lastPricePaise: paise(price(m, k)),
            volume: m * 4 + k,
            tsInit: clock.now(),
          }),
        },
      });
      await run.kernel.idle();
    }
    clock.advanceTo(T0 + (m + 1) * 60_000);
    await run.kernel.idle();
    const bar: Bar = makeBar({
      instrumentId: RELIANCE.id,
      interval: '1m',
      start: T0 + m * 60_000,
      openPaise: paise(prices[0]!),
      highPaise: paise(Math.max(...prices)),
      lowPaise: paise(Math.min(...prices)),
      closePaise: paise(prices[3]!),
      volume: 4,
      oi: null,
      origin: 'live',
    });
    run.kernel.push({ kind: 'bar', bar });
    if (m === 20) {
      run.kernel.push({
        kind: 'command',
        command: { type: 'CancelAll', accountId: ACCOUNT, strategyId: null, actor: 'owner', reason: 'check' },
      });
    }
    await run.kernel.idle();
  }
  await run.kernel.stop();
  return run;
}

describe('replayJournal', () => {
  it('replays a recorded paper day to identical signals, intents, trading calls and order updates', async () => {
    const recorded = await recordPaperDay();
    const calls = recorded.trading.calls;
    // The day is not trivial: denials, fills, timer exits and commands happened.
    expect(calls.some((c) => c.startsWith('denied'))).toBe(true);
    expect(calls.filter((c) => c.startsWith('filled')).length).toBeGreaterThanOrEqual(4);
    expect(recorded.strategy.log.some((l) => l.endsWith('timer exit'))).toBe(true);
    const lines = recorded.journal.inputs().map(encodeKernelInput);
    expect(new Set(recorded.journal.inputs().map((i) => i.kind))).toEqual(
      new Set(['tick', 'bar', 'execution', 'timer', 'command']),
    );

    const decoded = lines.map((line, i) => decodeKernelInput(line, i + 1));
    const replayClock = new ReplayClock(T0);
    const replayed = build(replayClock, true, fillingVenue);
    await replayed.kernel.start();
    const count = await replayJournal({ inputs: decoded, kernel: replayed.kernel });
    await replayed.kernel.stop();

    expect(count).toBe(lines.length);
    expect(replayed.signals).toEqual(recorded.signals);
    expect(replayed.trading.intents).toEqual(recorded.trading.intents);
    expect(replayed.trading.calls).toEqual(calls);
    expect(replayed.strategy.log).toEqual(recorded.strategy.log);
    expect(replayed.journal.inputs()).toEqual(recorded.journal.inputs());
  });

  it('reads inputs from an async iterable', async () => {
    const replayed = build(new ReplayClock(T0), true, fillingVenue);
    await replayed.kernel.start();
    async function* lines() {
      yield decodeKernelInput(
        encodeKernelInput({ kind: 'timer', at: T0 + 5, owner: 'trading', name: 'never-armed' }),
        1,
      );
    }
    expect(await replayJournal({ inputs: lines(), kernel: replayed.kernel })).toBe(1);
    expect(replayed.kernel.stats().staleTimers).toBe(1);
  });
});
