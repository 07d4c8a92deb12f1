import { rate, type Rate } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { ChargesDataError } from './charges-errors.ts';
import { parseRateTables } from './parse-rate-tables.ts';
import { RateTables } from './rate-tables.ts';
import { ZERODHA_RATE_TABLES, ZERODHA_RATES_JSON } from './zerodha-rate-tables.ts';

type Doc = { tables: Record<string, unknown>[] } & Record<string, unknown>;

/** Returns a deep copy of the bundled data with `edit` applied. */
function edited(edit: (doc: Doc) => void): unknown {
  const doc = structuredClone(ZERODHA_RATES_JSON) as Doc;
  edit(doc);
  return doc;
}

function errorOf(data: unknown): ChargesDataError {
  try {
    parseRateTables(data);
  } catch (error) {
    if (error instanceof ChargesDataError) return error;
    throw error;
  }
  throw new Error('expected a ChargesDataError');
}

/** Returns Σ rates as a fraction compared by cross-multiplication. */
function sameRate(parts: readonly Rate[], expected: string): boolean {
  const e = rate(expected);
  let n = 0n;
  let d = 1n;
  for (const p of parts) {
    n = n * p.denominator + p.numerator * d;
    d *= p.denominator;
  }
  return n * e.denominator === e.numerator * d;
}

describe('parseRateTables', () => {
  it('loads the bundled tables: every segment × exchange from 1 Oct 2024', () => {
    const tables = ZERODHA_RATE_TABLES.all();
    expect(tables).toHaveLength(16);
    expect(ZERODHA_RATE_TABLES.firstDate()).toBe('2024-10-01');
    for (const exchange of ['NSE', 'BSE'] as const) {
      for (const segment of ['equity-intraday', 'equity-delivery', 'futures', 'options'] as const) {
        expect(ZERODHA_RATE_TABLES.tableFor(segment, exchange, '2024-10-01').effectiveFrom).toBe(
          '2024-10-01',
        );
      }
    }
  });

  it('keeps the NSE all-in exchange charge at 0.00307 % / 0.00183 % / 0.03553 % in every table', () => {
    const allIn = {
      'equity-intraday': '0.00307%',
      'equity-delivery': '0.00307%',
      futures: '0.00183%',
      options: '0.03553%',
    };
    const nse = ZERODHA_RATE_TABLES.all().filter((t) => t.exchange === 'NSE');
    expect(nse.length).toBeGreaterThanOrEqual(8);
    for (const t of nse) {
      if (t.exchangeCharge.kind !== 'single') throw new Error(`${t.id} has per-class exchange charges`);
      expect(
        sameRate(
          t.exchangeCharge.parts.map((p) => p.rate),
          allIn[t.segment],
        ),
        t.id,
      ).toBe(true);
    }
  });

  it('switches STT on 1 Apr 2026 for futures and options only', () => {
    const sell = (segment: 'futures' | 'options' | 'equity-intraday', date: string) =>
      ZERODHA_RATE_TABLES.tableFor(segment, 'NSE', date).stt.sell;
    expect(sell('futures', '2026-03-31')).toEqual(rate('0.02%'));
    expect(sell('futures', '2026-04-01')).toEqual(rate('0.05%'));
    expect(sell('options', '2026-03-31')).toEqual(rate('0.1%'));
    expect(sell('options', '2026-04-01')).toEqual(rate('0.15%'));
    expect(sell('equity-intraday', '2026-04-01')).toEqual(rate('0.025%'));
  });

  it('names the entry of a malformed rate', () => {
    const e = errorOf(edited((d) => ((d.tables[2] as { stt: { sell: string } }).stt.sell = '0.1 percent')));
    expect(e.path).toBe('$.tables[2].stt.sell');
    expect(e.message).toContain('"0.1 percent" is not a non-negative decimal or percentage');
  });

  it('refuses a rate above 100 %, a negative rate and an amount with 3 decimals', () => {
    expect(errorOf(edited((d) => (d.tables[0]!['sebi'] = '10'))).message).toContain('exceeds 100 %');
    expect(errorOf(edited((d) => (d.tables[0]!['stamp'] = '-0.003%'))).path).toBe('$.tables[0].stamp');
    const cap = errorOf(
      edited((d) => ((d.tables[0] as { brokerage: { capRupees: string } }).brokerage.capRupees = '20.001')),
    );
    expect(cap.path).toBe('$.tables[0].brokerage.capRupees');
  });

  it('refuses missing and unknown fields, bad dates and unknown segments', () => {
    expect(errorOf(edited((d) => delete d.tables[1]!['stamp'])).path).toBe('$.tables[1].stamp');
    expect(errorOf(edited((d) => (d.tables[1]!['ctt'] = '0.01%'))).message).toContain('unknown field "ctt"');
    expect(errorOf(edited((d) => (d.tables[1]!['effectiveFrom'] = '2026-02-30'))).path).toBe(
      '$.tables[1].effectiveFrom',
    );
    expect(errorOf(edited((d) => (d.tables[1]!['segment'] = 'commodity'))).message).toContain(
      'got "commodity"',
    );
  });

  it('refuses DP outside delivery, exercise STT outside options, and options without it', () => {
    const dp = errorOf(
      edited((d) => (d.tables[0]!['dp'] = d.tables.find((t) => t['segment'] === 'equity-delivery')!['dp'])),
    );
    expect(dp.message).toContain('only equity-delivery has a DP charge');
    const ex = errorOf(edited((d) => ((d.tables[0] as { stt: { exercise: string } }).stt.exercise = '0.1%')));
    expect(ex.path).toBe('$.tables[0].stt.exercise');
    const opt = edited((d) => {
      for (const t of d.tables)
        if (t['segment'] === 'options') (t as { stt: { exercise: null } }).stt.exercise = null;
    });
    expect(errorOf(opt).message).toContain('options need the STT rate on exercised options');
  });

  it('refuses duplicate ids, two tables of one pair on one date, and a pair with no table', () => {
    expect(errorOf(edited((d) => (d.tables[1]!['id'] = d.tables[0]!['id']))).message).toContain(
      'repeats $.tables[0]',
    );
    const twice = errorOf(edited((d) => d.tables.push(structuredClone({ ...d.tables[0]!, id: 'copy' }))));
    expect(twice.message).toContain('NSE equity-intraday 2024-10-01 already has a table');
    const missing = errorOf(
      edited(
        (d) => (d.tables = d.tables.filter((t) => t['segment'] !== 'futures' || t['exchange'] !== 'BSE')),
      ),
    );
    expect(missing.message).toContain('no rate table for BSE futures');
  });

  it('refuses per-class exchange charges outside BSE options and a GST base naming an unknown component', () => {
    const perClass = errorOf(
      edited((d) => {
        const bseOptions = d.tables.find((t) => t['exchangeChargesByOptionsClass'] !== undefined)!;
        d.tables[0]!['exchangeChargesByOptionsClass'] = bseOptions['exchangeChargesByOptionsClass'];
        delete d.tables[0]!['exchangeCharges'];
      }),
    );
    expect(perClass.message).toContain('only BSE options have per-class exchange charges');
    const gst = errorOf(
      edited((d) => ((d.tables[0] as { gst: { on: string[] } }).gst.on = ['brokerage', 'stt'])),
    );
    expect(gst.path).toBe('$.tables[0].gst.on[1]');
  });
});

describe('RateTables', () => {
  it('picks the latest table in force on the trade date', () => {
    const id = (date: string) => ZERODHA_RATE_TABLES.tableFor('options', 'NSE', date).id;
    expect(id('2024-10-01')).toBe('nse-options-2024-10-01');
    expect(id('2026-02-28')).toBe('nse-options-2024-10-01');
    expect(id('2026-03-01')).toBe('nse-options-2026-03-01');
    expect(id('2026-03-31')).toBe('nse-options-2026-03-01');
    expect(id('2026-04-01')).toBe('nse-options-2026-04-01');
    expect(id('2030-01-01')).toBe('nse-options-2026-04-01');
  });

  it('takes a new table as data: a later circular changes the answer without code', () => {
    const data = edited((d) => {
      const next = structuredClone(d.tables.find((t) => t['id'] === 'nse-futures-2026-04-01')!);
      next['id'] = 'nse-futures-2027-04-01';
      next['effectiveFrom'] = '2027-04-01';
      (next as { stt: { sell: string } }).stt.sell = '0.06%';
      d.tables.push(next);
    });
    const tables = RateTables.fromJson(data);
    expect(tables.tableFor('futures', 'NSE', '2027-03-31').stt.sell).toEqual(rate('0.05%'));
    expect(tables.tableFor('futures', 'NSE', '2027-04-01').stt.sell).toEqual(rate('0.06%'));
  });
});
