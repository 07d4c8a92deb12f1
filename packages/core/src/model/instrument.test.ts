import { describe, expect, it } from 'vitest';
import { InvariantError } from './errors.ts';
import { validateOrderQuantity } from './instrument.ts';
import { paise } from './money.ts';
import { anInstrument, aNiftyFuture, aNiftyOption } from './testing.ts';

describe('makeInstrument', () => {
  it('derives the id and keeps every field', () => {
    const fut = aNiftyFuture();
    expect(fut.id).toBe('NIFTY26NOVFUT.NFO');
    expect([fut.lotSize, fut.tickSizePaise, fut.freezeQty, fut.expiry]).toEqual([65, 10, 1800, '2026-11-24']);
    expect(aNiftyOption().strikePaise).toBe(2_600_000);
  });

  it('refuses broken fields with specific messages', () => {
    expect(() => anInstrument({ lotSize: 0 })).toThrow(/lot size 0 must be an integer ≥ 1/);
    expect(() => anInstrument({ tickSizePaise: paise(0) })).toThrow(/tick size 0 paise/);
    expect(() => aNiftyFuture({ expiry: null })).toThrow(/FUT needs an expiry/);
    expect(() => aNiftyFuture({ expiry: '2026-02-30' })).toThrow(/not a YYYY-MM-DD date/);
    expect(() => aNiftyOption({ strikePaise: null })).toThrow(/option needs a positive strike/);
    expect(() => anInstrument({ expiry: '2026-11-24' })).toThrow(/EQ cannot have an expiry/);
    expect(() => anInstrument({ type: 'FUT' })).toThrow(/FUT cannot be listed on NSE/);
    expect(() => aNiftyFuture({ freezeQty: 10 })).toThrow(
      /freeze quantity 10 must be an integer ≥ lot size 65/,
    );
    expect(() => aNiftyFuture({ strikePaise: paise(100) })).toThrow(InvariantError);
  });
});

describe('validateOrderQuantity', () => {
  it('accepts lot multiples up to the freeze quantity', () => {
    expect(validateOrderQuantity(aNiftyFuture(), 65)).toEqual({ ok: true });
    expect(validateOrderQuantity(aNiftyFuture(), 1755)).toEqual({ ok: true });
  });

  it('returns the reason for a non-multiple, a freeze breach, zero and an index', () => {
    expect(validateOrderQuantity(aNiftyFuture(), 130 + 1)).toEqual({
      ok: false,
      reason: 'quantity 131 is not a multiple of lot size 65 for NIFTY26NOVFUT',
    });
    expect(validateOrderQuantity(aNiftyFuture(), 1820)).toEqual({
      ok: false,
      reason: 'quantity 1820 exceeds freeze quantity 1800 for NIFTY26NOVFUT',
    });
    expect(validateOrderQuantity(anInstrument(), 0).ok).toBe(false);
    const index = anInstrument({ type: 'INDEX', tradingSymbol: 'NIFTY 50', token: 256265 });
    expect(validateOrderQuantity(index, 1)).toEqual({
      ok: false,
      reason: 'NIFTY 50 is an index and cannot be traded',
    });
  });
});
