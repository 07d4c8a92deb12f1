import { instrumentId, makeBar, makeTick, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { BAR_CSV_COLUMNS, barRow, TICK_CSV_COLUMNS, tickRow, toCsv } from './market-data-rows.ts';

const infy = instrumentId('INFY', 'NSE');
const t = Date.UTC(2026, 10, 20, 3, 45, 1, 500);

const fullTick = {
  instrumentId: infy,
  tick: makeTick({
    token: 408065,
    tradable: true,
    mode: 'full',
    lastPricePaise: paise(154800),
    volume: 1200,
    exchangeTs: t,
    lastTradeTime: t - 1000,
    depth: { bids: [{ pricePaise: paise(154795), qty: 10, orders: 2 }], asks: [] },
    tsInit: t + 40,
  }),
};

describe('tickRow', () => {
  it('keeps the Tick field names and paise, and writes times in IST with the offset', () => {
    const row = tickRow(fullTick);
    expect(Object.keys(row)).toEqual(['instrumentId', ...Object.keys(fullTick.tick)]);
    expect(row).toMatchObject({
      instrumentId: 'INFY.NSE',
      lastPricePaise: 154800,
      volume: 1200,
      exchangeTs: '2026-11-20T09:15:01.500+05:30',
      lastTradeTime: '2026-11-20T09:15:00.500+05:30',
      tsInit: '2026-11-20T09:15:01.540+05:30',
      oi: null,
    });
    expect(TICK_CSV_COLUMNS).toEqual(Object.keys(row));
  });
});

describe('barRow', () => {
  it('keeps the Bar field names and writes the start in IST', () => {
    const p = paise(154800);
    const bar = makeBar({
      instrumentId: infy,
      interval: '1m',
      start: Date.UTC(2026, 10, 20, 3, 45),
      openPaise: p,
      highPaise: paise(155000),
      lowPaise: p,
      closePaise: p,
      volume: 10,
      oi: null,
      origin: 'live',
    });
    const row = barRow(bar);
    expect(Object.keys(row)).toEqual(Object.keys(bar));
    expect(row.start).toBe('2026-11-20T09:15:00.000+05:30');
    expect(BAR_CSV_COLUMNS).toEqual(Object.keys(row));
  });
});

describe('toCsv', () => {
  it('writes a header, empty fields for null and quoted JSON for depth', () => {
    const csv = toCsv(TICK_CSV_COLUMNS, [tickRow(fullTick)]);
    const [header, line] = csv.trimEnd().split('\n');
    expect(header?.split(',')).toEqual(TICK_CSV_COLUMNS);
    expect(line).toContain(',"{""bids"":[{""pricePaise"":154795,""qty"":10,""orders"":2}],""asks"":[]}",');
    expect(line?.startsWith('INFY.NSE,408065,true,full,154800,,,1200,')).toBe(true);
  });
});
