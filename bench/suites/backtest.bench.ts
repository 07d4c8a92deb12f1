// Backtest throughput (issue "Research"): 1,000,000 one-minute bars, SMA(10)/SMA(30) crossover (the built-in
// sma-cross, long-only, MIS, next-open fills, Zerodha charges, default risk), through the full kernel. Measured:
//   - end to end: reading + parsing the CSV file, then the run;
//   - after load: the run alone (bars already in memory);
//   - the bar path alone: the same kernel and data with an SMA(10)/SMA(30) strategy that never orders;
//   - a bare Node loop: split-and-parse the same CSV and run the same crossover rules with next-open fills and no
//     risk, orders or charges — the floor any engine pays.
// The data is a seeded random walk written to a temporary file (2,667 days × 375 bars from 2025-01-01, weekdays; Zerodha rate tables start in Oct 2024).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInstrument, NseCalendar, paise, type Bar } from '@kitepilot/core';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import { Sma } from '@kitepilot/indicators';
import { parseBarCsv, runBacktest, type BacktestOptions, type BarSeries } from '@kitepilot/research';
import { definition as smaCross } from '@kitepilot/strategy-sma-cross';
import type { StrategyDefinition } from '@kitepilot/engine';
import type { BenchResult, BenchSuite } from '../bench-types.ts';

const BARS = Number(process.env['KITEPILOT_BENCH_BARS'] ?? 1_000_000);

/** Writes the random-walk CSV and returns its path. */
function writeData(dir: string): string {
  let seed = 20_260_101;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const chunks: string[] = ['datetime,open,high,low,close,volume\n'];
  let price = 150_000;
  let day = Date.UTC(2025, 0, 1);
  let written = 0;
  const f = (p: number): string => `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
  while (written < BARS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const date = new Date(day).toISOString().slice(0, 10);
      const lines: string[] = [];
      for (let m = 0; m < 375 && written < BARS; m++, written++) {
        const t = 555 + m;
        const time = `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}:00`;
        const open = price;
        const close = Math.max(1_000, open + Math.round((random() - 0.5) * 60) * 5);
        const high = Math.max(open, close) + Math.round(random() * 6) * 5;
        const low = Math.min(open, close) - Math.round(random() * 6) * 5;
        price = close;
        lines.push(
          `${date} ${time},${f(open)},${f(high)},${f(low)},${f(close)},${1_000 + Math.floor(random() * 5_000)}`,
        );
      }
      chunks.push(`${lines.join('\n')}\n`);
    }
    day += 86_400_000;
  }
  const path = join(dir, 'bench-1m.csv');
  writeFileSync(path, chunks.join(''));
  return path;
}

const instrument = makeInstrument({
  exchange: 'NSE',
  type: 'EQ',
  tradingSymbol: 'BENCH',
  name: 'BENCH',
  token: 1,
  exchangeToken: 1,
  tickSizePaise: paise(5),
  lotSize: 1,
  freezeQty: null,
  expiry: null,
  strikePaise: null,
  underlying: null,
});

/** SMA(10)/SMA(30) updated on every bar, never ordering: the kernel's bar path with a strategy's work. */
const watchOnly: StrategyDefinition<never> = {
  name: 'watch-only',
  description: 'SMA(10)/SMA(30) without orders',
  params: {},
  create: () => {
    const fast = new Sma(10);
    const slow = new Sma(30);
    let crosses = 0;
    let previous = 0;
    return {
      onStart: (ctx) => ctx.subscribe(instrument.id, { bars: ['1m'] }),
      onBar: (_ctx, bar: Bar) => {
        const f = fast.update(bar.closePaise);
        const s = slow.update(bar.closePaise);
        if (f === null || s === null) return;
        const side = Math.sign(f - s);
        if (side !== 0 && side !== previous) crosses++;
        previous = side === 0 ? previous : side;
      },
      onStop: () => {
        if (crosses < 0) throw new Error('unreachable');
      },
    };
  },
};

function options(series: BarSeries, strategy: StrategyDefinition<never>): BacktestOptions {
  return {
    runId: 'run_bench',
    series,
    instrument,
    strategy,
    params: strategy.name === 'sma-cross' ? { fast: 10, slow: 30, stopPct: 50 } : {},
    qty: 10,
    product: 'MIS',
    startingCashPaise: 10_00_000_00,
    fees: new ZerodhaFeeModel(),
    chargesLabel: 'zerodha',
    fill: { barFill: 'next-open' },
    fillLabel: 'next-open',
    referenceCalendar: new NseCalendar(),
    data: { source: 'bench' },
  };
}

/** The same crossover rules in a plain loop over split CSV lines: trades counted, next-open fills, no platform. */
function bareLoop(text: string): { readonly trades: number; readonly pnl: number } {
  const lines = text.split('\n');
  const fast: number[] = [];
  const slow: number[] = [];
  let fastSum = 0;
  let slowSum = 0;
  let prevFast = NaN;
  let prevSlow = NaN;
  let pending: 'buy' | 'sell' | null = null;
  let entry = 0;
  let held = false;
  let trades = 0;
  let pnl = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line === '') continue;
    const parts = line.split(',');
    const open = Math.round(Number(parts[1]) * 100);
    const close = Math.round(Number(parts[4]) * 100);
    if (pending === 'buy') {
      entry = open;
      held = true;
    } else if (pending === 'sell') {
      pnl += (open - entry) * 10;
      held = false;
      trades++;
    }
    pending = null;
    fast.push(close);
    slow.push(close);
    fastSum += close;
    slowSum += close;
    if (fast.length > 10) fastSum -= fast.shift() as number;
    if (slow.length > 30) slowSum -= slow.shift() as number;
    if (slow.length < 30) continue;
    const f = fastSum / 10;
    const s = slowSum / 30;
    if (prevFast <= prevSlow && f > s && !held) pending = 'buy';
    else if (prevFast >= prevSlow && f < s && held) pending = 'sell';
    prevFast = f;
    prevSlow = s;
  }
  return { trades, pnl };
}

/** The backtest benchmark suite. */
export const backtestSuite: BenchSuite = {
  name: 'backtest',
  description: `${BARS.toLocaleString('en-IN')} one-minute bars, SMA(10)/SMA(30) sma-cross through the full kernel with risk and Zerodha charges`,
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'kitepilot-bench-backtest-'));
    try {
      const path = writeData(dir);
      // End to end: read, parse, run (the first run also warms the JIT for the after-load figure).
      const t0 = performance.now();
      const bytes = await readFile(path);
      const series = parseBarCsv(bytes, { source: path });
      const loaded = performance.now();
      const full = await runBacktest(options(series, smaCross as unknown as StrategyDefinition<never>));
      const t1 = performance.now();
      // After load: the run alone, again, on the warm process.
      const t2 = performance.now();
      const again = await runBacktest(options(series, smaCross as unknown as StrategyDefinition<never>));
      const t3 = performance.now();
      if (again.orderListHash !== full.orderListHash) throw new Error('two runs of the same backtest differ');
      const t4 = performance.now();
      const watch = await runBacktest(options(series, watchOnly));
      const t5 = performance.now();
      if (watch.counts.orders !== 0) throw new Error('the watch-only strategy sent orders');
      const t6 = performance.now();
      const text = await readFile(path, 'utf8');
      const bare = bareLoop(text);
      const t7 = performance.now();
      const perSecond = (ms: number): number => Math.round(series.length / (ms / 1000));
      return [
        {
          name: 'end to end (read + parse CSV + run)',
          value: perSecond(t1 - t0),
          unit: 'bars/s',
          seconds: (t1 - t0) / 1000,
          loadSeconds: (loaded - t0) / 1000,
          orders: full.counts.orders,
          trades: full.metrics.trades,
        },
        {
          name: 'after load (run only, warm)',
          value: perSecond(t3 - t2),
          unit: 'bars/s',
          seconds: (t3 - t2) / 1000,
          orders: again.counts.orders,
          usPerOrder: Math.round(((t3 - t2 - (t5 - t4)) * 1000) / Math.max(1, again.counts.orders)),
        },
        {
          name: 'bar path only (same kernel, strategy never orders)',
          value: perSecond(t5 - t4),
          unit: 'bars/s',
          seconds: (t5 - t4) / 1000,
        },
        {
          name: 'parse CSV only',
          value: perSecond(loaded - t0),
          unit: 'bars/s',
          seconds: (loaded - t0) / 1000,
        },
        {
          name: 'bare Node loop (split CSV + crossover, no platform)',
          value: perSecond(t7 - t6),
          unit: 'bars/s',
          seconds: (t7 - t6) / 1000,
          trades: bare.trades,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
