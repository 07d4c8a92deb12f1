import {
  anInstrument,
  InvariantError,
  makeBar,
  makeTick,
  NseCalendar,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  SequentialIdGenerator,
  TestClock,
  type Bar,
  type InstrumentTick,
  type IntentId,
  type Signal,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { MemoryJournal } from '../journal/journal-sink.ts';
import type { Strategy, StrategyContext, StrategyOrderUpdate } from '../sdk/strategy.ts';
import { InProcessBus } from './in-process-bus.ts';
import { MapInstrumentCatalog } from './instrument-catalog.ts';
import { FakeTradingCore, RecordingLogger } from './kernel-test-support.ts';
import { Kernel } from './kernel.ts';
import type { Alert, StrategyHalted } from './topics.ts';

const ACCOUNT = parseAccountId('acc_test');
const RUN = parseRunId('run_test');
const RELIANCE = anInstrument();
/** 2026-11-20 09:15 IST. */
const T0 = Date.UTC(2026, 10, 20, 3, 45);
const calendar = new NseCalendar();

function setup(options: { replay?: boolean; denyAbove?: number } = {}) {
  const clock = new TestClock(T0);
  const ids = new SequentialIdGenerator();
  const logger = new RecordingLogger();
  const bus = new InProcessBus(logger);
  const trading = new FakeTradingCore({ bus, ids, clock, denyAbove: options.denyAbove ?? 50 });
  const journal = new MemoryJournal();
  const storedSignals: Signal[] = [];
  const alerts: Alert[] = [];
  const halts: StrategyHalted[] = [];
  bus.subscribe('alert', (a) => alerts.push(a));
  bus.subscribe('strategy-halted', (h) => halts.push(h));
  const kernel = new Kernel({
    accountId: ACCOUNT,
    runId: RUN,
    clock,
    ids,
    bus,
    trading,
    instruments: new MapInstrumentCatalog([RELIANCE]),
    calendar,
    logger,
    signals: {
      insertSignal: async (s) => {
        storedSignals.push(s);
      },
    },
    journal,
    replay: options.replay ?? false,
  });
  return { clock, ids, logger, bus, trading, journal, storedSignals, alerts, halts, kernel };
}

function tickAt(price: number, ts: number): InstrumentTick {
  return {
    instrumentId: RELIANCE.id,
    tick: makeTick({
      token: RELIANCE.token,
      tradable: true,
      mode: 'ltp',
      lastPricePaise: paise(price),
      tsInit: ts,
    }),
  };
}

function barAt(minute: number, close: number): Bar {
  return makeBar({
    instrumentId: RELIANCE.id,
    interval: '1m',
    start: T0 + minute * 60_000,
    openPaise: paise(close),
    highPaise: paise(close),
    lowPaise: paise(close),
    closePaise: paise(close),
    volume: 10,
    oi: null,
    origin: 'live',
  });
}

/** A strategy that records what it sees and runs a script on each bar. */
class ScriptedStrategy implements Strategy {
  readonly seen: string[] = [];
  onBarScript: ((ctx: StrategyContext, bar: Bar) => void) | null = null;
  onUpdateScript: ((ctx: StrategyContext, update: StrategyOrderUpdate) => void) | null = null;
  readonly #ticks: boolean;

  constructor(ticks = false) {
    this.#ticks = ticks;
  }

  onStart(ctx: StrategyContext): void {
    ctx.subscribe(RELIANCE.id, { ticks: this.#ticks, bars: ['1m'] });
    this.seen.push('start');
  }

  onTick(ctx: StrategyContext, tick: InstrumentTick): void {
    this.seen.push(`tick ${tick.tick.lastPricePaise} @${ctx.now()}`);
  }

  onBar(ctx: StrategyContext, bar: Bar): void {
    this.seen.push(`bar ${bar.closePaise}`);
    this.onBarScript?.(ctx, bar);
  }

  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.seen.push(`update ${update.event.type} ${update.intentId}`);
    this.onUpdateScript?.(ctx, update);
  }

  onTimer(ctx: StrategyContext, name: string): void {
    this.seen.push(`timer ${name} @${ctx.now()}`);
  }

  onStop(): void {
    this.seen.push('stop');
  }
}

describe('Kernel', () => {
  it('handles inputs in push order; inputs pushed during handling are queued after the current one', async () => {
    const { kernel, bus, trading, clock, journal } = setup();
    let pushedInside = false;
    bus.subscribe('tick', () => {
      if (pushedInside) return;
      pushedInside = true;
      kernel.push({
        kind: 'command',
        command: { type: 'Halt', accountId: ACCOUNT, actor: 'test', reason: 'inside' },
      });
      kernel.push({ kind: 'tick', tick: tickAt(2, clock.now()) });
    });
    kernel.push({ kind: 'tick', tick: tickAt(1, clock.now()) });
    await kernel.idle();
    expect(trading.calls).toEqual(['tick RELIANCE.NSE 1', 'command Halt', 'tick RELIANCE.NSE 2']);
    expect(journal.inputs().map((i) => i.kind)).toEqual(['tick', 'command', 'tick']);
  });

  it('awaits a promise from the trading core before the next input and stamps `at` when it handles it', async () => {
    const { kernel, trading, clock, journal } = setup();
    let release: () => void = () => undefined;
    trading.nextTickPromise = new Promise<void>((resolve) => {
      release = resolve;
    });
    kernel.push({ kind: 'tick', tick: tickAt(1, T0) });
    clock.advanceBy(5);
    kernel.push({ kind: 'tick', tick: tickAt(2, T0 + 5) });
    expect(trading.calls).toEqual(['tick RELIANCE.NSE 1']);
    expect(kernel.stats().queued).toBe(1);
    clock.advanceBy(20);
    release();
    await kernel.idle();
    expect(trading.calls).toEqual(['tick RELIANCE.NSE 1', 'tick RELIANCE.NSE 2']);
    expect(journal.inputs().map((i) => i.at)).toEqual([T0, T0 + 25]);
    expect(kernel.stats().queueHighWater).toBe(1);
  });

  it('delivers ticks and closed bars to subscribers only, and keeps the bar history', async () => {
    const { kernel, clock } = setup();
    const withTicks = new ScriptedStrategy(true);
    const barsOnly = new ScriptedStrategy(false);
    kernel.addStrategy(parseStrategyId('str_a'), 'a', withTicks);
    kernel.addStrategy(parseStrategyId('str_b'), 'b', barsOnly);
    await kernel.start();
    kernel.push({ kind: 'tick', tick: tickAt(101, T0) });
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 101) });
    await kernel.idle();
    expect(withTicks.seen).toEqual(['start', `tick 101 @${T0}`, 'bar 101']);
    expect(barsOnly.seen).toEqual(['start', 'bar 101']);
    expect(kernel.bars(RELIANCE.id, '1m').map((b) => b.closePaise)).toEqual([101]);
    expect(kernel.subscriptions()).toEqual({
      ticks: [RELIANCE.id],
      bars: [{ instrumentId: RELIANCE.id, interval: '1m' }],
    });
    expect(kernel.stats().inputs).toEqual({ tick: 1, bar: 1, execution: 0, timer: 0, command: 0 });
  });

  it('refuses a bar that has not closed at the kernel time (no look-ahead) by stopping', async () => {
    const { kernel, alerts } = setup();
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await expect(kernel.idle()).rejects.toThrow(/only closed bars may enter/);
    expect(kernel.failed).toBe(true);
    expect(alerts.map((a) => a.code)).toEqual(['kernel-stopped']);
  });

  it('builds intents with makeIntent from a request and runs queued actions after the handler returns', async () => {
    const { kernel, clock, trading, storedSignals, bus } = setup();
    const published: Signal[] = [];
    bus.subscribe('signal', (s) => published.push(s));
    const strategy = new ScriptedStrategy();
    let submitted: IntentId | null = null;
    strategy.onBarScript = (ctx, bar) => {
      ctx.signal({ instrumentId: bar.instrumentId, direction: 'LONG', reason: 'up' });
      submitted = ctx.submit({
        instrumentId: bar.instrumentId,
        side: 'BUY',
        qty: 5,
        orderType: 'LIMIT',
        limitPricePaise: bar.closePaise,
        stopLossPaise: paise(90),
        reason: 'breakout',
      });
      // Nothing has reached the trading core while the handler runs.
      expect(trading.calls).toEqual([]);
    };
    kernel.addStrategy(parseStrategyId('str_a'), 'a', strategy);
    await kernel.start();
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    expect(submitted).toBe('int_0000000001');
    expect(trading.intents).toEqual([
      {
        id: 'int_0000000001',
        accountId: ACCOUNT,
        strategyId: 'str_a',
        runId: RUN,
        instrumentId: RELIANCE.id,
        side: 'BUY',
        qty: 5,
        orderType: 'LIMIT',
        product: 'MIS',
        validity: 'DAY',
        validityTtlMinutes: null,
        limitPricePaise: 100,
        triggerPricePaise: null,
        stopLossPaise: 90,
        reason: 'breakout',
        tsEvent: T0 + 60_000,
        tsInit: T0 + 60_000,
      },
    ]);
    expect(published.map((s) => [s.id, s.direction, s.tsEvent])).toEqual([
      ['sig_0000000001', 'LONG', T0 + 60_000],
    ]);
    expect(storedSignals).toEqual(published);
    expect(strategy.seen).toContain('update OrderInitialized int_0000000001');
  });

  it('defers order updates until the trading call has finished, then runs the actions they queued', async () => {
    const { kernel, clock, trading } = setup({ denyAbove: 10 });
    const strategy = new ScriptedStrategy();
    strategy.onBarScript = (ctx, bar) => {
      ctx.submit({
        instrumentId: bar.instrumentId,
        side: 'BUY',
        qty: 20,
        orderType: 'MARKET',
        stopLossPaise: null,
        reason: 'too big',
      });
    };
    strategy.onUpdateScript = (ctx, update) => {
      trading.calls.push(`strategy saw ${update.event.type}`);
      if (update.event.type === 'OrderDenied') {
        ctx.submit({
          instrumentId: RELIANCE.id,
          side: 'BUY',
          qty: 10,
          orderType: 'MARKET',
          stopLossPaise: null,
          reason: 'smaller',
        });
      }
    };
    kernel.addStrategy(parseStrategyId('str_a'), 'a', strategy);
    await kernel.start();
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    expect(trading.calls).toEqual([
      `submit int_0000000001 strategy BUY 20 @${T0 + 60_000}`,
      'denied int_0000000001',
      'strategy saw OrderDenied',
      `submit int_0000000002 strategy BUY 10 @${T0 + 60_000}`,
      'sent ord_0000000001 for int_0000000002',
      'strategy saw OrderInitialized',
    ]);
  });

  it('halts a strategy that throws, alerts, drops what that call queued, and keeps the others running', async () => {
    const { kernel, clock, trading, alerts, halts, logger } = setup();
    const faulty = new ScriptedStrategy();
    const healthy = new ScriptedStrategy();
    faulty.onBarScript = (ctx, bar) => {
      if (bar.closePaise === 102) {
        ctx.submit({
          instrumentId: bar.instrumentId,
          side: 'BUY',
          qty: 1,
          orderType: 'MARKET',
          stopLossPaise: null,
          reason: 'never sent',
        });
        throw new Error('division by zero');
      }
    };
    kernel.addStrategy(parseStrategyId('str_faulty'), 'faulty', faulty);
    kernel.addStrategy(parseStrategyId('str_healthy'), 'healthy', healthy);
    await kernel.start();
    for (let m = 0; m < 3; m++) {
      clock.advanceTo(T0 + (m + 1) * 60_000);
      kernel.push({ kind: 'bar', bar: barAt(m, 101 + m) });
    }
    await kernel.idle();
    expect(faulty.seen).toEqual(['start', 'bar 101', 'bar 102']);
    expect(healthy.seen).toEqual(['start', 'bar 101', 'bar 102', 'bar 103']);
    expect(trading.calls).toEqual([]);
    expect(halts).toEqual([
      {
        strategyId: 'str_faulty',
        handler: 'onBar',
        error: 'Error: division by zero',
        ts: T0 + 2 * 60_000,
      },
    ]);
    expect(alerts).toMatchObject([{ level: 'critical', code: 'strategy-halted', strategyId: 'str_faulty' }]);
    expect(logger.errors).toHaveLength(1);
    expect(kernel.stats().strategiesHalted).toBe(1);
    expect(kernel.strategies().map((s) => s.state)).toEqual(['halted', 'running']);
  });

  it('halts a strategy whose request is invalid or that touches an intent it does not own', async () => {
    const { kernel, clock, halts } = setup();
    const badQty = new ScriptedStrategy();
    badQty.onBarScript = (ctx, bar) => {
      ctx.submit({
        instrumentId: bar.instrumentId,
        side: 'BUY',
        qty: 0,
        orderType: 'MARKET',
        stopLossPaise: null,
        reason: 'bad',
      });
    };
    const foreign = new ScriptedStrategy();
    foreign.onBarScript = (ctx) => ctx.cancel('int_0000000099' as IntentId, 'not mine');
    kernel.addStrategy(parseStrategyId('str_a'), 'a', badQty);
    kernel.addStrategy(parseStrategyId('str_b'), 'b', foreign);
    await kernel.start();
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    expect(halts.map((h) => [h.strategyId, h.error])).toEqual([
      ['str_a', expect.stringMatching(/quantity 0 must be a positive integer/)],
      ['str_b', expect.stringMatching(/cannot cancel intent int_0000000099/)],
    ]);
  });

  it('fires strategy timers through the stream at their time; cancel and re-set replace them', async () => {
    const { kernel, clock, journal } = setup();
    const strategy = new ScriptedStrategy();
    strategy.onBarScript = (ctx, bar) => {
      if (bar.closePaise === 100) {
        ctx.setTimer('exit', ctx.now() + 120_000);
        ctx.setTimer('dropped', ctx.now() + 30_000);
        ctx.cancelTimer('dropped');
        ctx.setTimer('moved', ctx.now() + 10_000);
        ctx.setTimer('moved', ctx.now() + 90_000);
      }
    };
    kernel.addStrategy(parseStrategyId('str_a'), 'a', strategy);
    await kernel.start();
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    clock.advanceTo(T0 + 10 * 60_000);
    await kernel.idle();
    expect(strategy.seen).toEqual([
      'start',
      'bar 100',
      `timer moved @${T0 + 150_000}`,
      `timer exit @${T0 + 180_000}`,
    ]);
    expect(journal.inputs().filter((i) => i.kind === 'timer')).toEqual([
      { kind: 'timer', owner: 'strategy:str_a', name: 'moved', at: T0 + 150_000 },
      { kind: 'timer', owner: 'strategy:str_a', name: 'exit', at: T0 + 180_000 },
    ]);
  });

  it('routes trading timers to the trading core and ignores a timer input whose timer was cancelled', async () => {
    const { kernel, clock, trading } = setup();
    const timers = kernel.tradingTimers();
    timers.set('square-off-escalation', T0 + 10_000);
    timers.set('cancelled', T0 + 5_000);
    timers.cancel('cancelled');
    clock.advanceTo(T0 + 20_000);
    await kernel.idle();
    kernel.push({ kind: 'timer', owner: 'trading', name: 'cancelled' });
    await kernel.idle();
    expect(trading.calls).toEqual([`timer square-off-escalation @${T0 + 10_000}`]);
    expect(kernel.stats().staleTimers).toBe(1);
  });

  it('sets no clock timer in replay mode', async () => {
    const { kernel, clock } = setup({ replay: true });
    kernel.tradingTimers().set('x', T0 + 1_000);
    const strategy = new ScriptedStrategy();
    strategy.onBarScript = (ctx) => ctx.setTimer('t', ctx.now() + 1_000);
    kernel.addStrategy(parseStrategyId('str_a'), 'a', strategy);
    await kernel.start();
    kernel.pushRecorded({ kind: 'bar', at: T0 + 60_000, bar: barAt(0, 100) });
    await kernel.idle();
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('stops on an InvariantError from the trading core: idle rejects, later pushes throw', async () => {
    const { kernel, trading, alerts } = setup();
    trading.commandError = new InvariantError('order state broken');
    kernel.push({
      kind: 'command',
      command: { type: 'KillSwitch', on: true, actor: 'owner', reason: 'test' },
    });
    await expect(kernel.idle()).rejects.toThrow('order state broken');
    expect(() => kernel.push({ kind: 'tick', tick: tickAt(1, T0) })).toThrow(/kernel stopped/);
    expect(alerts.map((a) => a.code)).toEqual(['kernel-stopped']);
  });

  it('calls onStop on stop() and delivers nothing afterwards', async () => {
    const { kernel, clock } = setup();
    const strategy = new ScriptedStrategy();
    kernel.addStrategy(parseStrategyId('str_a'), 'a', strategy);
    await kernel.start();
    await kernel.stop();
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    expect(strategy.seen).toEqual(['start', 'stop']);
    expect(() => kernel.addStrategy(parseStrategyId('str_b'), 'b', new ScriptedStrategy())).toThrow(
      /added after start/,
    );
  });

  it('cancels every timer on stop() and neither handles nor journals inputs pushed afterwards', async () => {
    const { kernel, clock, journal } = setup();
    kernel.addStrategy(parseStrategyId('str_a'), 'a', new ScriptedStrategy());
    await kernel.start();
    kernel.tradingTimers().set('later', T0 + 120_000);
    await kernel.stop();
    const journaled = journal.size;
    clock.advanceTo(T0 + 180_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    expect(journal.size).toBe(journaled);
    expect(kernel.stats().inputs.timer).toBe(0);
    expect(kernel.stats().ignoredAfterStop).toBe(1);
  });

  it('does not pass order updates published outside input handling (e.g. recovery) to strategies', async () => {
    const { kernel, bus, clock } = setup();
    const strategy = new ScriptedStrategy();
    kernel.addStrategy(parseStrategyId('str_a'), 'a', strategy);
    bus.publish('order', {
      event: {
        type: 'OrderDenied',
        accountId: ACCOUNT,
        intentId: 'int_0000000007' as IntentId,
        strategyId: parseStrategyId('str_a'),
        reason: 'recovered',
        tsEvent: T0,
        tsInit: T0,
      },
      order: null,
    });
    await kernel.start();
    clock.advanceTo(T0 + 60_000);
    kernel.push({ kind: 'bar', bar: barAt(0, 100) });
    await kernel.idle();
    expect(strategy.seen).toEqual(['start', 'bar 100']);
  });

  it('refuses context actions outside a handler', async () => {
    const { kernel } = setup();
    let saved: StrategyContext | null = null;
    kernel.addStrategy(parseStrategyId('str_a'), 'a', {
      onStart: (ctx) => {
        saved = ctx;
      },
    });
    await kernel.start();
    expect(() => saved!.signal({ instrumentId: RELIANCE.id, direction: 'FLAT', reason: 'late' })).toThrow(
      /outside one of its handlers/,
    );
  });
});
