// No look-ahead: a strategy never sees a bar before it closes. Checked two ways:
// - a recording strategy run by the backtester over fixture days, under every fill policy, records at each onBar,
//   timer (set inside bars) and order update what ctx.bars() holds; every bar it could see must have closed by
//   ctx.now(), the newest one must be the bar just delivered (or the last closed one), and onBar must come exactly
//   at the bar's close;
// - the kernel refuses a bar pushed before its close (InvariantError "only closed bars may enter", kernel.ts) and
//   accepts it at its close.
import { describe, expect, it } from 'vitest';
import {
  anInstrument,
  intervalMs,
  InvariantError,
  paise,
  type Bar,
  type InstrumentId,
} from '@kitepilot/core';
import {
  aBarSeries,
  PaperKernel,
  StrategyRegistry,
  type Strategy,
  type StrategyContext,
  type StrategyDefinition,
} from '@kitepilot/engine';
import { barSeriesFromBars } from '@kitepilot/research';
import { runBacktestSpec } from '../backtest-service.ts';
import { FILL_POLICIES, type FillPolicy } from '../backtest-spec.ts';
import { goldenBars } from './golden-bars.ts';
import { GOLDEN_FIXTURE, GOLDEN_INSTRUMENT, GOLDEN_SYMBOL } from './golden-cases.ts';
import { goldenServices } from './golden-run.ts';

const MINUTE_MS = intervalMs('1m');

/** What the recording strategy saw at one callback. */
interface Sighting {
  readonly on: 'bar' | 'timer' | 'order';
  readonly nowMs: number;
  /** The delivered bar's start (onBar only). */
  readonly barStart: number | null;
  /** Starts of every bar ctx.bars() returned. */
  readonly visible: readonly number[];
}

/** Records what it can see; trades a little (so order updates arrive) and sets timers inside bars. */
class RecordingStrategy implements Strategy {
  readonly seen: Sighting[] = [];
  #instrument: InstrumentId | null = null;
  #bars = 0;

  onStart(ctx: StrategyContext): void {
    const instrument = ctx.instrument(GOLDEN_SYMBOL);
    if (instrument === null) throw new Error(`${GOLDEN_SYMBOL} is unknown`);
    this.#instrument = instrument.id;
    ctx.subscribe(instrument.id, { bars: ['1m'] });
  }

  onBar(ctx: StrategyContext, bar: Bar): void {
    this.#record(ctx, 'bar', bar.start);
    this.#bars++;
    const id = this.#instrument as InstrumentId;
    // A timer 37 s into the next bar: it fires while that bar is forming.
    ctx.setTimer('inside', bar.start + MINUTE_MS + 37_000);
    const net = ctx.position(id).netQty;
    if (ctx.openOrders(id).length > 0) return;
    if (net === 0 && this.#bars % 40 === 0) {
      ctx.submit({
        instrumentId: id,
        side: 'BUY',
        qty: 1,
        orderType: 'MARKET',
        stopLossPaise: paise(Math.floor(bar.closePaise * 0.9)),
        reason: 'probe entry',
      });
    } else if (net > 0 && this.#bars % 40 === 20) {
      ctx.submit({
        instrumentId: id,
        side: 'SELL',
        qty: net,
        orderType: 'MARKET',
        stopLossPaise: null,
        reason: 'probe exit',
      });
    }
  }

  onTimer(ctx: StrategyContext): void {
    this.#record(ctx, 'timer', null);
  }

  onOrderUpdate(ctx: StrategyContext): void {
    this.#record(ctx, 'order', null);
  }

  #record(ctx: StrategyContext, on: Sighting['on'], barStart: number | null): void {
    const id = this.#instrument;
    if (id === null) return;
    this.seen.push({ on, nowMs: ctx.now(), barStart, visible: ctx.bars(id, '1m').map((b) => b.start) });
  }
}

async function recordRun(fill: FillPolicy, bars: readonly Bar[]): Promise<RecordingStrategy> {
  let strategy: RecordingStrategy | null = null;
  const definition: StrategyDefinition = {
    name: 'recording',
    description: 'records what it can see',
    params: {},
    create: () => (strategy = new RecordingStrategy()),
  };
  const services = { ...goldenServices(), registry: new StrategyRegistry([definition]) };
  await runBacktestSpec(
    {
      data: { kind: 'csv', path: 'unused.csv' },
      symbol: GOLDEN_SYMBOL,
      strategy: 'recording',
      params: {},
      product: 'MIS',
      cashRupees: 1_000_000,
      charges: 'none',
      fill,
      slippage: 'none',
      latencyMs: 0,
    },
    services,
    {
      series: barSeriesFromBars(bars),
      instrumentId: GOLDEN_INSTRUMENT,
      data: { source: 'fixture' },
      loadSeconds: 0,
    },
  );
  if (strategy === null) throw new Error('the recording strategy was never created');
  return strategy;
}

describe('no look-ahead in backtests', () => {
  const days = goldenBars({ ...GOLDEN_FIXTURE, dates: GOLDEN_FIXTURE.dates.slice(0, 2) });
  const closeOf = new Map(days.map((b) => [b.start, b.start + MINUTE_MS]));

  for (const fill of FILL_POLICIES) {
    it(`shows a strategy only bars closed by ctx.now() (fill ${fill})`, async () => {
      const { seen } = await recordRun(fill, days);
      const onBars = seen.filter((s) => s.on === 'bar');
      expect(onBars).toHaveLength(days.length);
      expect(seen.filter((s) => s.on === 'timer').length).toBeGreaterThan(days.length / 2);
      expect(seen.filter((s) => s.on === 'order').length).toBeGreaterThan(10);
      const problems: string[] = [];
      for (const s of seen) {
        for (const start of s.visible) {
          const close = closeOf.get(start);
          if (close === undefined || close > s.nowMs) {
            problems.push(`${s.on} at ${s.nowMs} saw the bar of ${start}, closing at ${close}`);
          }
        }
        // The newest visible bar is the last one closed by now: nothing newer, nothing held back.
        const closed = days.filter((b) => b.start + MINUTE_MS <= s.nowMs);
        const newest = closed.at(-1)?.start ?? null;
        if ((s.visible.at(-1) ?? null) !== newest) {
          problems.push(`${s.on} at ${s.nowMs}: newest visible ${s.visible.at(-1)}, newest closed ${newest}`);
        }
        if (s.on === 'bar' && s.nowMs !== (s.barStart as number) + MINUTE_MS) {
          problems.push(`the bar of ${s.barStart} was delivered at ${s.nowMs}, not at its close`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('the kernel refuses bars that have not closed', () => {
  const instrument = anInstrument();

  class Watcher implements Strategy {
    readonly bars: number[] = [];
    onStart(ctx: StrategyContext): void {
      ctx.subscribe(instrument.id, { bars: ['1m'] });
    }
    onBar(_ctx: StrategyContext, bar: Bar): void {
      this.bars.push(bar.start);
    }
  }

  it('takes a bar at its close', async () => {
    const watcher = new Watcher();
    const paper = new PaperKernel(watcher, { instruments: [instrument] });
    await paper.start();
    const [bar] = aBarSeries([100_00]);
    const b = bar as Bar;
    await paper.advanceTo(b.start + MINUTE_MS);
    paper.kernel.push({ kind: 'bar', bar: b });
    await paper.kernel.idle();
    expect(watcher.bars).toEqual([b.start]);
    expect(paper.kernel.failed).toBe(false);
  });

  it('stops with an InvariantError when a bar arrives 1 ms before its close, and the strategy never sees it', async () => {
    const watcher = new Watcher();
    const paper = new PaperKernel(watcher, { instruments: [instrument] });
    await paper.start();
    const [bar] = aBarSeries([100_00]);
    const b = bar as Bar;
    await paper.advanceTo(b.start + MINUTE_MS - 1);
    paper.kernel.push({ kind: 'bar', bar: b });
    const failure = await paper.kernel.idle().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InvariantError);
    expect((failure as Error).message).toMatch(
      /closes at \d+, after the kernel time \d+: only closed bars may enter/,
    );
    expect(watcher.bars).toEqual([]);
    expect(paper.kernel.failed).toBe(true);
    // A failed kernel takes no further input, not even the same bar once closed.
    expect(() => paper.kernel.push({ kind: 'bar', bar: b })).toThrow(InvariantError);
  });

  it('refuses a bar pushed at its own start (the look-ahead a bar feed could make)', async () => {
    const watcher = new Watcher();
    const paper = new PaperKernel(watcher, { instruments: [instrument] });
    await paper.start();
    const [, second] = aBarSeries([100_00, 101_00]);
    const b = second as Bar;
    await paper.advanceTo(b.start);
    paper.kernel.push({ kind: 'bar', bar: b });
    await expect(paper.kernel.idle()).rejects.toThrow(InvariantError);
    expect(watcher.bars).toEqual([]);
  });
});
