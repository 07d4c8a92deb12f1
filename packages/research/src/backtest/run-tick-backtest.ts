// The tick backtester: the environment of backtest-environment.ts fed recorded ticks, with the venue matching on
// each tick's last price and market depth (the tick-level fill model — the same matching paper trading uses) and
// bars for strategies built from the ticks by the engine's BarAggregator. For each tick at time t, in this order:
//   1. bars that closed by t (on the clock: a bar closes at its end even before the next tick) enter the kernel at
//      their close, each after the timers due before its close and before the timers due at it;
//   2. the timers due by t fire;
//   3. the venue sees the tick (resting orders match on its price and depth; a new order takes its depth);
//   4. the tick enters the kernel at t: positions are marked at its last price, the loss-cap monitor runs,
//      strategies subscribed to ticks see it;
//   5. the tick goes into the bars being built.
// Orders sent at a bar's close meet the last tick before that close — the market when the bar closed.
import { performance } from 'node:perf_hooks';
import { intervalMs, istDate, type Bar, type BarInterval, type InstrumentTick } from '@kitepilot/core';
import { BarAggregator } from '@kitepilot/engine';
import type { BacktestResult } from './backtest-result.ts';
import { openBacktest, type BacktestCommonOptions } from './backtest-environment.ts';

/** What runTickBacktest takes. */
export interface TickBacktestOptions extends BacktestCommonOptions {
  /** The instrument's ticks in time order (time = exchange timestamp, else the receive time). */
  readonly ticks: readonly InstrumentTick[];
  /** The bar intervals built from the ticks for strategies (default 1m). */
  readonly barIntervals?: readonly BarInterval[];
}

function tickTime(t: InstrumentTick): number {
  return t.tick.exchangeTs ?? t.tick.tsInit;
}

/** Runs one backtest over `options.ticks` and returns its result (`counts.bars` counts ticks here). */
export async function runTickBacktest(options: TickBacktestOptions): Promise<BacktestResult> {
  const { ticks, instrument } = options;
  const first = ticks[0];
  if (first === undefined) throw new RangeError('the backtest has no ticks');
  const days: string[] = [];
  let previous = -Infinity;
  for (let i = 0; i < ticks.length; i++) {
    const tick = ticks[i] as InstrumentTick;
    if (tick.instrumentId !== instrument.id) {
      throw new RangeError(`tick ${i} is of ${tick.instrumentId}, not ${instrument.id}`);
    }
    const t = tickTime(tick);
    if (t < previous)
      throw new RangeError(`tick ${i} at ${t} is earlier than the tick before it (${previous})`);
    previous = t;
    const day = istDate(t);
    if (days[days.length - 1] !== day) days.push(day);
  }
  const intervals = options.barIntervals ?? ['1m'];
  const longest = Math.max(...intervals.map(intervalMs));
  const env = await openBacktest(options, {
    firstMs: tickTime(first),
    days,
    intraday: true,
    inputs: ticks.length,
    interval: 'tick',
  });
  const { clock, kernel, sim } = env;
  const closed: Bar[] = [];
  const aggregator = new BarAggregator({
    intervals,
    emptyBars: 'skip',
    origin: 'historical',
    onBar: (bar) => closed.push(bar),
  });
  const pushClosed = async (): Promise<void> => {
    for (const bar of closed.splice(0)) {
      const end = bar.start + intervalMs(bar.interval);
      await env.advance(end, false);
      await env.push({ kind: 'bar', bar });
      await env.advance(end, true);
    }
  };
  const loopStart = performance.now();
  for (let i = 0; i < ticks.length; i++) {
    const instrumentTick = ticks[i] as InstrumentTick;
    const t = tickTime(instrumentTick);
    aggregator.onTime(t);
    if (closed.length > 0) await pushClosed();
    const next = clock.nextTimerAtMs();
    if (next !== null && next <= t) await env.advance(t, true);
    else if (t > clock.now()) clock.advanceTo(t);
    sim.onTick(instrumentTick.instrumentId, instrumentTick.tick);
    if (kernel.busy) await kernel.idle();
    await env.push({ kind: 'tick', tick: instrumentTick });
    aggregator.onTick(instrumentTick.instrumentId, instrumentTick.tick);
    env.record(i, t, instrumentTick.tick.lastPricePaise);
  }
  // The bars still open when the data ends close on the clock.
  aggregator.onTime(previous + longest);
  if (closed.length > 0) await pushClosed();
  return env.finish((performance.now() - loopStart) / 1000);
}
