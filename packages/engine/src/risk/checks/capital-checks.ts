import type { CheckResult } from '@kitepilot/core';
import { formatPaise } from '../risk-format.ts';
import { describeIntent, fail, PASS, type CheckContext } from './check-context.ts';

/**
 * Denies an entry when realised P&L + the worst case of every open position, working entry and this order at
 * their stops would lose more than the daily loss cap (DESIGN.md invariant 4), or when that loss is unbounded.
 */
export function checkDailyLossCap(ctx: CheckContext): CheckResult {
  const wc = ctx.worstCase;
  const cap = ctx.limits.dailyLossCapPaise;
  if (wc.totalPaise === null) {
    return fail(
      `the worst-case loss cannot be bounded: ${wc.unboundedReason ?? 'unknown risk'}; the daily loss cap is ${formatPaise(cap)}`,
    );
  }
  if (-wc.totalPaise <= BigInt(cap)) return PASS;
  return fail(
    `worst-case loss ${formatPaise(-wc.totalPaise)} would exceed the daily loss cap ${formatPaise(cap)} ` +
      `(realised ${formatPaise(wc.realisedPaise)}, open positions at their stops ${formatPaise(wc.positionsPaise)}, ` +
      `working entries ${formatPaise(wc.workingEntriesPaise)}, this order ${formatPaise(wc.newEntryPaise)})`,
  );
}

/** Denies an entry whose estimated margin exceeds the margin available, when the available margin is known. */
export function checkMargin(ctx: CheckContext): CheckResult {
  const available = ctx.snapshot.marginAvailablePaise;
  if (available === null) return PASS;
  const what = describeIntent(ctx.intent);
  if (ctx.margin === null)
    return fail(`no limit, trigger or last price is known for ${what} to estimate its margin`);
  if (!ctx.margin.ok) return fail(ctx.margin.reason);
  if (ctx.margin.marginPaise <= BigInt(available)) return PASS;
  return fail(
    `${what} needs an estimated margin of ${formatPaise(ctx.margin.marginPaise)} (${ctx.margin.basis}); ${formatPaise(available)} is available`,
  );
}
