// Slippage calibration from recorded fills: every MARKET and SL-M order of an account over a range of IST days that
// filled becomes one sample — the market price when the order was created (the last tick at or before it, else the
// close of the last 1-minute bar that ended by then) against the order's average fill price — and the samples fit
// a slippage model of @kitepilot/sim (`fixed-bps` or `volatility-participation`). The answer names the
// `--slippage` flag that makes `kitepilot backtest` use the fitted model. Reads go through the store repositories.
import {
  istToEpochMs,
  type AccountId,
  type Bar,
  type DataNamespace,
  type InstrumentId,
  type Order,
} from '@kitepilot/core';
import {
  calibrateSlippage,
  type CalibratedSlippageModel,
  type SlippageCalibration,
  type SlippageSample,
} from '@kitepilot/sim';
import type { Store } from '@kitepilot/store';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far before an order's creation a tick may be and still be its reference price. */
export const REFERENCE_TICK_LOOKBACK_MS = 2 * MINUTE_MS;
/** How far before an order's creation the 1-minute bar of the fallback reference price may have ended. */
export const REFERENCE_BAR_LOOKBACK_MS = 5 * MINUTE_MS;
/** The longest range of IST days one calibration reads. */
export const MAX_CALIBRATION_DAYS = 366;

/** The models a calibration fits. */
export const SLIPPAGE_CALIBRATION_MODELS: readonly CalibratedSlippageModel[] = [
  'fixed-bps',
  'volatility-participation',
];

/** A query the caller can fix (bad date, inverted or too long range, unknown model); the message names the value. */
export class SlippageQueryError extends Error {
  override name = 'SlippageQueryError';
}

/** No order of the range gives a usable sample; the message says why. */
export class NoSlippageSamplesError extends Error {
  override name = 'NoSlippageSamplesError';
}

/** What collectSlippageSamples reads: one account's orders over IST dates, prices from one namespace. */
export interface SlippageSampleQuery {
  readonly accountId: AccountId;
  /** First IST date, YYYY-MM-DD. */
  readonly from: string;
  /** Last IST date (inclusive), YYYY-MM-DD. */
  readonly to: string;
  /** Where the ticks and bars of the reference prices are read. */
  readonly namespace: DataNamespace;
}

/** Where a sample's reference price came from. */
export type ReferenceSource = 'tick' | 'bar';

/** A sample together with the order it came from. */
export interface CollectedSlippageSample extends SlippageSample {
  readonly clientOrderId: string;
  readonly instrumentId: InstrumentId;
  /** Epoch ms the order was created (the reference time). */
  readonly createdAt: number;
  /** Epoch ms of the order's first fill. */
  readonly firstFillAt: number;
  readonly referenceSource: ReferenceSource;
  /** The volume, high and low of the 1-minute bar containing the first fill; null when none is stored. */
  readonly volume: number | null;
  readonly highPaise: number | null;
  readonly lowPaise: number | null;
}

/** Why a filled market order gave no sample. */
export type SkippedOrderReason = 'no-reference-price' | 'no-stored-fills';

/** A filled market order that gave no sample. */
export interface SkippedSlippageOrder {
  readonly clientOrderId: string;
  readonly instrumentId: InstrumentId;
  readonly reason: SkippedOrderReason;
}

/** The outcome of collectSlippageSamples. */
export interface SlippageSampleSet {
  /** Orders created in the range (all types and states). */
  readonly orders: number;
  /** MARKET and SL-M orders in the range with a filled quantity. */
  readonly filledMarketOrders: number;
  readonly samples: readonly CollectedSlippageSample[];
  readonly skipped: readonly SkippedSlippageOrder[];
}

/** Returns the UTC ms range [fromMs, toMs) of IST dates from..to; throws SlippageQueryError naming a bad value. */
export function istDateRange(from: string, to: string): { readonly fromMs: number; readonly toMs: number } {
  const start = istMidnight('from', from);
  const end = istMidnight('to', to);
  if (end < start) throw new SlippageQueryError(`to ${to} is before from ${from}`);
  const days = (end - start) / DAY_MS + 1;
  if (days > MAX_CALIBRATION_DAYS) {
    throw new SlippageQueryError(
      `the range ${from}..${to} spans ${days} days; at most ${MAX_CALIBRATION_DAYS} are read at once`,
    );
  }
  return { fromMs: start, toMs: end + DAY_MS };
}

function istMidnight(name: string, date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new SlippageQueryError(`${name} ${JSON.stringify(date)} is not an IST date YYYY-MM-DD`);
  }
  try {
    return istToEpochMs(date, '00:00');
  } catch (error) {
    throw new SlippageQueryError(`${name} ${JSON.stringify(date)} is not a calendar date`, { cause: error });
  }
}

/** Returns the model named by `value`; throws SlippageQueryError naming an unknown one. */
export function slippageModelOf(value: string): CalibratedSlippageModel {
  const found = SLIPPAGE_CALIBRATION_MODELS.find((m) => m === value);
  if (found === undefined) {
    throw new SlippageQueryError(
      `model ${JSON.stringify(value)} must be one of ${SLIPPAGE_CALIBRATION_MODELS.join(', ')}`,
    );
  }
  return found;
}

/** Returns true for the order types that fill at the market: MARKET, and SL-M once triggered. */
export function isMarketOrder(order: Pick<Order, 'orderType'>): boolean {
  return order.orderType === 'MARKET' || order.orderType === 'SL-M';
}

/** Returns the last traded price of the last tick in (atMs − lookback, atMs], or null. */
async function lastTickPrice(
  store: Store,
  namespace: DataNamespace,
  id: InstrumentId,
  atMs: number,
): Promise<number | null> {
  const ticks = await store.ticks.read(namespace, id, atMs - REFERENCE_TICK_LOOKBACK_MS, atMs + 1);
  const last = ticks.at(-1);
  return last === undefined ? null : last.tick.lastPricePaise;
}

/** Returns the close of the last 1-minute bar that ended at or before atMs (within the lookback), or null. */
async function lastClosedBarClose(
  store: Store,
  namespace: DataNamespace,
  id: InstrumentId,
  atMs: number,
): Promise<number | null> {
  // A bar that started at s ended at s + 1m; it has ended by atMs when s ≤ atMs − 1m.
  const bars = await store.bars.read(
    namespace,
    id,
    '1m',
    atMs - REFERENCE_BAR_LOOKBACK_MS,
    atMs - MINUTE_MS + 1,
  );
  const last = bars.at(-1);
  return last === undefined ? null : last.closePaise;
}

/** Returns the 1-minute bar whose minute contains atMs, or null. */
async function barContaining(
  store: Store,
  namespace: DataNamespace,
  id: InstrumentId,
  atMs: number,
): Promise<Bar | null> {
  const start = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
  const bars = await store.bars.read(namespace, id, '1m', start, start + 1);
  return bars[0] ?? null;
}

/**
 * Returns one slippage sample per filled MARKET or SL-M order the account created on the IST dates from..to:
 * side, filled quantity, the reference price (the last traded price of the last tick at or before the order's
 * creation within REFERENCE_TICK_LOOKBACK_MS, else the close of the last 1-minute bar that ended at or before it
 * within REFERENCE_BAR_LOOKBACK_MS), the average fill price (exact, unrounded), and the volume, high and low of the
 * 1-minute bar containing the first fill (null when no such bar is stored). A filled market order without a
 * reference price, or without stored fills, is listed in `skipped` with the reason. Throws SlippageQueryError on
 * a bad date range.
 */
export async function collectSlippageSamples(
  store: Store,
  query: SlippageSampleQuery,
): Promise<SlippageSampleSet> {
  const { fromMs, toMs } = istDateRange(query.from, query.to);
  const orders = await store.orders.listBetween(query.accountId, fromMs, toMs);
  const market = orders.filter((o) => isMarketOrder(o) && o.filledQty > 0);
  const samples: CollectedSlippageSample[] = [];
  const skipped: SkippedSlippageOrder[] = [];
  for (const order of market) {
    const id = order.instrumentId;
    const fills = await store.fills.listByOrder(query.accountId, order.clientOrderId);
    const first = fills[0];
    if (first === undefined) {
      skipped.push({ clientOrderId: order.clientOrderId, instrumentId: id, reason: 'no-stored-fills' });
      continue;
    }
    const tickPrice = await lastTickPrice(store, query.namespace, id, order.createdAt);
    const reference = tickPrice ?? (await lastClosedBarClose(store, query.namespace, id, order.createdAt));
    if (reference === null) {
      skipped.push({ clientOrderId: order.clientOrderId, instrumentId: id, reason: 'no-reference-price' });
      continue;
    }
    const bar = await barContaining(store, query.namespace, id, first.tsEvent);
    samples.push({
      clientOrderId: order.clientOrderId,
      instrumentId: id,
      createdAt: order.createdAt,
      firstFillAt: first.tsEvent,
      referenceSource: tickPrice === null ? 'bar' : 'tick',
      side: order.side,
      qty: order.filledQty,
      referencePricePaise: reference,
      fillPricePaise: order.filledValuePaise / order.filledQty,
      volume: bar?.volume ?? null,
      highPaise: bar?.highPaise ?? null,
      lowPaise: bar?.lowPaise ?? null,
    });
  }
  return { orders: orders.length, filledMarketOrders: market.length, samples, skipped };
}

/** A calibration over an account's recorded fills, as the CLI prints it and the API answers it. */
export interface SlippageCalibrationReport extends SlippageCalibration {
  readonly accountId: AccountId;
  readonly from: string;
  readonly to: string;
  readonly namespace: DataNamespace;
  /** Orders created in the range (all types and states). */
  readonly orders: number;
  /** MARKET and SL-M orders in the range with a filled quantity. */
  readonly filledMarketOrders: number;
  /** Filled market orders that gave no sample (besides `skipped`, the samples the model could not use). */
  readonly skippedOrders: readonly SkippedSlippageOrder[];
  /** Samples whose reference price is a tick's last price (the rest use a bar close). */
  readonly tickReferences: number;
  /** The `--slippage` value of `kitepilot backtest` for the fitted model: `bps:N` or `vol:K`. */
  readonly slippageFlag: string;
}

/** Returns the `--slippage` flag value of a fitted model: `bps:N` (2 decimals) or `vol:K` (4 significant digits). */
export function slippageFlagOf(model: CalibratedSlippageModel, parameter: number): string {
  if (model === 'fixed-bps') return `bps:${Number(parameter.toFixed(2))}`;
  return `vol:${parameter === 0 ? 0 : Number(parameter.toPrecision(4))}`;
}

/**
 * Collects the samples of `query` and fits `model`. Throws SlippageQueryError on a bad query and
 * NoSlippageSamplesError, saying why, when the range has no filled market order, none has a reference price, or
 * (volatility-participation) none has a stored 1-minute bar with volume and a range at its fill.
 */
export async function calibrateSlippageFromStore(
  store: Store,
  query: SlippageSampleQuery,
  model: CalibratedSlippageModel,
): Promise<SlippageCalibrationReport> {
  slippageModelOf(model);
  const set = await collectSlippageSamples(store, query);
  const range = `${query.accountId} on ${query.from}..${query.to} (IST)`;
  if (set.filledMarketOrders === 0) {
    throw new NoSlippageSamplesError(
      `no MARKET or SL-M orders with fills for ${range}: ${set.orders} orders in the range`,
    );
  }
  if (set.samples.length === 0) {
    const noPrice = set.skipped.filter((s) => s.reason === 'no-reference-price').length;
    throw new NoSlippageSamplesError(
      `none of the ${set.filledMarketOrders} filled MARKET/SL-M orders for ${range} has a usable sample: ` +
        `${noPrice} without a reference price (no ${query.namespace} tick in the ${REFERENCE_TICK_LOOKBACK_MS / 1000} s ` +
        `or 1-minute bar in the ${REFERENCE_BAR_LOOKBACK_MS / MINUTE_MS} min before the order), ` +
        `${set.skipped.length - noPrice} without stored fills`,
    );
  }
  if (model === 'volatility-participation') {
    const withBar = set.samples.filter(
      (s) => (s.volume ?? 0) > 0 && s.highPaise !== null && s.lowPaise !== null,
    );
    if (withBar.length === 0) {
      throw new NoSlippageSamplesError(
        `none of the ${set.samples.length} samples for ${range} has a ${query.namespace} 1-minute bar with volume ` +
          `at its fill, which volatility-participation needs; try --model fixed-bps`,
      );
    }
    if (withBar.every((s) => s.highPaise === s.lowPaise)) {
      throw new NoSlippageSamplesError(
        `all ${withBar.length} samples for ${range} with a 1-minute bar at the fill have high = low, so ` +
          `volatility-participation cannot be fitted; try --model fixed-bps`,
      );
    }
  }
  const samples: SlippageSample[] = set.samples.map((s) => ({
    side: s.side,
    qty: s.qty,
    referencePricePaise: s.referencePricePaise,
    fillPricePaise: s.fillPricePaise,
    volume: s.volume,
    highPaise: s.highPaise,
    lowPaise: s.lowPaise,
  }));
  const fitted = calibrateSlippage(samples, model);
  return {
    ...fitted,
    accountId: query.accountId,
    from: query.from,
    to: query.to,
    namespace: query.namespace,
    orders: set.orders,
    filledMarketOrders: set.filledMarketOrders,
    skippedOrders: set.skipped,
    tickReferences: set.samples.filter((s) => s.referenceSource === 'tick').length,
    slippageFlag: slippageFlagOf(model, fitted.parameter),
  };
}
