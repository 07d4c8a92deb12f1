import { istToEpochMs, makeTick, NseCalendar, paise, type Bar, type InstrumentTick } from '@kitepilot/core';
import {
  anInstrument,
  type Strategy,
  type StrategyContext,
  type StrategyDefinition,
} from '@kitepilot/engine';
import { describe, expect, it } from 'vitest';
import type { BacktestCommonOptions } from './backtest-environment.ts';
import { runTickBacktest } from './run-tick-backtest.ts';

const instrument = anInstrument();
const DAY = '2026-03-02';

/**
 * A tick every 10 s from 09:15:05 for `minutes` minutes, last price rising ₹0.10 a tick from ₹100, with one bid and
 * one ask level ₹0.20 around it (ask qty 5: a larger buy walks the book).
 */
function ticks(minutes: number): InstrumentTick[] {
  const start = istToEpochMs(DAY, '09:15') + 5_000;
  return Array.from({ length: minutes * 6 }, (_, i) => {
    const last = 10_000 + i * 10;
    const at = start + i * 10_000;
    return {
      instrumentId: instrument.id,
      tick: makeTick({
        token: instrument.token,
        tradable: true,
        mode: 'full',
        lastPricePaise: paise(last),
        lastTradedQty: 10,
        volume: 1_000 + i * 10,
        exchangeTs: at,
        tsInit: at,
        depth: {
          bids: [{ pricePaise: paise(last - 20), qty: 100, orders: 1 }],
          asks: [
            { pricePaise: paise(last + 20), qty: 5, orders: 1 },
            { pricePaise: paise(last + 40), qty: 100, orders: 1 },
          ],
        },
      }),
    };
  });
}

/** Buys 10 at the close of the `buyAt`-th 1m bar (0-based) and sells 10 at the close of the `sellAt`-th. */
function onBars(buyAt: number, sellAt: number, seen: Bar[]): StrategyDefinition<never> {
  return {
    name: 'tick-scripted',
    description: 'buys and sells at fixed bars built from ticks',
    params: {},
    create: (): Strategy => ({
      onStart(ctx: StrategyContext) {
        ctx.subscribe(instrument.id, { bars: ['1m'] });
      },
      onBar(ctx: StrategyContext, bar: Bar) {
        seen.push(bar);
        const n = seen.length - 1;
        if (n !== buyAt && n !== sellAt) return;
        ctx.submit({
          instrumentId: bar.instrumentId,
          side: n === buyAt ? 'BUY' : 'SELL',
          qty: 10,
          orderType: 'MARKET',
          stopLossPaise: n === buyAt ? paise(bar.closePaise - 1_000) : null,
          reason: 'scripted',
        });
      },
    }),
  };
}

function options(strategy: StrategyDefinition<never>): BacktestCommonOptions {
  return {
    runId: 'run_tick1',
    instrument,
    strategy,
    params: {},
    startingCashPaise: 10_00_000_00,
    fees: null,
    chargesLabel: 'none',
    fill: {},
    fillLabel: 'tick',
    referenceCalendar: new NseCalendar(),
    data: { source: 'test' },
  };
}

describe('runTickBacktest', () => {
  it('builds bars from the ticks and fills market orders on the depth of the last tick before the bar closed', async () => {
    const seen: Bar[] = [];
    const result = await runTickBacktest({ ...options(onBars(1, 3, seen)), ticks: ticks(6) });
    // Bars close on the clock: minute k's bar holds ticks 6k … 6k+5; its close is the 6th tick's price.
    expect(seen.slice(0, 4).map((b) => [b.start, b.closePaise])).toEqual([
      [istToEpochMs(DAY, '09:15'), 10_050],
      [istToEpochMs(DAY, '09:16'), 10_110],
      [istToEpochMs(DAY, '09:17'), 10_170],
      [istToEpochMs(DAY, '09:18'), 10_230],
    ]);
    expect(result.trades).toHaveLength(1);
    const trade = result.trades[0];
    // The buy at 09:17:00 meets tick 11 (last ₹101.10): 5 at the ask ₹101.30, 5 at ₹101.50 → ₹101.40 average.
    expect(trade?.entryAtMs).toBe(istToEpochMs(DAY, '09:17'));
    expect(trade?.entryPricePaise).toBe(10_140);
    // The sell at 09:19:00 meets tick 23 (last ₹102.30): the bid ₹102.10.
    expect(trade?.exitPricePaise).toBe(10_210);
    expect(trade?.grossPnlPaise).toBe(10 * (10_210 - 10_140));
    expect(result.counts.bars).toBe(36);
    expect(result.config['interval']).toBe('tick');
  });

  it('squares off at 15:20 on ticks and refuses ticks out of time order or of another instrument', async () => {
    const late = ticks(1).map((t, i) => {
      const at = istToEpochMs(DAY, '15:18') + i * 30_000;
      return { ...t, tick: { ...t.tick, exchangeTs: at, tsInit: at } };
    });
    const seen: Bar[] = [];
    const result = await runTickBacktest({
      ...options(onBars(0, 99, seen)),
      risk: { entryWindow: { start: '09:15', end: '15:20' } },
      ticks: late,
    });
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]?.exitAtMs).toBeGreaterThanOrEqual(istToEpochMs(DAY, '15:20'));
    const reversed = ticks(1).reverse();
    await expect(runTickBacktest({ ...options(onBars(0, 1, [])), ticks: reversed })).rejects.toThrow(
      /tick 1 at \d+ is earlier than the tick before it/,
    );
    const other = ticks(1).map((t) => ({ ...t, instrumentId: 'INFY.NSE' as InstrumentTick['instrumentId'] }));
    await expect(runTickBacktest({ ...options(onBars(0, 1, [])), ticks: other })).rejects.toThrow(
      /tick 0 is of INFY.NSE, not RELIANCE.NSE/,
    );
    await expect(runTickBacktest({ ...options(onBars(0, 1, [])), ticks: [] })).rejects.toThrow(/no ticks/);
  });
});
