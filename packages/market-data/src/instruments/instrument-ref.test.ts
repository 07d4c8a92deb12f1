import { anInstrument, instrumentId } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import {
  InstrumentRefError,
  kiteSymbol,
  parseInstrumentRef,
  parseInstrumentSymbol,
} from './instrument-ref.ts';

describe('parseInstrumentRef', () => {
  it('reads EXCHANGE:SYMBOL, SYMBOL.EXCHANGE and a token', () => {
    expect(parseInstrumentRef('NSE:INFY')).toEqual({ kind: 'id', id: 'INFY.NSE' });
    expect(parseInstrumentRef('NFO:NIFTY26NOVFUT')).toEqual({ kind: 'id', id: 'NIFTY26NOVFUT.NFO' });
    expect(parseInstrumentRef('NSE:NIFTY 50')).toEqual({ kind: 'id', id: 'NIFTY 50.NSE' });
    expect(parseInstrumentRef('INFY.NSE')).toEqual({ kind: 'id', id: 'INFY.NSE' });
    expect(parseInstrumentRef('408065')).toEqual({ kind: 'token', token: 408065 });
  });

  it('rejects malformed references with the text and the accepted forms', () => {
    for (const bad of ['MCX:GOLD', 'INFY', 'NSE:', 'NSE:IN  FY', '0', 'INFY.XYZ']) {
      expect(() => parseInstrumentRef(bad)).toThrow(InstrumentRefError);
    }
    expect(() => parseInstrumentRef('INFY')).toThrow(
      'instrument "INFY" is not EXCHANGE:SYMBOL (NSE:INFY), SYMBOL.EXCHANGE (INFY.NSE) or a token',
    );
  });

  it('refuses a token where a symbol is needed', () => {
    expect(parseInstrumentSymbol('NSE:INFY')).toBe('INFY.NSE');
    expect(() => parseInstrumentSymbol('408065')).toThrow('must be EXCHANGE:SYMBOL here, not a token');
  });

  it('writes an id back in Kite form', () => {
    expect(kiteSymbol(instrumentId('INFY', 'NSE'))).toBe('NSE:INFY');
    expect(kiteSymbol(anInstrument().id)).toBe('NSE:RELIANCE');
  });
});
