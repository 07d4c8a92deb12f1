import { anInstrument, aNiftyFuture, InvariantError } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { MapInstrumentCatalog, normaliseSymbol } from './instrument-catalog.ts';

describe('MapInstrumentCatalog', () => {
  const reliance = anInstrument();
  const nifty = aNiftyFuture();
  const catalog = new MapInstrumentCatalog([reliance, nifty]);

  it('finds instruments by id, by NSE:SYMBOL and by token', () => {
    expect(catalog.byId('RELIANCE.NSE')).toBe(reliance);
    expect(catalog.bySymbol('NSE:RELIANCE')).toBe(reliance);
    expect(catalog.bySymbol('NIFTY26NOVFUT.NFO')).toBe(nifty);
    expect(catalog.bySymbol('NFO:NIFTY26NOVFUT')).toBe(nifty);
    expect(catalog.byToken(nifty.token)).toBe(nifty);
  });

  it('returns null for unknown instruments', () => {
    expect(catalog.byId('INFY.NSE')).toBeNull();
    expect(catalog.bySymbol('BSE:RELIANCE')).toBeNull();
    expect(catalog.byToken(1)).toBeNull();
  });

  it('refuses a repeated id or token', () => {
    expect(() => new MapInstrumentCatalog([reliance, reliance])).toThrow(InvariantError);
    expect(() => new MapInstrumentCatalog([reliance, anInstrument({ tradingSymbol: 'INFY' })])).toThrow(
      /token 738561/,
    );
  });

  it('normalises the exchange-prefixed notation', () => {
    expect(normaliseSymbol('NSE:INFY')).toBe('INFY.NSE');
    expect(normaliseSymbol('INFY.NSE')).toBe('INFY.NSE');
  });
});
