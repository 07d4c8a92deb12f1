// IST trading-day arithmetic for strategy timers, shared by the built-in strategies (kept identical in each strategy
// package; a guard test compares the copies).
import { istDate, istToEpochMs } from '@kitepilot/core';
import type { StrategyContext } from '../strategy.ts';

/** Returns the epoch ms of `msOfDay` after IST midnight of `date`. */
export function istAt(date: string, msOfDay: number): number {
  return istToEpochMs(date, '00:00') + msOfDay;
}

/** Returns the first NSE trading day, today included, on which `msOfDay` IST is still ahead of the clock. */
export function nextTradingDayAt(ctx: StrategyContext, msOfDay: number): string {
  const today = istDate(ctx.now());
  if (ctx.calendar.isTradingDay(today) && ctx.now() < istAt(today, msOfDay)) return today;
  return ctx.calendar.nextTradingDay(today);
}
