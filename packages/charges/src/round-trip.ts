import {
  instrumentId,
  mulPaise,
  sumPaise,
  type ChargeSegment,
  type ChargesBreakdown,
  type Exchange,
  type Paise,
} from '@kitepilot/core';
import type { ChargeOptions } from './charge-options.ts';
import { ChargesInputError } from './charges-errors.ts';
import { contractNoteCharges, type ContractNoteCharges } from './contract-note-charges.ts';
import { OPTIONS_CLASSES, type OptionsClass, type RateExchange } from './rate-table.ts';
import type { RateTables } from './rate-tables.ts';

/** One buy and one sell of `qty` units, each a single executed order. */
export interface RoundTrip {
  readonly segment: ChargeSegment;
  readonly exchange: RateExchange;
  readonly qty: number;
  /** Price per unit in paise (options: premium). */
  readonly buyPricePaise: Paise;
  readonly sellPricePaise: Paise;
  /** IST trading date of the buy; the sell is the same day, or the next trading day for delivery. */
  readonly date: string;
  /** BSE options only: which exchange-charge class the contract is in. */
  readonly optionsClass?: OptionsClass;
}

/** The trading-day question a delivery round trip needs (NseCalendar answers it). */
export interface NextTradingDay {
  nextTradingDay(date: string): string;
}

/** The charges of a round trip: the sum over its contract notes, and each note. */
export interface RoundTripCharges extends ChargesBreakdown {
  readonly buyDate: string;
  readonly sellDate: string;
  /** One note (same-day round trip) or two (delivery: buy day, sell day). */
  readonly notes: readonly ContractNoteCharges[];
}

const SYMBOL = 'ROUNDTRIP';

function noteExchange(segment: ChargeSegment, exchange: RateExchange): Exchange {
  if (segment === 'equity-intraday' || segment === 'equity-delivery') return exchange;
  return exchange === 'NSE' ? 'NFO' : 'BFO';
}

function requireOptionsClass(trip: RoundTrip, tables: RateTables): OptionsClass {
  const table = tables.tableFor(trip.segment, trip.exchange, trip.date);
  const rule = table.exchangeCharge;
  if (rule.kind === 'single') return 'other';
  if (trip.optionsClass !== undefined && OPTIONS_CLASSES.includes(trip.optionsClass))
    return trip.optionsClass;
  const describe = OPTIONS_CLASSES.map(
    (c) => `${c} ${rule.classes[c].map((p) => p.rate.source).join(' + ')} of premium`,
  ).join(', ');
  throw new ChargesInputError(
    `options on ${trip.exchange}: the exchange charge differs by contract (${describe}; table ${table.id}); ` +
      `choose the class: ${OPTIONS_CLASSES.join(' or ')} (sensex-bankex = Sensex and Bankex options; ` +
      'other = Sensex 50 and stock options)' +
      (trip.optionsClass === undefined ? '' : `, not ${JSON.stringify(trip.optionsClass)}`),
  );
}

/**
 * Returns the charges of one round trip: the buy and the sell on `date` in one contract note, or for delivery the
 * buy on `date` and the sell on the next trading day in two notes (so the sell day's DP charge applies).
 */
export function roundTripCharges(
  trip: RoundTrip,
  tables: RateTables,
  calendar: NextTradingDay,
  options: Partial<ChargeOptions> = {},
): RoundTripCharges {
  if (!Number.isSafeInteger(trip.qty) || trip.qty <= 0) {
    throw new ChargesInputError(`quantity ${trip.qty} must be a positive integer`);
  }
  for (const [what, price] of [
    ['buy', trip.buyPricePaise],
    ['sell', trip.sellPricePaise],
  ] as const) {
    if (!Number.isSafeInteger(price) || price <= 0) {
      throw new ChargesInputError(`${what} price ${price} paise must be a positive integer number of paise`);
    }
  }
  const exchange = noteExchange(trip.segment, trip.exchange);
  const id = instrumentId(SYMBOL, exchange);
  const optionsClass = trip.segment === 'options' ? requireOptionsClass(trip, tables) : 'other';
  const classify = () => optionsClass;
  const buy = {
    instrumentId: id,
    side: 'BUY',
    qty: trip.qty,
    valuePaise: mulPaise(trip.buyPricePaise, trip.qty),
  } as const;
  const sell = {
    instrumentId: id,
    side: 'SELL',
    qty: trip.qty,
    valuePaise: mulPaise(trip.sellPricePaise, trip.qty),
  } as const;
  const base = { exchange, segment: trip.segment };
  let notes: ContractNoteCharges[];
  let sellDate = trip.date;
  if (trip.segment === 'equity-delivery') {
    sellDate = calendar.nextTradingDay(trip.date);
    notes = [
      contractNoteCharges({ ...base, tradeDate: trip.date, orders: [buy] }, tables, options, classify),
      contractNoteCharges({ ...base, tradeDate: sellDate, orders: [sell] }, tables, options, classify),
    ];
  } else {
    notes = [
      contractNoteCharges({ ...base, tradeDate: trip.date, orders: [buy, sell] }, tables, options, classify),
    ];
  }
  const total = (pick: (n: ContractNoteCharges) => Paise) => sumPaise(notes.map(pick));
  return {
    brokeragePaise: total((n) => n.brokeragePaise),
    sttPaise: total((n) => n.sttPaise),
    exchangePaise: total((n) => n.exchangePaise),
    sebiPaise: total((n) => n.sebiPaise),
    stampPaise: total((n) => n.stampPaise),
    gstPaise: total((n) => n.gstPaise),
    dpPaise: total((n) => n.dpPaise),
    totalPaise: total((n) => n.totalPaise),
    buyDate: trip.date,
    sellDate,
    notes,
  };
}
