import { describe, expect, it } from 'vitest';
import { paise } from './money.ts';
import { makeTick } from './tick.ts';

describe('makeTick', () => {
  it('gives every tick every key in one order, with null for fields the mode lacks', () => {
    const ltp = makeTick({
      token: 408065,
      tradable: true,
      mode: 'ltp',
      lastPricePaise: paise(157370),
      tsInit: 1,
    });
    const full = makeTick({
      token: 408065,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(157370),
      volume: 0,
      oi: 0,
      depth: { bids: [{ pricePaise: paise(157340), qty: 5, orders: 1 }], asks: [] },
      tsInit: 2,
    });
    expect(Object.keys(ltp)).toEqual(Object.keys(full));
    expect(ltp.volume).toBeNull();
    expect(ltp.depth).toBeNull();
    expect(full.volume).toBe(0);
    expect(full.oi).toBe(0);
    expect(full.exchangeTs).toBeNull();
  });
});
