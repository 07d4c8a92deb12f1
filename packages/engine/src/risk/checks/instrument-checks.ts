import { isOnTick, isTradable, roundToTick, type CheckResult, type Paise } from '@kitepilot/core';
import { maxSliceQty } from '../freeze-slices.ts';
import { formatPaise } from '../risk-format.ts';
import { fail, instrumentOf, PASS, type CheckContext } from './check-context.ts';

/** The most child orders one intent may be sliced into; beyond it the quantity is surely a mistake. */
export const MAX_FREEZE_SLICES = 100;

/** Returns true when the context is a strategy entry (allow/block lists apply only to those). */
function isStrategyEntry(ctx: CheckContext): boolean {
  return ctx.snapshot.origin === 'strategy' && ctx.classification.kind === 'entry';
}

/** Denies an intent whose instrument is not in the snapshot (unknown to today's instrument list). */
export function checkInstrumentUnknown(ctx: CheckContext): CheckResult {
  return ctx.snapshot.instrument === null
    ? fail(`instrument ${ctx.intent.instrumentId} is unknown: sync today's instruments or fix the symbol`)
    : PASS;
}

/**
 * Denies an index (never tradable); denies a strategy entry in a blocklisted instrument or one outside the
 * allowlist. Exits and system orders pass the lists so that a position can always be closed.
 */
export function checkInstrumentAllowed(ctx: CheckContext): CheckResult {
  const instrument = instrumentOf(ctx);
  if (!isTradable(instrument)) return fail(`${instrument.id} is an index and cannot be traded`);
  if (!isStrategyEntry(ctx)) return PASS;
  const { allowlist, blocklist } = ctx.limits;
  if (blocklist.includes(instrument.id)) {
    return fail(`${instrument.id} is on the risk profile's blocklist: entries are not allowed`);
  }
  if (allowlist !== null && !allowlist.includes(instrument.id)) {
    return fail(
      `${instrument.id} is not on the risk profile's allowlist (${allowlist.length} instruments): entries are not allowed`,
    );
  }
  return PASS;
}

/** Denies a quantity that is not a multiple of the lot size. */
export function checkLotSize(ctx: CheckContext): CheckResult {
  const { lotSize, id } = instrumentOf(ctx);
  const qty = ctx.intent.qty;
  if (qty % lotSize === 0) return PASS;
  const below = Math.floor(qty / lotSize) * lotSize;
  const hint = below > 0 ? `${below} or ${below + lotSize}` : `${lotSize}`;
  return fail(`quantity ${qty} is not a multiple of the lot size ${lotSize} of ${id}; use ${hint}`);
}

function offTick(name: string, price: Paise, tick: Paise, id: string): string {
  const down = roundToTick(price, tick, 'down');
  const up = roundToTick(price, tick, 'up');
  return `${name} ${formatPaise(price)} is not on the tick grid ${formatPaise(tick)} of ${id}; use ${formatPaise(down)} or ${formatPaise(up)}`;
}

/** Denies a limit or trigger price off the instrument's tick grid. */
export function checkTickSize(ctx: CheckContext): CheckResult {
  const { tickSizePaise, id } = instrumentOf(ctx);
  const { limitPricePaise, triggerPricePaise } = ctx.intent;
  if (limitPricePaise !== null && !isOnTick(limitPricePaise, tickSizePaise)) {
    return fail(offTick('limit price', limitPricePaise, tickSizePaise, id));
  }
  if (triggerPricePaise !== null && !isOnTick(triggerPricePaise, tickSizePaise)) {
    return fail(offTick('trigger price', triggerPricePaise, tickSizePaise, id));
  }
  return PASS;
}

/**
 * Passes a quantity within the freeze quantity, or one the context sliced; denies it above the freeze under the
 * `deny` policy (system orders are always sliced) or when it would need more than MAX_FREEZE_SLICES orders.
 */
export function checkFreezeQuantity(ctx: CheckContext): CheckResult {
  const { freezeQty, lotSize, id } = instrumentOf(ctx);
  const qty = ctx.intent.qty;
  if (freezeQty === null || qty <= freezeQty || ctx.slices !== null) return PASS;
  const maxSlice = maxSliceQty(lotSize, freezeQty);
  if (ctx.limits.freezeQtyPolicy === 'deny' && ctx.snapshot.origin !== 'system') {
    return fail(
      `quantity ${qty} exceeds the freeze quantity ${freezeQty} of ${id}: send at most ${maxSlice} per order, or set the freeze policy to slice`,
    );
  }
  const count = Math.ceil(qty / maxSlice);
  return fail(
    `quantity ${qty} of ${id} would need ${count} orders of at most ${maxSlice} (freeze quantity ${freezeQty}); the limit is ${MAX_FREEZE_SLICES}`,
  );
}

/** Denies a limit or trigger price outside the day's circuit band (inclusive) when the band is known. */
export function checkPriceBand(ctx: CheckContext): CheckResult {
  const band = ctx.snapshot.band;
  if (band === null) return PASS;
  const id = ctx.intent.instrumentId;
  const prices: [string, Paise | null][] = [
    ['limit price', ctx.intent.limitPricePaise],
    ['trigger price', ctx.intent.triggerPricePaise],
  ];
  for (const [name, price] of prices) {
    if (price !== null && (price < band.lowerPaise || price > band.upperPaise)) {
      return fail(
        `${name} ${formatPaise(price)} is outside today's price band ${formatPaise(band.lowerPaise)}–${formatPaise(band.upperPaise)} of ${id}`,
      );
    }
  }
  return PASS;
}
