import type { CheckResult } from '@kitepilot/core';
import { formatPaise } from '../risk-format.ts';
import { describeIntent, fail, PASS, type CheckContext } from './check-context.ts';

/** Denies an entry whose value (qty × reference price) exceeds the max order value. */
export function checkOrderValue(ctx: CheckContext): CheckResult {
  const max = ctx.limits.maxOrderValuePaise;
  if (max === null) return PASS;
  const ref = ctx.referencePricePaise;
  const what = describeIntent(ctx.intent);
  if (ref === null) return fail(`no limit, trigger or last price is known for ${what} to value the order`);
  const value = BigInt(ctx.intent.qty) * BigInt(ref);
  if (value <= BigInt(max)) return PASS;
  return fail(
    `order value ${formatPaise(value)} of ${what} at ${formatPaise(ref)} exceeds the max order value ${formatPaise(max)}`,
  );
}

/** Returns how many of the snapshot's send times fall in the rolling second (now − 1000, now]. */
export function ordersInLastSecond(recentOrderTimesMs: readonly number[], nowMs: number): number {
  return recentOrderTimesMs.filter((t) => t > nowMs - 1000 && t <= nowMs).length;
}

/**
 * Denies an order when the orders sent in the last second plus this intent's orders (its slices) would exceed
 * maxOrdersPerSecond (≤ 10, the SEBI retail algo threshold, market-rules.md §5.1).
 */
export function checkOrdersPerSecond(ctx: CheckContext): CheckResult {
  const max = ctx.limits.maxOrdersPerSecond;
  const sent = ordersInLastSecond(ctx.snapshot.recentOrderTimesMs, ctx.snapshot.nowMs);
  if (sent + ctx.orderCount <= max) return PASS;
  return fail(
    `${sent} orders were sent in the last second and this intent sends ${ctx.orderCount}: the limit is ${max} per second; retry in a moment`,
  );
}

/** Denies an order when the orders sent today plus this intent's orders would exceed maxOrdersPerDay. */
export function checkOrdersPerDay(ctx: CheckContext): CheckResult {
  const max = ctx.limits.maxOrdersPerDay;
  if (max === null) return PASS;
  const sent = ctx.snapshot.ordersToday;
  if (sent + ctx.orderCount <= max) return PASS;
  return fail(
    `${sent} orders were sent today and this intent sends ${ctx.orderCount}: the limit is ${max} per day`,
  );
}
