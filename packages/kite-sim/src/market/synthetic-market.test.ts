// Invariants: the market is a pure function of (seed, instrument, time); every price streamed during a minute
// lies inside that minute's candle, the candle opens at second 0 and closes at second 59; cumulative volume
// never decreases within a day; prices sit on the instrument's tick grid; derivatives carry OI.
import { istToEpochMs } from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minuteStartMs, SESSION_MINUTES, sessionPoint } from './session-time.ts';
import { SyntheticMarket } from './synthetic-market.ts';

const NOW = istToEpochMs('2026-11-23', '10:00:30');

describe('SyntheticMarket', () => {
  it('gives the same snapshot for the same seed and a different one for another seed', () => {
    const a = new SyntheticMarket(7, NOW);
    const b = new SyntheticMarket(7, NOW);
    const c = new SyntheticMarket(8, NOW);
    const token = a.instruments[0]!.instrumentToken;
    expect(a.snapshot(a.modelByToken(token)!, NOW)).toEqual(b.snapshot(b.modelByToken(token)!, NOW));
    expect(a.snapshot(a.modelByToken(token)!, NOW).lastPricePaise).not.toBe(
      c.snapshot(c.modelByToken(token)!, NOW).lastPricePaise,
    );
  });

  it('lists ten equities, one untradable index, two futures and a CE/PE chain, all marked SIM', () => {
    const m = new SyntheticMarket(1, NOW);
    const types = m.instruments.map((i) => `${i.segment}/${i.instrumentType}`);
    expect(types.filter((t) => t === 'NSE/EQ')).toHaveLength(10);
    expect(types.filter((t) => t === 'INDICES/EQ')).toHaveLength(1);
    expect(types.filter((t) => t === 'NFO-FUT/FUT')).toHaveLength(2);
    expect(types.filter((t) => t === 'NFO-OPT/CE')).toHaveLength(21);
    expect(types.filter((t) => t === 'NFO-OPT/PE')).toHaveLength(21);
    for (const i of m.instruments) {
      expect(i.tradingsymbol.startsWith('SIM')).toBe(true);
      expect(i.name.startsWith('SIM')).toBe(true);
      const segmentId = { NSE: 1, INDICES: 9, 'NFO-FUT': 2, 'NFO-OPT': 2 }[i.segment];
      expect(i.instrumentToken).toBe(i.exchangeToken * 256 + segmentId);
    }
    const futures = m.instruments.filter((i) => i.instrumentType === 'FUT');
    expect(futures.map((f) => f.expiry)).toEqual(['2026-11-24', '2026-12-29']);
    expect(futures.map((f) => f.tradingsymbol)).toEqual(['SIMNIFTY26NOVFUT', 'SIMNIFTY26DECFUT']);
    expect(futures[0]!.lotSize).toBe(65);
  });

  it('keeps every streamed second inside its minute candle, opening at second 0 and closing at second 59', () => {
    const m = new SyntheticMarket(3, NOW);
    const day = Math.floor(sessionPoint(NOW).minute / SESSION_MINUTES);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: m.instruments.length - 1 }),
        fc.integer({ min: 0, max: SESSION_MINUTES - 1 }),
        (i, minuteOfDay) => {
          const model = m.modelByToken(m.instruments[i]!.instrumentToken)!;
          const minute = day * SESSION_MINUTES + minuteOfDay;
          const candle = m.minuteCandle(model, minute);
          expect(m.priceAt(model, minute, 0)).toBe(candle.open);
          expect(m.priceAt(model, minute, 59)).toBe(candle.close);
          for (let s = 0; s < 60; s++) {
            const p = m.priceAt(model, minute, s);
            expect(p).toBeGreaterThanOrEqual(candle.low);
            expect(p).toBeLessThanOrEqual(candle.high);
            expect(p % model.instrument.tickSizePaise).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never decreases the cumulative volume of a day and carries OI only for derivatives', () => {
    const m = new SyntheticMarket(5, NOW);
    const fut = m.instruments.find((i) => i.instrumentType === 'FUT')!;
    const eq = m.instruments.find((i) => i.instrumentType === 'EQ' && i.tradable)!;
    let previous = -1;
    const open = istToEpochMs('2026-11-23', '09:15:00');
    for (let t = open; t < open + 20 * 60_000; t += 7_000) {
      const snap = m.snapshot(m.modelByToken(fut.instrumentToken)!, t);
      expect(snap.volume).toBeGreaterThanOrEqual(previous);
      expect(snap.oi).toBeGreaterThan(0);
      expect(snap.oiDayLow).toBeLessThanOrEqual(snap.oi);
      expect(snap.oiDayHigh).toBeGreaterThanOrEqual(snap.oi);
      previous = snap.volume;
    }
    expect(m.snapshot(m.modelByToken(eq.instrumentToken)!, NOW).oi).toBe(0);
  });

  it('quotes depth around the last price: best bid at it, best ask one tick above', () => {
    const m = new SyntheticMarket(1, NOW);
    for (const i of m.instruments.filter((x) => x.tradable)) {
      const s = m.snapshot(m.modelByToken(i.instrumentToken)!, NOW);
      expect(s.buy[0]!.pricePaise).toBe(s.lastPricePaise);
      expect(s.sell[0]!.pricePaise).toBe(s.lastPricePaise + i.tickSizePaise);
      expect(s.lowPaise).toBeLessThanOrEqual(s.lastPricePaise);
      expect(s.highPaise).toBeGreaterThanOrEqual(s.lastPricePaise);
    }
  });

  it('builds 5-minute and day candles that aggregate the minute candles', () => {
    const m = new SyntheticMarket(2, NOW);
    const model = m.modelByToken(m.instruments.find((i) => i.instrumentType === 'FUT')!.instrumentToken)!;
    const from = istToEpochMs('2026-11-20', '09:15:00');
    const to = istToEpochMs('2026-11-20', '15:29:00');
    const minutes = m.candles(model, 'minute', from, to, NOW, false);
    expect(minutes).toHaveLength(375);
    const fives = m.candles(model, '5minute', from, to, NOW, false);
    expect(fives).toHaveLength(75);
    expect(fives[1]).toEqual({
      startMs: minutes[5]!.startMs,
      open: minutes[5]!.open,
      high: Math.max(...minutes.slice(5, 10).map((c) => c.high)),
      low: Math.min(...minutes.slice(5, 10).map((c) => c.low)),
      close: minutes[9]!.close,
      volume: minutes.slice(5, 10).reduce((s, c) => s + c.volume, 0),
      oi: minutes[9]!.oi,
    });
    const [day] = m.candles(model, 'day', from, to, NOW, false);
    expect(day!.open).toBe(minutes[0]!.open);
    expect(day!.close).toBe(minutes[374]!.close);
    expect(day!.volume).toBe(minutes.reduce((s, c) => s + c.volume, 0));
  });

  it('returns no candle that starts after now and a partial running candle', () => {
    const m = new SyntheticMarket(2, NOW);
    const model = m.modelByToken(m.instruments[0]!.instrumentToken)!;
    const candles = m.candles(
      model,
      'minute',
      istToEpochMs('2026-11-23', '09:15'),
      NOW + 3_600_000,
      NOW,
      false,
    );
    expect(candles.at(-1)!.startMs).toBe(minuteStartMs(sessionPoint(NOW).minute));
    expect(candles.at(-1)!.close).toBe(m.snapshot(model, NOW).lastPricePaise);
  });
});
