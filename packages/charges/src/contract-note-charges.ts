import {
  addPaise,
  mulPaise,
  sumPaise,
  ZERO_PAISE,
  type ChargesBreakdown,
  type ContractNoteInput,
  type ExecutedOrder,
  type InstrumentId,
  type Paise,
} from '@kitepilot/core';
import {
  chargeOptions,
  classifyBseOption,
  type ChargeOptions,
  type OptionsClassifier,
} from './charge-options.ts';
import { ChargesInputError } from './charges-errors.ts';
import { EXACT_ZERO, plus, roundAmount, times, type ExactAmount } from './exact-amount.ts';
import {
  CHARGE_SEGMENTS,
  type ExchangeChargePart,
  type GstBaseComponent,
  type RateExchange,
  type RateTable,
} from './rate-table.ts';
import type { RateTables } from './rate-tables.ts';

/** A long option exercised on the note's date: STT on its intrinsic value × quantity, paid by the holder (§1.1). */
export interface OptionExercise {
  readonly instrumentId: InstrumentId;
  /** Intrinsic value per unit × quantity, in paise. */
  readonly intrinsicValuePaise: Paise;
}

/** A contract note (core's ContractNoteInput) with, for options, the day's exercised long positions. */
export interface ContractNote extends ContractNoteInput {
  readonly exercises?: readonly OptionExercise[];
}

/** The charges of one contract note and the rate table they came from. */
export interface ContractNoteCharges extends ChargesBreakdown {
  readonly tradeDate: string;
  readonly segment: ContractNote['segment'];
  readonly exchange: RateExchange;
  readonly rateTableId: string;
  readonly effectiveFrom: string;
  /** Buy value B, sell value S (options: premium), in paise; turnover T = B + S. */
  readonly buyValuePaise: Paise;
  readonly sellValuePaise: Paise;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Dates already checked (a backtest charges thousands of notes on the same few hundred dates). */
const checkedDates = new Set<string>();

function isCalendarDate(s: string): boolean {
  if (checkedDates.has(s)) return true;
  const ms = Date.parse(`${s}T00:00:00Z`);
  const ok = ISO_DATE.test(s) && !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  if (ok && checkedDates.size < 100_000) checkedDates.add(s);
  return ok;
}

function rateExchangeOf(note: ContractNote): RateExchange {
  const equity = note.segment === 'equity-intraday' || note.segment === 'equity-delivery';
  switch (note.exchange) {
    case 'NSE':
    case 'BSE':
      return note.exchange;
    case 'NFO':
    case 'BFO':
      if (equity) {
        throw new ChargesInputError(
          `a ${note.segment} contract note cannot be on the derivatives exchange ${note.exchange}`,
        );
      }
      return note.exchange === 'NFO' ? 'NSE' : 'BSE';
    default:
      throw new ChargesInputError(
        `unknown exchange ${JSON.stringify(note.exchange)} (expected NSE, BSE, NFO or BFO)`,
      );
  }
}

function checkOrders(orders: readonly ExecutedOrder[]): void {
  orders.forEach((o, i) => {
    if (!Number.isSafeInteger(o.qty) || o.qty <= 0) {
      throw new ChargesInputError(
        `order ${i} (${o.side} ${o.instrumentId}): quantity ${o.qty} must be a positive integer`,
      );
    }
    if (!Number.isSafeInteger(o.valuePaise) || o.valuePaise <= 0) {
      throw new ChargesInputError(
        `order ${i} (${o.side} ${o.instrumentId}): value ${o.valuePaise} must be positive integer paise`,
      );
    }
    if (o.side !== 'BUY' && o.side !== 'SELL') {
      throw new ChargesInputError(
        `order ${i} of ${o.instrumentId}: side ${JSON.stringify(o.side)} is not BUY or SELL`,
      );
    }
  });
}

function brokerageOf(table: RateTable, orders: readonly ExecutedOrder[], opts: ChargeOptions): Paise {
  const rule = table.brokerage;
  switch (rule.kind) {
    case 'percent-capped-per-order':
      // The cap applies per executed order, however many trades filled it (market-rules.md §1.4).
      return sumPaise(
        orders.map((o) => {
          const pct = roundAmount(times(o.valuePaise, rule.rate), 'paisa', opts.paisaTies);
          return (pct < rule.capPaise ? pct : rule.capPaise) as Paise;
        }),
      );
    case 'flat-per-order':
      return mulPaise(rule.paisePerOrder, orders.length);
    case 'per-contract-note':
      return orders.length > 0 ? rule.paisePerNote : ZERO_PAISE;
  }
}

function sttOf(table: RateTable, note: ContractNote, opts: ChargeOptions): Paise {
  const exercises = note.exercises ?? [];
  if (exercises.length > 0 && table.stt.exercise === null) {
    throw new ChargesInputError(
      `exercised options given on a ${note.segment} contract note; only options have exercise STT`,
    );
  }
  const byKey = new Map<string, ExactAmount>();
  const add = (key: string, amount: ExactAmount) =>
    byKey.set(key, plus(byKey.get(key) ?? EXACT_ZERO, amount));
  const keyOf = (id: InstrumentId) => (opts.sttAggregation === 'scrip' ? id : 'note');
  for (const o of note.orders) {
    add(keyOf(o.instrumentId), times(o.valuePaise, o.side === 'BUY' ? table.stt.buy : table.stt.sell));
  }
  exercises.forEach((e, i) => {
    if (!Number.isSafeInteger(e.intrinsicValuePaise) || e.intrinsicValuePaise < 0) {
      throw new ChargesInputError(
        `exercise ${i} of ${e.instrumentId}: intrinsic value ${e.intrinsicValuePaise} must be non-negative integer paise`,
      );
    }
    if (table.stt.exercise !== null)
      add(keyOf(e.instrumentId), times(e.intrinsicValuePaise, table.stt.exercise));
  });
  // STT is rounded to the rupee, 50 paise and more up (Zerodha support "How is STT calculated"; §1.4).
  return sumPaise([...byKey.values()].map((a) => roundAmount(a, 'rupee', 'half-up')));
}

function partsSum(value: Paise, parts: readonly ExchangeChargePart[]): ExactAmount {
  return parts.reduce((acc, p) => plus(acc, times(value, p.rate)), EXACT_ZERO);
}

function exchangeOf(
  table: RateTable,
  orders: readonly ExecutedOrder[],
  classify: OptionsClassifier,
  opts: ChargeOptions,
): Paise {
  const rule = table.exchangeCharge;
  // The parts (NSE transaction charge + IPFT) are one line on the contract note, so they are rounded once (§1.2).
  let exact = EXACT_ZERO;
  for (const o of orders) {
    const parts = rule.kind === 'single' ? rule.parts : rule.classes[classify(o.instrumentId)];
    exact = plus(exact, partsSum(o.valuePaise, parts));
  }
  return roundAmount(exact, 'paisa', opts.paisaTies);
}

/**
 * Returns the charges of one contract note (one trading day × exchange × segment) per market-rules.md §1.3:
 * brokerage per executed order; STT, exchange charge, SEBI fee, stamp duty and GST on the day's totals, each
 * rounded by its rule (STT to the rupee, the rest to the paisa, §1.4); DP per scrip sold on a delivery note.
 * Rates come from the table in force on `note.tradeDate`.
 */
export function contractNoteCharges(
  note: ContractNote,
  tables: RateTables,
  options: Partial<ChargeOptions> = {},
  classify: OptionsClassifier = classifyBseOption,
): ContractNoteCharges {
  const opts = chargeOptions(options);
  if (!isCalendarDate(note.tradeDate)) {
    throw new ChargesInputError(`trade date ${JSON.stringify(note.tradeDate)} is not a date YYYY-MM-DD`);
  }
  if (!(CHARGE_SEGMENTS as readonly string[]).includes(note.segment)) {
    throw new ChargesInputError(
      `unknown segment ${JSON.stringify(note.segment)} (expected ${CHARGE_SEGMENTS.join(', ')})`,
    );
  }
  const exchange = rateExchangeOf(note);
  checkOrders(note.orders);
  const table = tables.tableFor(note.segment, exchange, note.tradeDate);

  const buyValuePaise = sumPaise(note.orders.filter((o) => o.side === 'BUY').map((o) => o.valuePaise));
  const sellValuePaise = sumPaise(note.orders.filter((o) => o.side === 'SELL').map((o) => o.valuePaise));
  const turnover = addPaise(buyValuePaise, sellValuePaise);

  const brokeragePaise = brokerageOf(table, note.orders, opts);
  const sttPaise = sttOf(table, note, opts);
  const exchangePaise = exchangeOf(table, note.orders, classify, opts);
  const sebiPaise = roundAmount(times(turnover, table.sebi), 'paisa', opts.paisaTies);
  const stampTo = note.segment === 'equity-delivery' ? opts.deliveryStampRounding : 'paisa';
  const stampPaise = roundAmount(times(buyValuePaise, table.stamp), stampTo, opts.paisaTies);
  const gstBase: Record<GstBaseComponent, Paise> = {
    brokerage: brokeragePaise,
    exchange: exchangePaise,
    sebi: sebiPaise,
  };
  const gstPaise = roundAmount(
    times(sumPaise(table.gst.base.map((c) => gstBase[c])), table.gst.rate),
    'paisa',
    opts.paisaTies,
  );

  let dpPaise = ZERO_PAISE;
  if (table.dp !== null) {
    // DP is charged per scrip per day on which shares leave the demat, i.e. per scrip sold (§1.1).
    const scripsSold = new Set(note.orders.filter((o) => o.side === 'SELL').map((o) => o.instrumentId)).size;
    dpPaise = mulPaise(
      opts.firstHolderWoman ? table.dp.womanFirstHolderPaise : table.dp.perScripPerSellDayPaise,
      scripsSold,
    );
  }
  const totalPaise = sumPaise([
    brokeragePaise,
    sttPaise,
    exchangePaise,
    sebiPaise,
    stampPaise,
    gstPaise,
    dpPaise,
  ]);
  return {
    brokeragePaise,
    sttPaise,
    exchangePaise,
    sebiPaise,
    stampPaise,
    gstPaise,
    dpPaise,
    totalPaise,
    tradeDate: note.tradeDate,
    segment: note.segment,
    exchange,
    rateTableId: table.id,
    effectiveFrom: table.effectiveFrom,
    buyValuePaise,
    sellValuePaise,
  };
}
