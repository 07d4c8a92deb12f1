import { aNiftyFuture, aNiftyOption, anInstrument, InvariantError } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import {
  bundledFreezeQuantities,
  FreezeQuantityDataError,
  FreezeQuantityTable,
  parseFreezeQuantities,
} from './freeze-quantity-table.ts';

const bankNiftyFuture = aNiftyFuture({
  tradingSymbol: 'BANKNIFTY26NOVFUT',
  name: 'BANKNIFTY',
  underlying: 'BANKNIFTY',
  lotSize: 30,
  freezeQty: null,
});

describe('FreezeQuantityTable', () => {
  const table = bundledFreezeQuantities();

  it('reads the bundled file with the limits of market-rules.md §4.4 by date', () => {
    expect(table.limitOn('NIFTY', '2026-11-23')).toBe(1800);
    expect(table.limitOn('MIDCPNIFTY', '2026-11-23')).toBe(2800);
    expect(table.limitOn('NIFTYNXT50', '2026-11-23')).toBe(600);
    expect(table.limitOn('BANKNIFTY', '2025-10-15')).toBe(900);
    expect(table.limitOn('BANKNIFTY', '2025-11-03')).toBe(600);
    expect(table.limitOn('BANKNIFTY', '2026-05-04')).toBe(900);
    expect(table.limitOn('BANKNIFTY', '2026-06-30')).toBe(900);
    expect(table.limitOn('BANKNIFTY', '2026-07-01')).toBe(600);
    expect(table.limitOn('FINNIFTY', '2026-03-02')).toBe(1200);
    expect(table.limitOn('FINNIFTY', '2026-04-01')).toBe(1800);
  });

  it('knows no limit before the first set or for an underlying it does not list', () => {
    expect(table.limitOn('NIFTY', '2025-08-29')).toBeNull();
    expect(table.limitOn('RELIANCE', '2026-11-23')).toBeNull();
  });

  it('sets the freeze quantity of index futures and options on NFO by underlying', () => {
    const future = table.apply(bankNiftyFuture, '2026-11-23');
    expect(future.freezeQty).toBe(600);
    expect(future.id).toBe(bankNiftyFuture.id);
    expect(table.apply(bankNiftyFuture, '2026-05-04').freezeQty).toBe(900);
    expect(table.apply(aNiftyOption({ freezeQty: null }), '2026-11-23').freezeQty).toBe(1800);
  });

  it('leaves equities, indices, stock derivatives and BSE derivatives unchanged', () => {
    const equity = anInstrument();
    expect(table.apply(equity, '2026-11-23')).toBe(equity);
    const stockFuture = aNiftyFuture({
      tradingSymbol: 'RELIANCE26NOVFUT',
      name: 'RELIANCE',
      underlying: 'RELIANCE',
      lotSize: 500,
      freezeQty: null,
    });
    expect(table.apply(stockFuture, '2026-11-23')).toBe(stockFuture);
    const sensex = aNiftyFuture({
      exchange: 'BFO',
      tradingSymbol: 'SENSEX26NOVFUT',
      name: 'NIFTY',
      freezeQty: null,
    });
    expect(table.apply(sensex, '2026-11-23')).toBe(sensex);
  });

  it('refuses a limit below the lot size', () => {
    const tiny = new FreezeQuantityTable([{ from: '2026-01-01', limits: { NIFTY: 10 } }]);
    expect(() => tiny.apply(aNiftyFuture({ freezeQty: null }), '2026-11-23')).toThrow(InvariantError);
  });

  it('rejects malformed data naming the set and the problem', () => {
    expect(() => parseFreezeQuantities({})).toThrow(FreezeQuantityDataError);
    expect(() => parseFreezeQuantities({ sets: [{ from: '2026-02-30', limits: {} }] })).toThrow(
      'set 0 has from "2026-02-30", not a YYYY-MM-DD date',
    );
    expect(() =>
      parseFreezeQuantities({
        sets: [
          { from: '2026-02-01', limits: {} },
          { from: '2026-01-01', limits: {} },
        ],
      }),
    ).toThrow('set 1 (from 2026-01-01) is not after set 0 (from 2026-02-01)');
    expect(() =>
      parseFreezeQuantities({ sets: [{ from: '2026-01-01', limits: { NIFTY: 1800.5 } }] }),
    ).toThrow('NIFTY limit 1800.5 is not a positive integer');
  });
});
