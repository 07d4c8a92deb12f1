// `kitepilot charges`: the Zerodha charges of one round trip (buy and sell of a quantity, each one executed order),
// from the dated rate tables of @kitepilot/charges (market-rules.md §1).
import {
  CHARGE_SEGMENTS,
  OPTIONS_CLASSES,
  RATE_EXCHANGES,
  roundTripCharges,
  ZERODHA_RATE_TABLES,
  type OptionsClass,
  type RateExchange,
  type RateTables,
  type RoundTripCharges,
} from '@kitepilot/charges';
import {
  formatInr,
  istDate,
  NseCalendar,
  paiseToRupeesString,
  rupeesToPaise,
  weekdayOf,
  type ChargeSegment,
  type Paise,
} from '@kitepilot/core';

/** Flags of `kitepilot charges` (strings as the command line gives them; numbers are accepted too). */
export interface ChargesFlags {
  readonly segment?: string;
  readonly exchange?: string;
  readonly qty?: string | number;
  readonly buyPrice?: string | number;
  readonly sellPrice?: string | number;
  /** Trade date YYYY-MM-DD (IST); for delivery the buy date. Default: today in IST. */
  readonly date?: string;
  /** BSE options only: sensex-bankex or other. */
  readonly optionsClass?: string;
  readonly json?: boolean;
}

/** The trading calendar questions the command asks (NseCalendar answers them). */
export interface ChargesCalendar {
  isTradingDay(date: string): boolean;
  nextTradingDay(date: string): string;
  holidayName(date: string): string | null;
}

/** Where the command writes and what it reads; tests pass their own. */
export interface ChargesIo {
  readonly write: (text: string) => void;
  /** Today's IST date (default: from the system clock). */
  readonly today?: () => string;
  /** Default: the bundled NSE calendar. */
  readonly calendar?: ChargesCalendar;
  /** Default: the bundled Zerodha rate tables. */
  readonly tables?: RateTables;
}

/** Thrown for a flag the command cannot use; the message names the flag and the value. */
export class ChargesFlagError extends Error {
  override name = 'ChargesFlagError';
}

const PRICE = /^\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function segmentOf(value: string | undefined): ChargeSegment {
  if (value === undefined)
    throw new ChargesFlagError(`--segment is required: one of ${CHARGE_SEGMENTS.join(', ')}`);
  const s = value.trim().toLowerCase();
  if (!(CHARGE_SEGMENTS as readonly string[]).includes(s)) {
    throw new ChargesFlagError(
      `unknown segment ${JSON.stringify(value)}: expected one of ${CHARGE_SEGMENTS.join(', ')}`,
    );
  }
  return s as ChargeSegment;
}

function exchangeOf(value: string | undefined): RateExchange {
  if (value === undefined) throw new ChargesFlagError('--exchange is required: NSE or BSE');
  const s = value.trim().toUpperCase();
  if (!(RATE_EXCHANGES as readonly string[]).includes(s)) {
    throw new ChargesFlagError(`unknown exchange ${JSON.stringify(value)}: expected NSE or BSE`);
  }
  return s as RateExchange;
}

function qtyOf(value: string | number | undefined): number {
  if (value === undefined) throw new ChargesFlagError('--qty is required: a positive whole number of units');
  const s = String(value).trim();
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n <= 0) {
    throw new ChargesFlagError(
      `quantity ${JSON.stringify(String(value))} is not a positive whole number of units`,
    );
  }
  return n;
}

function priceOf(flag: string, value: string | number | undefined): Paise {
  if (value === undefined) throw new ChargesFlagError(`--${flag} is required: rupees per unit, e.g. 1573.70`);
  const s = String(value).trim();
  if (!PRICE.test(s)) {
    throw new ChargesFlagError(
      `${flag} ${JSON.stringify(String(value))} is not a non-negative rupee amount such as 1573.70`,
    );
  }
  const decimals = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  if (decimals > 2) {
    throw new ChargesFlagError(
      `${flag} ${s} has ${decimals} decimals; prices are in rupees to the paisa (at most 2)`,
    );
  }
  const p = rupeesToPaise(s);
  if (p <= 0) throw new ChargesFlagError(`${flag} ${s} must be more than ₹0`);
  return p;
}

function optionsClassOf(
  value: string | undefined,
  segment: ChargeSegment,
  exchange: RateExchange,
  tables: RateTables,
  date: string,
): OptionsClass | undefined {
  const table = tables.tableFor(segment, exchange, date);
  const rule = table.exchangeCharge;
  if (rule.kind === 'single') {
    if (value !== undefined) {
      throw new ChargesFlagError(
        `--options-class applies only where the exchange charge differs by contract (BSE options), not ${exchange} ${segment}`,
      );
    }
    return undefined;
  }
  if (value === undefined || !(OPTIONS_CLASSES as readonly string[]).includes(value)) {
    const rates = OPTIONS_CLASSES.map(
      (c) => `${c} ${rule.classes[c].map((p) => p.rate.source).join(' + ')}`,
    ).join(', ');
    throw new ChargesFlagError(
      `options on ${exchange}: the exchange charge differs by contract (${rates} of premium, table ${table.id}); ` +
        `pass --options-class sensex-bankex (Sensex, Bankex) or --options-class other (Sensex 50, stock options)` +
        (value === undefined ? '' : `, not ${JSON.stringify(value)}`),
    );
  }
  return value as OptionsClass;
}

interface TradeDate {
  readonly date: string;
  readonly notes: readonly string[];
}

function tradeDateOf(
  flags: ChargesFlags,
  segment: ChargeSegment,
  exchange: RateExchange,
  io: ChargesIo,
  calendar: ChargesCalendar,
  tables: RateTables,
): TradeDate {
  const explicit = flags.date !== undefined;
  let date = explicit ? String(flags.date).trim() : (io.today ?? (() => istDate(Date.now())))();
  if (
    !DATE.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    throw new ChargesFlagError(`date ${JSON.stringify(date)} is not a calendar date YYYY-MM-DD`);
  }
  // A date before the first rate table is refused before the calendar is asked, with the rate table's own message.
  tables.tableFor(segment, exchange, date);
  const notes: string[] = [];
  let trading: boolean;
  try {
    trading = calendar.isTradingDay(date);
  } catch (error) {
    if (segment === 'equity-delivery') {
      throw new ChargesFlagError(
        `delivery needs the next trading day after ${date}, which the NSE calendar cannot give`,
        { cause: error },
      );
    }
    notes.push(`the NSE calendar does not cover ${date}; not checked as a trading day`);
    return { date, notes };
  }
  if (!trading) {
    const why =
      calendar.holidayName(date) ?? (['Sat', 'Sun'].includes(weekdayOf(date)) ? 'weekend' : 'no session');
    if (explicit)
      throw new ChargesFlagError(
        `${date} (${weekdayOf(date)}) is not an NSE trading day (${why}); pass a trading day with --date`,
      );
    const next = calendar.nextTradingDay(date);
    notes.push(
      `today ${date} (${weekdayOf(date)}) is not a trading day (${why}); using the next trading day ${next}`,
    );
    date = next;
  }
  return { date, notes };
}

const rupees = (p: Paise): number => Number(paiseToRupeesString(p));

/** Returns the JSON object of `kitepilot charges --json`: every component and the total as rupee numbers, plus context. */
export function chargesJson(
  c: RoundTripCharges,
  context: {
    segment: ChargeSegment;
    exchange: RateExchange;
    qty: number;
    buyPricePaise: Paise;
    sellPricePaise: Paise;
    notes: readonly string[];
  },
): Record<string, unknown> {
  return {
    brokerage: rupees(c.brokeragePaise),
    stt: rupees(c.sttPaise),
    exchange: rupees(c.exchangePaise),
    sebi: rupees(c.sebiPaise),
    stamp: rupees(c.stampPaise),
    gst: rupees(c.gstPaise),
    dp: rupees(c.dpPaise),
    total: rupees(c.totalPaise),
    paise: {
      brokerage: c.brokeragePaise,
      stt: c.sttPaise,
      exchange: c.exchangePaise,
      sebi: c.sebiPaise,
      stamp: c.stampPaise,
      gst: c.gstPaise,
      dp: c.dpPaise,
      total: c.totalPaise,
    },
    segment: context.segment,
    market: context.exchange,
    qty: context.qty,
    buyPrice: rupees(context.buyPricePaise),
    sellPrice: rupees(context.sellPricePaise),
    buyDate: c.buyDate,
    sellDate: c.sellDate,
    contractNotes: c.notes.map((n) => ({
      date: n.tradeDate,
      rateTable: n.rateTableId,
      effectiveFrom: n.effectiveFrom,
      total: rupees(n.totalPaise),
    })),
    notes: context.notes,
  };
}

function chargesText(c: RoundTripCharges, context: Parameters<typeof chargesJson>[1]): string {
  const dates =
    c.buyDate === c.sellDate
      ? `on ${c.buyDate}`
      : `bought ${c.buyDate}, sold ${c.sellDate} (next trading day)`;
  const lines = [
    `Zerodha charges: ${context.segment} on ${context.exchange}, qty ${context.qty}, buy ${formatInr(context.buyPricePaise)}, sell ${formatInr(context.sellPricePaise)}, ${dates}`,
    ...c.notes.map(
      (n) => `  contract note ${n.tradeDate}: rate table ${n.rateTableId} (effective ${n.effectiveFrom})`,
    ),
    '',
  ];
  const rows: [string, Paise][] = [
    ['brokerage', c.brokeragePaise],
    ['STT', c.sttPaise],
    ['exchange charges', c.exchangePaise],
    ['SEBI fee', c.sebiPaise],
    ['stamp duty', c.stampPaise],
    ['GST', c.gstPaise],
    ['DP charge', c.dpPaise],
  ];
  const shown = [...rows, ['total', c.totalPaise] as [string, Paise]].map(
    ([label, p]) => [label, formatInr(p)] as const,
  );
  const left = Math.max(...shown.map(([l]) => l.length));
  const right = Math.max(...shown.map(([, v]) => v.length));
  shown.forEach(([label, value], i) => {
    if (i === shown.length - 1) lines.push('-'.repeat(left + 2 + right));
    lines.push(`${label.padEnd(left)}  ${value.padStart(right)}`);
  });
  for (const note of context.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `kitepilot charges`: prints the charges of one round trip — buy and sell of `--qty` at `--buy-price` and
 * `--sell-price`, each one executed order, on `--date` (delivery: sold on the next trading day) — as a table in
 * rupees, or with `--json` one object. Throws ChargesFlagError (or the package's errors) on bad flags.
 */
export function runCharges(
  flags: ChargesFlags,
  io: ChargesIo = { write: (t) => process.stdout.write(t) },
): void {
  const tables = io.tables ?? ZERODHA_RATE_TABLES;
  const calendar = io.calendar ?? new NseCalendar();
  const segment = segmentOf(flags.segment);
  const exchange = exchangeOf(flags.exchange);
  const qty = qtyOf(flags.qty);
  const buyPricePaise = priceOf('buy-price', flags.buyPrice);
  const sellPricePaise = priceOf('sell-price', flags.sellPrice);
  const { date, notes } = tradeDateOf(flags, segment, exchange, io, calendar, tables);
  const optionsClass =
    segment === 'options' ? optionsClassOf(flags.optionsClass, segment, exchange, tables, date) : undefined;
  if (segment !== 'options' && flags.optionsClass !== undefined) {
    throw new ChargesFlagError(`--options-class applies only to options, not ${segment}`);
  }
  const c = roundTripCharges(
    {
      segment,
      exchange,
      qty,
      buyPricePaise,
      sellPricePaise,
      date,
      ...(optionsClass ? { optionsClass } : {}),
    },
    tables,
    calendar,
  );
  const context = { segment, exchange, qty, buyPricePaise, sellPricePaise, notes };
  io.write(flags.json === true ? `${JSON.stringify(chargesJson(c, context))}\n` : chargesText(c, context));
}
