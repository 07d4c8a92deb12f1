import { istDate, istMillisOfDay, istTime, type CheckResult } from '@kitepilot/core';
import { timeOfDayMs } from '../time-of-day.ts';
import { fail, PASS, type CheckContext } from './check-context.ts';

/** Denies every strategy order while the kill switch is on (the owner flattens explicitly). */
export function checkKillSwitch(ctx: CheckContext): CheckResult {
  return ctx.snapshot.killSwitch
    ? fail(`the kill switch is on: no strategy orders are sent until the owner turns it off`)
    : PASS;
}

/**
 * Denies every strategy order (entries and exits) on a position the system is closing: the strategy's exit and the
 * system's closing order could both fill and reverse the position past the cutoff.
 */
export function checkPositionClosing(ctx: CheckContext): CheckResult {
  return ctx.snapshot.positionClosing
    ? fail(
        `the system is closing this position (square-off, flatten or loss-cap exit): strategy orders on it wait until it is flat`,
      )
    : PASS;
}

/** Denies strategy entries while the account is halted for the day. */
export function checkTradingHalted(ctx: CheckContext): CheckResult {
  const halted = ctx.snapshot.haltedReason;
  return halted === null
    ? PASS
    : fail(`new entries are halted for the day (${halted}); exits are still allowed`);
}

/** Denies strategy entries on a non-trading day or outside the IST entry window [start, end). */
export function checkTradingWindow(ctx: CheckContext): CheckResult {
  const { nowMs, tradingDay } = ctx.snapshot;
  if (!tradingDay) return fail(`${istDate(nowMs)} is not a trading day: entries are blocked`);
  const { start, end } = ctx.limits.entryWindow;
  const t = istMillisOfDay(nowMs);
  if (t < timeOfDayMs(start) || t >= timeOfDayMs(end)) {
    return fail(
      `entries are allowed from ${start} to ${end} IST; it is ${istTime(nowMs)} IST (exits are still allowed)`,
    );
  }
  return PASS;
}
