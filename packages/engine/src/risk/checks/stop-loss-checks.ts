import type { CheckResult } from '@kitepilot/core';
import { formatPaise } from '../risk-format.ts';
import { describeIntent, fail, PASS, type CheckContext } from './check-context.ts';

/** Denies an entry without a stop-loss when the risk profile requires one. */
export function checkStopLossRequired(ctx: CheckContext): CheckResult {
  if (!ctx.limits.requireStopLoss || ctx.intent.stopLossPaise !== null) return PASS;
  return fail(
    `entry ${describeIntent(ctx.intent)} has no stop-loss; the risk profile requires one on every entry`,
  );
}

/** Denies a stop that is not positive, or not below a BUY entry's reference price / above a SELL entry's. */
export function checkStopLossInvalid(ctx: CheckContext): CheckResult {
  const stop = ctx.intent.stopLossPaise;
  if (stop === null) return PASS;
  if (stop <= 0) return fail(`stop-loss ${stop} paise must be positive`);
  const ref = ctx.referencePricePaise;
  const what = describeIntent(ctx.intent);
  if (ref === null) {
    return fail(`no limit, trigger or last price is known for ${what} to check its stop-loss against`);
  }
  if (ctx.intent.side === 'BUY' && stop >= ref) {
    return fail(
      `stop-loss ${formatPaise(stop)} of the BUY entry ${what} must be below its price ${formatPaise(ref)}`,
    );
  }
  if (ctx.intent.side === 'SELL' && stop <= ref) {
    return fail(
      `stop-loss ${formatPaise(stop)} of the SELL entry ${what} must be above its price ${formatPaise(ref)}`,
    );
  }
  return PASS;
}
