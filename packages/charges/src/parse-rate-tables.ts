// Validation of the rate-table data (zerodha-rates.json or a replacement). Every problem throws a ChargesDataError
// naming the entry and the offending value, so a mistyped circular fails at load instead of mis-charging a trade.
import { rate, rupeesToPaise, type ChargeSegment, type Paise, type Rate } from '@kitepilot/core';
import { ChargesDataError } from './charges-errors.ts';
import {
  CHARGE_SEGMENTS,
  GST_BASE_COMPONENTS,
  OPTIONS_CLASSES,
  RATE_EXCHANGES,
  type BrokerageRule,
  type DpCharge,
  type ExchangeChargePart,
  type ExchangeChargeRule,
  type GstBaseComponent,
  type OptionsClass,
  type RateExchange,
  type RateTable,
  type SttRates,
} from './rate-table.ts';

type Json = Readonly<Record<string, unknown>>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function fail(path: string, message: string, cause?: unknown): never {
  throw new ChargesDataError(path, message, cause === undefined ? undefined : { cause });
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${JSON.stringify(value)}`);
  }
  for (const key of Object.keys(value)) {
    // "$comment" and "notes" carry documentation anywhere in the file.
    if (!allowed.includes(key) && key !== '$comment' && key !== 'notes') {
      fail(path, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
  return value as Json;
}

function field(obj: Json, key: string, path: string): unknown {
  if (!(key in obj)) fail(`${path}.${key}`, 'is missing');
  return obj[key];
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(path, `expected a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function isoDate(value: unknown, path: string): string {
  const s = string(value, path);
  const m = ISO_DATE.exec(s);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const asDate = new Date(Date.UTC(year, month - 1, day));
  if (!m || asDate.getUTCMonth() !== month - 1 || asDate.getUTCDate() !== day) {
    fail(path, `expected a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return s;
}

function rateAt(value: unknown, path: string): Rate {
  const s = string(value, path);
  let r: Rate;
  try {
    r = rate(s);
  } catch (error) {
    fail(path, `${JSON.stringify(s)} is not a non-negative decimal or percentage`, error);
  }
  // A charge above 100 % of the value is a transcription error (e.g. a per-crore figure typed as a percentage).
  if (r.numerator > r.denominator) fail(path, `rate ${JSON.stringify(s)} exceeds 100 %`);
  return r;
}

function rupeesAt(value: unknown, path: string): Paise {
  const s = string(value, path);
  let p: Paise;
  try {
    p = rupeesToPaise(s);
  } catch (error) {
    fail(path, `${JSON.stringify(s)} is not a rupee amount with at most 2 decimals`, error);
  }
  if (p < 0) fail(path, `amount ${JSON.stringify(s)} is negative`);
  return p;
}

function brokerage(value: unknown, path: string): BrokerageRule {
  const kinds = ['percent-capped-per-order', 'flat-per-order', 'per-contract-note'] as const;
  const kind = oneOf(
    object(value, path, ['kind', 'rate', 'capRupees', 'rupees']).kind,
    kinds,
    `${path}.kind`,
  );
  switch (kind) {
    case 'percent-capped-per-order': {
      const o = object(value, path, ['kind', 'rate', 'capRupees']);
      return {
        kind,
        rate: rateAt(field(o, 'rate', path), `${path}.rate`),
        capPaise: rupeesAt(field(o, 'capRupees', path), `${path}.capRupees`),
      };
    }
    case 'flat-per-order': {
      const o = object(value, path, ['kind', 'rupees']);
      return { kind, paisePerOrder: rupeesAt(field(o, 'rupees', path), `${path}.rupees`) };
    }
    case 'per-contract-note': {
      const o = object(value, path, ['kind', 'rupees']);
      return { kind, paisePerNote: rupeesAt(field(o, 'rupees', path), `${path}.rupees`) };
    }
  }
}

function stt(value: unknown, path: string, segment: ChargeSegment): SttRates {
  const o = object(value, path, ['buy', 'sell', 'exercise']);
  const exercise = field(o, 'exercise', path);
  if (segment === 'options' && exercise === null) {
    fail(`${path}.exercise`, 'options need the STT rate on exercised options (market-rules.md §1.1)');
  }
  if (segment !== 'options' && exercise !== null) {
    fail(`${path}.exercise`, `only options have an exercise STT rate, not ${segment}`);
  }
  return {
    buy: rateAt(field(o, 'buy', path), `${path}.buy`),
    sell: rateAt(field(o, 'sell', path), `${path}.sell`),
    exercise: exercise === null ? null : rateAt(exercise, `${path}.exercise`),
  };
}

function exchangeParts(value: unknown, path: string): ExchangeChargePart[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object of named rates, got ${JSON.stringify(value)}`);
  }
  const parts = Object.entries(value).map(([name, r]) => ({ name, rate: rateAt(r, `${path}.${name}`) }));
  if (parts.length === 0) fail(path, 'needs at least one named rate (write "transaction": "0%" for none)');
  return parts;
}

function exchangeCharge(
  o: Json,
  path: string,
  segment: ChargeSegment,
  exchange: RateExchange,
): ExchangeChargeRule {
  const single = o['exchangeCharges'];
  const byClass = o['exchangeChargesByOptionsClass'];
  if ((single === undefined) === (byClass === undefined)) {
    fail(path, 'needs exactly one of exchangeCharges and exchangeChargesByOptionsClass');
  }
  if (single !== undefined)
    return { kind: 'single', parts: exchangeParts(single, `${path}.exchangeCharges`) };
  const classPath = `${path}.exchangeChargesByOptionsClass`;
  if (segment !== 'options' || exchange !== 'BSE') {
    fail(classPath, `only BSE options have per-class exchange charges, not ${exchange} ${segment}`);
  }
  const c = object(byClass, classPath, OPTIONS_CLASSES);
  const classes = {} as Record<OptionsClass, ExchangeChargePart[]>;
  for (const name of OPTIONS_CLASSES) {
    classes[name] = exchangeParts(field(c, name, classPath), `${classPath}.${name}`);
  }
  return { kind: 'by-options-class', classes };
}

function gst(value: unknown, path: string): RateTable['gst'] {
  const o = object(value, path, ['rate', 'on']);
  const on = field(o, 'on', path);
  if (!Array.isArray(on) || on.length === 0)
    fail(`${path}.on`, `expected a non-empty list, got ${JSON.stringify(on)}`);
  const base: GstBaseComponent[] = on.map((c, i) => oneOf(c, GST_BASE_COMPONENTS, `${path}.on[${i}]`));
  if (new Set(base).size !== base.length) fail(`${path}.on`, `lists a component twice: ${base.join(', ')}`);
  return { rate: rateAt(field(o, 'rate', path), `${path}.rate`), base };
}

function dp(value: unknown, path: string, segment: ChargeSegment): DpCharge | null {
  if (segment !== 'equity-delivery') {
    if (value !== null) fail(path, `only equity-delivery has a DP charge, not ${segment}; write null`);
    return null;
  }
  const o = object(value, path, ['perScripPerSellDayRupees', 'womanFirstHolderRupees']);
  return {
    perScripPerSellDayPaise: rupeesAt(
      field(o, 'perScripPerSellDayRupees', path),
      `${path}.perScripPerSellDayRupees`,
    ),
    womanFirstHolderPaise: rupeesAt(
      field(o, 'womanFirstHolderRupees', path),
      `${path}.womanFirstHolderRupees`,
    ),
  };
}

function table(value: unknown, path: string): RateTable {
  const o = object(value, path, [
    'id',
    'segment',
    'exchange',
    'effectiveFrom',
    'sources',
    'brokerage',
    'stt',
    'exchangeCharges',
    'exchangeChargesByOptionsClass',
    'sebi',
    'stamp',
    'gst',
    'dp',
  ]);
  const segment = oneOf(field(o, 'segment', path), CHARGE_SEGMENTS, `${path}.segment`);
  const exchange = oneOf(field(o, 'exchange', path), RATE_EXCHANGES, `${path}.exchange`);
  const sources = field(o, 'sources', path);
  if (!Array.isArray(sources) || sources.length === 0) {
    fail(`${path}.sources`, 'expected a non-empty list naming the circulars or pages the rates come from');
  }
  return {
    id: string(field(o, 'id', path), `${path}.id`),
    segment,
    exchange,
    effectiveFrom: isoDate(field(o, 'effectiveFrom', path), `${path}.effectiveFrom`),
    sources: sources.map((s, i) => string(s, `${path}.sources[${i}]`)),
    brokerage: brokerage(field(o, 'brokerage', path), `${path}.brokerage`),
    stt: stt(field(o, 'stt', path), `${path}.stt`, segment),
    exchangeCharge: exchangeCharge(o, path, segment, exchange),
    sebi: rateAt(field(o, 'sebi', path), `${path}.sebi`),
    stamp: rateAt(field(o, 'stamp', path), `${path}.stamp`),
    gst: gst(field(o, 'gst', path), `${path}.gst`),
    dp: dp(field(o, 'dp', path), `${path}.dp`, segment),
  };
}

/**
 * Returns the validated rate tables of a rate-data document; throws ChargesDataError on the first problem:
 * malformed fields, duplicate ids, two tables of one segment × exchange with the same date, or a segment ×
 * exchange with no table at all.
 */
export function parseRateTables(data: unknown): RateTable[] {
  const root = object(data, '$', ['broker', 'tables']);
  string(field(root, 'broker', '$'), '$.broker');
  const raw = field(root, 'tables', '$');
  if (!Array.isArray(raw) || raw.length === 0) fail('$.tables', 'expected a non-empty list of rate tables');
  const tables = raw.map((t, i) => table(t, `$.tables[${i}]`));
  const ids = new Map<string, number>();
  const dates = new Map<string, number>();
  tables.forEach((t, i) => {
    const earlier = ids.get(t.id);
    if (earlier !== undefined)
      fail(`$.tables[${i}].id`, `id ${JSON.stringify(t.id)} repeats $.tables[${earlier}]`);
    ids.set(t.id, i);
    const key = `${t.exchange} ${t.segment} ${t.effectiveFrom}`;
    const same = dates.get(key);
    if (same !== undefined) {
      fail(`$.tables[${i}].effectiveFrom`, `${key} already has a table ($.tables[${same}])`);
    }
    dates.set(key, i);
  });
  for (const exchange of RATE_EXCHANGES) {
    for (const segment of CHARGE_SEGMENTS) {
      if (!tables.some((t) => t.exchange === exchange && t.segment === segment)) {
        fail('$.tables', `no rate table for ${exchange} ${segment}`);
      }
    }
  }
  return tables;
}
