// The bar backtester (DESIGN.md §3, environment "backtest"): the environment of backtest-environment.ts fed one
// closed bar at a time. For each bar, in this order:
//   1. the clock moves to the bar's start, firing every timer due by then (scheduler, square-off escalation, venue
//      latency), one at a time, each handled by the kernel before the next;
//   2. the venue sees the bar (SimExecutionClient.onBar at the bar's start): working orders match on it by the fill
//      policy, and their reports are handled by the kernel;
//   3. the clock moves to just before the bar's close, firing the timers due before it;
//   4. the bar enters the kernel at its close: positions are marked at its close (loss-cap monitor), strategies see
//      it, and what they send reaches the venue at that time;
//   5. the timers due exactly at the close fire (the 15:20 cutoff sees the bar that closed at 15:20).
// So a strategy never sees a bar before it closes (the kernel refuses one), and an order decided on a bar can fill
// at the earliest on that bar's close (`close` policy) or the next bar (`ohlc`, `next-open`).
import { performance } from 'node:perf_hooks';
import { intervalMs } from '@kitepilot/core';
import { barAt, type BarSeries } from '../bars/bar-series.ts';
import { barDays } from '../bars/data-calendar.ts';
import type { BacktestResult } from './backtest-result.ts';
import { openBacktest, type BacktestOptions } from './backtest-environment.ts';

/** Runs one backtest over `options.series` to its end and returns its result. */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const series: BarSeries = options.series;
  if (series.length === 0) throw new RangeError('the backtest has no bars');
  const env = await openBacktest(options, {
    firstMs: series.start[0] as number,
    days: barDays(series),
    intraday: series.interval !== '1d',
    inputs: series.length,
    interval: series.interval,
  });
  const { clock, kernel, sim } = env;
  const id = options.instrument.id;
  const span = intervalMs(series.interval);
  const loopStart = performance.now();
  for (let i = 0; i < series.length; i++) {
    const start = series.start[i] as number;
    const bar = barAt(series, i, id);
    // Timers are rare (a few a day): the common bar moves the clock without awaiting anything.
    let next = clock.nextTimerAtMs();
    if (next !== null && next <= start) await env.advance(start, true);
    else clock.advanceTo(start);
    sim.onBar(bar);
    if (kernel.busy) await kernel.idle();
    const end = start + span;
    next = clock.nextTimerAtMs();
    if (next !== null && next < end) await env.advance(end, false);
    else clock.advanceBefore(end);
    kernel.push({ kind: 'bar', bar });
    if (kernel.busy) await kernel.idle();
    next = clock.nextTimerAtMs();
    if (next !== null && next <= end) await env.advance(end, true);
    env.record(i, end, bar.closePaise);
  }
  return env.finish((performance.now() - loopStart) / 1000);
}
