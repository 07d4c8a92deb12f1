import { describe, expect, it } from 'vitest';
import { InvalidIdError } from './errors.ts';
import { instrumentId, parseInstrumentId } from './instrument-id.ts';

describe('instrumentId', () => {
  it('writes SYMBOL.EXCHANGE and parses it back', () => {
    for (const [symbol, exchange] of [
      ['RELIANCE', 'NSE'],
      ['NIFTY26NOVFUT', 'NFO'],
      ['M&M', 'NSE'],
      ['BAJAJ-AUTO', 'NSE'],
      ['NIFTY 50', 'NSE'],
      ['SENSEX26N2785000CE', 'BFO'],
    ] as const) {
      const id = instrumentId(symbol, exchange);
      expect(id).toBe(`${symbol}.${exchange}`);
      expect(parseInstrumentId(id)).toEqual({ symbol, exchange });
    }
  });

  it('refuses malformed symbols and unknown exchanges', () => {
    expect(() => instrumentId('RELI.ANCE', 'NSE')).toThrow(InvalidIdError);
    expect(() => instrumentId('', 'NSE')).toThrow(/malformed/);
    expect(() => instrumentId(' NIFTY', 'NSE')).toThrow(InvalidIdError);
    expect(() => parseInstrumentId('RELIANCE')).toThrow(/lacks ".EXCHANGE"/);
    expect(() => parseInstrumentId('RELIANCE.MCX')).toThrow(/unknown exchange "MCX"/);
  });
});
