import { InvariantError, type CheckResult, type InstrumentId } from '@kitepilot/core';
import type { ExposureAfter } from '../exposure.ts';
import { formatPaise } from '../risk-format.ts';
import type { RiskSnapshot } from '../risk-types.ts';
import { fail, PASS, type CheckContext } from './check-context.ts';

/** Returns the instruments with a non-flat position or a working order (each may be open after its fills). */
export function openInstruments(snapshot: RiskSnapshot): Set<InstrumentId> {
  const net = new Map<InstrumentId, number>();
  for (const p of snapshot.positions) net.set(p.instrumentId, (net.get(p.instrumentId) ?? 0) + p.netQty);
  const open = new Set<InstrumentId>();
  for (const [id, n] of net) if (n !== 0) open.add(id);
  for (const o of snapshot.openOrders) open.add(o.instrumentId);
  return open;
}

/** Denies an entry that would make more instruments open (positions or working orders) than maxOpenPositions. */
export function checkMaxOpenPositions(ctx: CheckContext): CheckResult {
  const max = ctx.limits.maxOpenPositions;
  if (max === null) return PASS;
  const open = openInstruments(ctx.snapshot);
  open.add(ctx.intent.instrumentId);
  if (open.size <= max) return PASS;
  return fail(
    `${ctx.intent.instrumentId} would be open position ${open.size}; the limit is ${max} instruments with positions or working orders`,
  );
}

function exposureOf(ctx: CheckContext): ExposureAfter {
  if (ctx.exposure === null) {
    throw new InvariantError(`exposure of ${ctx.intent.instrumentId} was not computed before its check`);
  }
  return ctx.exposure;
}

/** Denies an entry after which |position + same-side working orders| × price of its instrument exceeds the cap. */
export function checkInstrumentExposure(ctx: CheckContext): CheckResult {
  const max = ctx.limits.maxInstrumentExposurePaise;
  if (max === null) return PASS;
  const exposure = exposureOf(ctx);
  if (exposure.instrumentPaise === null) {
    return fail(exposure.unknownReason ?? `no price is known for ${ctx.intent.instrumentId}`);
  }
  if (exposure.instrumentPaise <= BigInt(max)) return PASS;
  return fail(
    `exposure to ${ctx.intent.instrumentId} would be ${formatPaise(exposure.instrumentPaise)} (${exposure.instrumentQtyAfter} units) after this order, above the limit ${formatPaise(max)}`,
  );
}

/** Denies an entry after which the exposure summed over all instruments exceeds the cap. */
export function checkTotalExposure(ctx: CheckContext): CheckResult {
  const max = ctx.limits.maxTotalExposurePaise;
  if (max === null) return PASS;
  const exposure = exposureOf(ctx);
  if (exposure.totalPaise === null) {
    return fail(exposure.unknownReason ?? `no price is known to value the total exposure`);
  }
  if (exposure.totalPaise <= BigInt(max)) return PASS;
  return fail(
    `total exposure would be ${formatPaise(exposure.totalPaise)} after this order, above the limit ${formatPaise(max)}`,
  );
}
