import { aNiftyFuture, anInstrument, InvariantError, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { FixedLatency } from './latency-model.ts';
import type { BarFillPolicy } from './sim-fill-options.ts';
import { FixedBpsSlippage } from './slippage/fixed-bps-slippage.ts';
import { SpreadSlippage } from './slippage/spread-slippage.ts';
import { VolatilityParticipationSlippage } from './slippage/volatility-participation-slippage.ts';
import { depthOf, simHarness, type BarPrices } from './testing/sim-harness.ts';

const MARKET = { orderType: 'MARKET', limitPricePaise: null } as const;

/** A flat bar at ₹1000.00: the market the orders below arrive on. */
const FIRST: BarPrices = { open: 100_000, high: 100_000, low: 100_000, close: 100_000 };

function slm(side: 'BUY' | 'SELL', trigger: number) {
  return {
    side,
    orderType: 'SL-M',
    limitPricePaise: null,
    triggerPricePaise: paise(trigger),
    qty: 2,
  } as const;
}

function sl(side: 'BUY' | 'SELL', trigger: number, limit: number) {
  return {
    side,
    orderType: 'SL',
    limitPricePaise: paise(limit),
    triggerPricePaise: paise(trigger),
    qty: 2,
  } as const;
}

describe('SimExecutionClient bar fill policies', () => {
  describe('a MARKET order sent after a bar', () => {
    const next: BarPrices = { open: 100_500, high: 101_000, low: 99_000, close: 100_800 };

    it('fills at once at that bar close under close (the default)', () => {
      for (const fill of [{}, { barFill: 'close' as const }]) {
        const h = simHarness({ fill });
        h.bar(FIRST);
        const id = h.submit({ ...MARKET, qty: 3 });
        expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 3@100000', 'COMPLETE']);
      }
    });

    it.each<BarFillPolicy>(['ohlc', 'next-open'])('rests and fills at the next open under %s', (barFill) => {
      const h = simHarness({ fill: { barFill, slippageTicks: 2 } });
      h.bar(FIRST);
      const buy = h.submit({ ...MARKET, qty: 3 });
      const sell = h.submit({ ...MARKET, side: 'SELL', qty: 3 });
      expect(h.updates(buy)).toEqual(['submit', 'OPEN']);
      expect(h.order(buy).status).toBe('OPEN');
      h.bar(next);
      expect(h.updates(buy)).toEqual(['submit', 'OPEN', 'fill 3@100520', 'COMPLETE']);
      expect(h.updates(sell)).toEqual(['submit', 'OPEN', 'fill 3@100480', 'COMPLETE']);
    });

    it('is still rejected when no bar was seen yet, under every policy', () => {
      for (const barFill of ['close', 'ohlc', 'next-open'] as const) {
        const h = simHarness({ fill: { barFill } });
        const id = h.submit({ ...MARKET });
        expect(h.updates(id)).toEqual(['submit', 'REJECTED']);
      }
    });

    it('waits for a bar of its own instrument', () => {
      const stock = anInstrument();
      const future = aNiftyFuture();
      const h = simHarness({ fill: { barFill: 'ohlc' }, instruments: [stock, future] });
      h.bar(FIRST, stock);
      const id = h.submit({ ...MARKET, qty: 1 });
      h.bar({ open: 2_600_000, high: 2_600_500, low: 2_599_000, close: 2_600_100 }, future);
      expect(h.updates(id)).toEqual(['submit', 'OPEN']);
      h.bar({ open: 100_100, high: 100_100, low: 100_000, close: 100_000 }, stock);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 1@100100', 'COMPLETE']);
    });

    it('applies no market protection at a bar open', () => {
      const h = simHarness({ fill: { barFill: 'ohlc', slippage: new FixedBpsSlippage(300) } });
      h.bar(FIRST);
      const id = h.submit({ ...MARKET, qty: 1 });
      h.bar({ open: 100_000, high: 100_000, low: 100_000, close: 100_000 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 1@103000', 'COMPLETE']);
    });

    it('keeps market protection for the arrival fill at the close under close', () => {
      const h = simHarness({ fill: { slippage: new FixedBpsSlippage(300) } });
      h.bar(FIRST);
      const id = h.submit({ ...MARKET, qty: 1 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'CANCELLED']);
      expect(h.order(id).statusMessage).toContain('market protection limit 1020.00');
    });

    it('fills at the open of the first bar fed after it arrives (submit latency) under ohlc', () => {
      const h = simHarness({ fill: { barFill: 'ohlc' }, latency: new FixedLatency(90_000) });
      h.bar(FIRST);
      const id = h.submit({ ...MARKET, qty: 1 });
      // The next bar closes 60 s later, while the order is still in flight: it does not fill there.
      h.bar(next);
      expect(h.updates(id)).toEqual([]);
      h.clock.advanceBy(30_000);
      expect(h.updates(id)).toEqual(['submit', 'OPEN']);
      h.bar({ open: 100_700, high: 100_900, low: 100_600, close: 100_800 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 1@100700', 'COMPLETE']);
    });
  });

  describe('LIMIT orders', () => {
    it('fills a resting limit the bar trades through at the limit under ohlc, not under next-open', () => {
      const through: BarPrices = { open: 100_500, high: 100_600, low: 99_000, close: 100_000 };
      const ohlc = simHarness({ fill: { barFill: 'ohlc' } });
      const open = simHarness({ fill: { barFill: 'next-open' } });
      for (const h of [ohlc, open]) h.bar(FIRST);
      const a = ohlc.submit({ limitPricePaise: paise(99_500), qty: 2 });
      const b = open.submit({ limitPricePaise: paise(99_500), qty: 2 });
      for (const h of [ohlc, open]) h.bar(through);
      expect(ohlc.updates(a)).toEqual(['submit', 'OPEN', 'fill 2@99500', 'COMPLETE']);
      expect(open.updates(b)).toEqual(['submit', 'OPEN']);
      open.bar({ open: 99_300, high: 99_400, low: 99_000, close: 99_100 });
      expect(open.updates(b)).toEqual(['submit', 'OPEN', 'fill 2@99300', 'COMPLETE']);
    });

    it('fills a limit the next-open policy meets exactly at its limit (touch at the open)', () => {
      const h = simHarness({ fill: { barFill: 'next-open' } });
      h.bar(FIRST);
      const id = h.submit({ side: 'SELL', limitPricePaise: paise(100_200), qty: 2 });
      h.bar({ open: 100_100, high: 100_900, low: 100_000, close: 100_100 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN']);
      h.bar({ open: 100_200, high: 100_200, low: 100_000, close: 100_100 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 2@100200', 'COMPLETE']);
    });

    it('does not fill a limit that is only touched under ohlc with limitFillRule through, but does with touch', () => {
      const touch: BarPrices = { open: 100_500, high: 100_600, low: 99_500, close: 100_000 };
      const through = simHarness({ fill: { barFill: 'ohlc' } });
      const touching = simHarness({ fill: { barFill: 'ohlc', limitFillRule: 'touch' } });
      for (const h of [through, touching]) h.bar(FIRST);
      const a = through.submit({ limitPricePaise: paise(99_500), qty: 2 });
      const b = touching.submit({ limitPricePaise: paise(99_500), qty: 2 });
      for (const h of [through, touching]) h.bar(touch);
      expect(through.updates(a)).toEqual(['submit', 'OPEN']);
      expect(touching.updates(b)).toEqual(['submit', 'OPEN', 'fill 2@99500', 'COMPLETE']);
    });

    it('fills a marketable limit at the close on arrival under close, at the next open under ohlc', () => {
      const close = simHarness();
      const ohlc = simHarness({ fill: { barFill: 'ohlc' } });
      for (const h of [close, ohlc]) h.bar(FIRST);
      const a = close.submit({ limitPricePaise: paise(101_000), qty: 2 });
      const b = ohlc.submit({ limitPricePaise: paise(101_000), qty: 2 });
      expect(close.updates(a)).toEqual(['submit', 'OPEN', 'fill 2@100000', 'COMPLETE']);
      expect(ohlc.updates(b)).toEqual(['submit', 'OPEN']);
      ohlc.bar({ open: 100_400, high: 100_900, low: 100_300, close: 100_800 });
      expect(ohlc.updates(b)).toEqual(['submit', 'OPEN', 'fill 2@100400', 'COMPLETE']);
    });

    it('takes the open only on the first bar: later bars fill a resting limit at its limit', () => {
      const h = simHarness({ fill: { barFill: 'ohlc' } });
      h.bar(FIRST);
      const id = h.submit({ limitPricePaise: paise(99_500), qty: 2 });
      h.bar({ open: 100_000, high: 100_100, low: 99_900, close: 100_000 });
      h.bar({ open: 99_000, high: 99_600, low: 98_800, close: 99_100 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 2@99500', 'COMPLETE']);
    });

    it('waits for the next bar after a modification under ohlc instead of matching the close', () => {
      const h = simHarness({ fill: { barFill: 'ohlc' } });
      h.bar(FIRST);
      const id = h.submit({ limitPricePaise: paise(99_000), qty: 2 });
      h.modify(id, { limitPricePaise: paise(100_500) });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'MODIFIED', 'OPEN']);
      h.bar({ open: 100_300, high: 100_400, low: 100_100, close: 100_200 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'MODIFIED', 'OPEN', 'fill 2@100300', 'COMPLETE']);
    });

    it('is never slipped beyond its limit by a slippage model', () => {
      const big = new FixedBpsSlippage(500);
      const h = simHarness({ fill: { barFill: 'ohlc', slippage: big } });
      h.bar(FIRST);
      const resting = h.submit({ limitPricePaise: paise(99_500), qty: 1 });
      const marketable = h.submit({ side: 'SELL', limitPricePaise: paise(99_800), qty: 1 });
      h.bar({ open: 99_900, high: 100_000, low: 99_000, close: 99_200 });
      expect(h.updates(resting)).toEqual(['submit', 'OPEN', 'fill 1@99500', 'COMPLETE']);
      expect(h.updates(marketable)).toEqual(['submit', 'OPEN', 'fill 1@99900', 'COMPLETE']);
      const close = simHarness({ fill: { slippage: big } });
      close.bar(FIRST);
      const atClose = close.submit({ limitPricePaise: paise(100_000), qty: 1 });
      expect(close.updates(atClose)).toEqual(['submit', 'OPEN', 'fill 1@100000', 'COMPLETE']);
    });
  });

  describe('stop orders', () => {
    it('checks a stop on arrival only under close: ohlc and next-open wait for the next bar', () => {
      const close = simHarness();
      close.bar(FIRST);
      const a = close.submit(slm('BUY', 100_000));
      expect(close.updates(a)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@100000', 'COMPLETE']);
      for (const barFill of ['ohlc', 'next-open'] as const) {
        const h = simHarness({ fill: { barFill } });
        h.bar(FIRST);
        const id = h.submit(slm('BUY', 100_000));
        expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING']);
        h.bar({ open: 100_100, high: 100_300, low: 100_000, close: 100_200 });
        expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@100100', 'COMPLETE']);
      }
    });

    it.each<BarFillPolicy>(['close', 'ohlc', 'next-open'])(
      'fills an SL-M at the open when the bar gaps through its trigger (%s)',
      (barFill) => {
        const h = simHarness({ fill: { barFill, slippageTicks: 1 } });
        h.bar(FIRST);
        const id = h.submit(slm('SELL', 99_000));
        h.bar({ open: 98_000, high: 98_500, low: 97_500, close: 98_200 });
        expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@97990', 'COMPLETE']);
      },
    );

    it('triggers an SL-M inside the bar at its trigger under ohlc, but only at an open under next-open', () => {
      const inside: BarPrices = { open: 100_000, high: 100_100, low: 98_500, close: 99_800 };
      const ohlc = simHarness({ fill: { barFill: 'ohlc' } });
      const open = simHarness({ fill: { barFill: 'next-open' } });
      for (const h of [ohlc, open]) h.bar(FIRST);
      const a = ohlc.submit(slm('SELL', 99_000));
      const b = open.submit(slm('SELL', 99_000));
      for (const h of [ohlc, open]) h.bar(inside);
      expect(ohlc.updates(a)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@99000', 'COMPLETE']);
      expect(open.updates(b)).toEqual(['submit', 'TRIGGER PENDING']);
      open.bar({ open: 98_900, high: 99_000, low: 98_700, close: 98_800 });
      expect(open.updates(b)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@98900', 'COMPLETE']);
    });

    it('rests an SL whose open gapped past its limit under next-open, and fills it at a later open within it', () => {
      const h = simHarness({ fill: { barFill: 'next-open' } });
      h.bar(FIRST);
      const id = h.submit(sl('SELL', 99_000, 98_500));
      h.bar({ open: 98_000, high: 98_900, low: 97_800, close: 98_400 });
      expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN']);
      h.bar({ open: 98_400, high: 99_900, low: 98_300, close: 99_000 });
      expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN']);
      h.bar({ open: 98_600, high: 98_700, low: 98_500, close: 98_600 });
      expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@98600', 'COMPLETE']);
    });

    it('slips a triggered SL-M by the model but fills a triggered SL at its trigger without slippage', () => {
      const h = simHarness({ fill: { barFill: 'ohlc', slippage: new FixedBpsSlippage(10) } });
      h.bar(FIRST);
      const stopM = h.submit(slm('SELL', 99_000));
      const stop = h.submit(sl('SELL', 99_000, 98_000));
      h.bar({ open: 100_000, high: 100_100, low: 98_500, close: 99_800 });
      // 10 bps of ₹990.00 is 99 paise: 98 901 rounds down to 98 900.
      expect(h.updates(stopM)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@98900', 'COMPLETE']);
      expect(h.updates(stop)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 2@99000', 'COMPLETE']);
    });
  });

  describe('IOC orders', () => {
    it('cancels an IOC limit at the close on arrival under close', () => {
      const h = simHarness();
      h.bar(FIRST);
      const id = h.submit({ limitPricePaise: paise(99_000), qty: 2, validity: 'IOC' });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'CANCELLED']);
    });

    it.each<BarFillPolicy>(['ohlc', 'next-open'])(
      'cancels an IOC limit the first bar does not fill, and fills one it does (%s)',
      (barFill) => {
        const h = simHarness({ fill: { barFill } });
        h.bar(FIRST);
        const missed = h.submit({ limitPricePaise: paise(99_000), qty: 2, validity: 'IOC' });
        const filled = h.submit({ limitPricePaise: paise(100_500), qty: 2, validity: 'IOC' });
        expect(h.updates(missed)).toEqual(['submit', 'OPEN']);
        h.bar({ open: 100_300, high: 100_600, low: 99_500, close: 100_000 });
        expect(h.updates(missed)).toEqual(['submit', 'OPEN', 'CANCELLED']);
        expect(h.order(missed).statusMessage).toBe('IOC order: unfilled quantity 2 was cancelled.');
        expect(h.updates(filled)).toEqual(['submit', 'OPEN', 'fill 2@100300', 'COMPLETE']);
      },
    );

    it('cancels an IOC limit reached only inside the first bar under next-open, fills it under ohlc', () => {
      const inside: BarPrices = { open: 100_300, high: 100_600, low: 98_500, close: 100_000 };
      const ohlc = simHarness({ fill: { barFill: 'ohlc' } });
      const open = simHarness({ fill: { barFill: 'next-open' } });
      for (const h of [ohlc, open]) h.bar(FIRST);
      const a = ohlc.submit({ limitPricePaise: paise(99_000), qty: 2, validity: 'IOC' });
      const b = open.submit({ limitPricePaise: paise(99_000), qty: 2, validity: 'IOC' });
      for (const h of [ohlc, open]) h.bar(inside);
      expect(ohlc.updates(a)).toEqual(['submit', 'OPEN', 'fill 2@99000', 'COMPLETE']);
      expect(open.updates(b)).toEqual(['submit', 'OPEN', 'CANCELLED']);
    });

    it('cancels the rest of an IOC market order capped by volume participation at the first bar', () => {
      const h = simHarness({ fill: { barFill: 'ohlc', volumeParticipation: 0.5 } });
      h.bar(FIRST);
      const id = h.submit({ ...MARKET, qty: 10, validity: 'IOC' });
      h.bar({ open: 100_100, high: 100_200, low: 100_000, close: 100_100, volume: 8 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 4@100100', 'CANCELLED']);
      expect([h.order(id).filledQty, h.order(id).cancelledQty]).toEqual([4, 6]);
    });
  });

  describe('slippage models in the venue', () => {
    it('slips a MARKET order at the close by a fixed bps, rounding a buy up and a sell down', () => {
      const h = simHarness({ fill: { slippage: new FixedBpsSlippage(1.5) } });
      h.bar(FIRST);
      const buy = h.submit({ ...MARKET, qty: 1 });
      const sell = h.submit({ ...MARKET, side: 'SELL', qty: 1 });
      expect(h.updates(buy)).toEqual(['submit', 'OPEN', 'fill 1@100020', 'COMPLETE']);
      expect(h.updates(sell)).toEqual(['submit', 'OPEN', 'fill 1@99980', 'COMPLETE']);
    });

    it('gives the volatility model the bar the fill happens on', () => {
      const model = new VolatilityParticipationSlippage({ k: 1 });
      const h = simHarness({ fill: { barFill: 'next-open', slippage: model } });
      h.bar(FIRST);
      const id = h.submit({ ...MARKET, qty: 100 });
      // σ = 2 000 / 100 000, √(100 / 10 000) = 0.1 → 1 × 0.02 × 0.1 × 100 000 = 200 paise.
      h.bar({ open: 100_000, high: 101_000, low: 99_000, close: 100_000, volume: 10_000 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 100@100200', 'COMPLETE']);
    });

    it('slips a MARKET order on a tick without depth, not one that walks the depth', () => {
      const h = simHarness({ fill: { slippage: new SpreadSlippage({ fallbackSpreadBps: 6 }) } });
      h.tick(100_000);
      const noDepth = h.submit({ ...MARKET, qty: 1 });
      expect(h.updates(noDepth)).toEqual(['submit', 'OPEN', 'fill 1@100030', 'COMPLETE']);
      h.tick(100_000, { depth: depthOf([[100_050, 5]], [[99_950, 5]]) });
      const walk = h.submit({ ...MARKET, qty: 2 });
      expect(h.updates(walk)).toEqual(['submit', 'OPEN', 'fill 2@100050', 'COMPLETE']);
    });

    it('refuses slippageTicks together with a slippage model', () => {
      expect(() => simHarness({ fill: { slippageTicks: 1, slippage: new FixedBpsSlippage(1) } })).toThrow(
        InvariantError,
      );
      expect(() => simHarness({ fill: { slippageTicks: 1, slippage: new FixedBpsSlippage(1) } })).toThrow(
        'slippageTicks 1 and a slippage model cannot both be set',
      );
    });

    it('refuses an unknown bar fill policy', () => {
      expect(() => simHarness({ fill: { barFill: 'vwap' as BarFillPolicy } })).toThrow(
        'barFill vwap must be one of close, ohlc, next-open',
      );
    });
  });
});
