import {
  aNiftyFuture,
  anInstrument,
  instrumentId,
  makeBar,
  makeTick,
  paise,
  type Bar,
  type InstrumentTick,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const reliance = instrumentId('RELIANCE', 'NSE');
const infy = instrumentId('INFY', 'NSE');
const t0 = Date.UTC(2026, 10, 20, 3, 45); // 09:15 IST

function aTick(ms: number, lastPricePaise: number, id = reliance): InstrumentTick {
  return {
    instrumentId: id,
    tick: makeTick({
      token: 738561,
      tradable: true,
      mode: 'ltp',
      lastPricePaise: paise(lastPricePaise),
      tsInit: ms,
    }),
  };
}

function aFullTick(ms: number): InstrumentTick {
  const level = (p: number, q: number) => ({ pricePaise: paise(p), qty: q, orders: 3 });
  return {
    instrumentId: reliance,
    tick: makeTick({
      token: 738561,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(157370),
      lastTradedQty: 5,
      avgTradedPricePaise: paise(157012),
      volume: 1_234_567,
      totalBuyQty: 1000,
      totalSellQty: 2000,
      openPaise: paise(156000),
      highPaise: paise(158000),
      lowPaise: paise(155500),
      closePaise: paise(156500),
      lastTradeTime: ms - 1000,
      oi: 0,
      oiDayHigh: 0,
      oiDayLow: 0,
      exchangeTs: ms,
      depth: { bids: [level(157360, 10), level(157350, 20)], asks: [level(157380, 5), level(157390, 7)] },
      tsInit: ms + 42,
    }),
  };
}

function aBar(start: number, closePaise: number, overrides: Partial<Bar> = {}): Bar {
  return makeBar({
    instrumentId: reliance,
    interval: '1m',
    start,
    openPaise: paise(157000),
    highPaise: paise(Math.max(158000, closePaise)),
    lowPaise: paise(Math.min(156000, closePaise)),
    closePaise: paise(closePaise),
    volume: 1200,
    oi: null,
    origin: 'live',
    ...overrides,
  });
}

/** Runs the instrument, tick and bar repository contract. */
export function marketDataContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  describe(`SqlInstrumentRepository (${backend.kind})`, () => {
    it('returns each instrument as of a date from the latest daily version on or before it', async () => {
      const instruments = store().instruments;
      const nifty = aNiftyFuture();
      const v1 = [anInstrument(), nifty];
      const v2 = [
        anInstrument({ lotSize: 2 }),
        anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065 }),
      ];
      expect(await instruments.saveVersion('real', '2026-11-19', v1)).toBe(2);
      expect(await instruments.saveVersion('real', '2026-11-20', v2)).toBe(2);
      expect(await instruments.get('real', reliance, '2026-11-19')).toEqual(v1[0]);
      expect((await instruments.get('real', reliance, '2026-11-21'))?.lotSize).toBe(2);
      expect(await instruments.get('real', reliance, '2026-11-18')).toBeNull();
      expect(await instruments.getByToken('real', 408065, '2026-11-20')).toEqual(v2[1]);
      expect((await instruments.listVersion('real', '2026-11-19')).map((i) => i.id)).toEqual([
        nifty.id,
        reliance,
      ]);
      expect((await instruments.listVersion('real', '2026-11-30')).map((i) => i.id)).toEqual([
        infy,
        reliance,
      ]);
      expect(await instruments.latestVersion('real')).toBe('2026-11-20');
    });

    it('replaces the rows of a version saved again', async () => {
      const instruments = store().instruments;
      await instruments.saveVersion('real', '2026-11-20', [anInstrument(), aNiftyFuture()]);
      await instruments.saveVersion('real', '2026-11-20', [anInstrument({ lotSize: 3 })]);
      expect(await instruments.listVersion('real', '2026-11-20')).toEqual([anInstrument({ lotSize: 3 })]);
    });

    it('keeps a simulated universe apart from the real master', async () => {
      const instruments = store().instruments;
      const sim = anInstrument({ tradingSymbol: 'SIMRELIANCE', name: 'SIM RELIANCE', token: 1817600257 });
      await instruments.saveVersion('real', '2026-11-20', [anInstrument()]);
      await instruments.saveVersion('simulated', '2026-11-20', [sim, anInstrument({ lotSize: 5 })]);
      expect(await instruments.get('real', sim.id, '2026-11-20')).toBeNull();
      expect(await instruments.getByToken('real', 1817600257, '2026-11-20')).toBeNull();
      expect((await instruments.get('real', reliance, '2026-11-20'))?.lotSize).toBe(1);
      expect((await instruments.get('simulated', reliance, '2026-11-20'))?.lotSize).toBe(5);
      expect((await instruments.listVersion('simulated', '2026-11-20')).map((i) => i.id)).toEqual([
        reliance,
        sim.id,
      ]);
      await instruments.saveVersion('simulated', '2026-11-20', []);
      expect(await instruments.listVersion('real', '2026-11-20')).toEqual([anInstrument()]);
    });

    it('accepts index symbols with inner spaces', async () => {
      const instruments = store().instruments;
      const index = anInstrument({
        tradingSymbol: 'NIFTY 50',
        name: 'NIFTY 50',
        type: 'INDEX',
        token: 256265,
      });
      await instruments.saveVersion('real', '2026-11-20', [index]);
      expect((await instruments.getByToken('real', 256265, '2026-11-20'))?.id).toBe('NIFTY 50.NSE');
    });
  });

  describe(`SqlTickRepository (${backend.kind})`, () => {
    it('round-trips a full-mode tick with depth exactly, filed under its exchange time', async () => {
      const ticks = store().ticks;
      const full = aFullTick(t0);
      expect(await ticks.append('real', [full])).toBe(1);
      expect(await ticks.read('real', reliance, t0, t0 + 1)).toEqual([full]);
    });

    it('reads one instrument in [from, to) in time then arrival order', async () => {
      const ticks = store().ticks;
      await ticks.append('real', [
        aTick(t0 + 2000, 3),
        aTick(t0, 1),
        aTick(t0 + 1000, 2),
        aTick(t0 + 1000, 22),
        aTick(t0, 9, infy),
      ]);
      const read = await ticks.read('real', reliance, t0, t0 + 2000);
      expect(read.map((t) => t.tick.lastPricePaise)).toEqual([1, 2, 22]);
      expect((await ticks.read('real', reliance, t0, t0 + 3000, 2)).length).toBe(2);
    });

    it('keeps simulated ticks apart from real ones (invariant 9)', async () => {
      const ticks = store().ticks;
      await ticks.append('real', [aTick(t0, 100)]);
      await ticks.append('simulated', [aTick(t0, 999)]);
      expect((await ticks.read('real', reliance, t0, t0 + 1)).map((t) => t.tick.lastPricePaise)).toEqual([
        100,
      ]);
      expect((await ticks.read('simulated', reliance, t0, t0 + 1)).map((t) => t.tick.lastPricePaise)).toEqual(
        [999],
      );
      await expect(ticks.append('demo' as 'real', [aTick(t0, 1)])).rejects.toThrow(/namespace 'demo'/);
    });

    it('creates one partition per UTC day, idempotently, and moves rows of that day out of the default', async () => {
      const { ticks, driver } = store();
      const day1 = Date.UTC(2031, 0, 5, 23, 59, 59, 999);
      const day2 = Date.UTC(2031, 0, 6, 0, 0, 0, 0);
      // A row written without the repository, before its day has a partition, lands in the default partition.
      await driver.query(
        `INSERT INTO ticks (namespace, instrument_id, ts, token, mode, tradable, last_price_paise, received_at)
         VALUES ('real', 'RELIANCE.NSE', $1::timestamptz, 738561, 'ltp', true, 3, $1::timestamptz)`,
        [new Date(day2).toISOString()],
      );
      expect(await ticks.ensureDayPartition('2031-01-05')).toBe(true);
      expect(await ticks.ensureDayPartition('2031-01-05')).toBe(false);
      await ticks.append('real', [aTick(day1, 1), aTick(day1 - 1000, 2)]);
      const where = await driver.query<{ part: string; price: number }>(
        "SELECT tableoid::regclass::text AS part, last_price_paise AS price FROM ticks WHERE instrument_id = 'RELIANCE.NSE' ORDER BY price",
      );
      expect(where.rows).toEqual([
        { part: 'ticks_20310105', price: 1 },
        { part: 'ticks_20310105', price: 2 },
        { part: 'ticks_default', price: 3 },
      ]);
      expect(await ticks.ensureDayPartition('2031-01-06')).toBe(true);
      const moved = await driver.query<{ part: string }>(
        'SELECT tableoid::regclass::text AS part FROM ticks WHERE last_price_paise = 3',
      );
      expect(moved.rows).toEqual([{ part: 'ticks_20310106' }]);
      expect((await ticks.read('real', reliance, day1 - 1000, day2 + 1)).length).toBe(3);
    });

    it('appends batches larger than one statement', async () => {
      const ticks = store().ticks;
      const many = Array.from({ length: 4500 }, (_, i) => aTick(t0 + i, 100 + i));
      expect(await ticks.append('real', many)).toBe(4500);
      expect((await ticks.read('real', reliance, t0, t0 + 4500)).length).toBe(4500);
    });
  });

  describe(`SqlBarRepository (${backend.kind})`, () => {
    it('upserts by namespace, instrument, interval and start and reads a range in order', async () => {
      const bars = store().bars;
      const b0 = aBar(t0, 157100);
      const b1 = aBar(t0 + 60_000, 157200);
      await bars.upsert('real', [b1, b0]);
      const repaired = aBar(t0 + 60_000, 157300, { origin: 'repaired', volume: 1300, oi: 5 });
      expect(await bars.upsert('real', [repaired])).toBe(1);
      expect(await bars.read('real', reliance, '1m', t0, t0 + 120_000)).toEqual([b0, repaired]);
      expect(await bars.read('real', reliance, '1m', t0, t0 + 60_000)).toEqual([b0]);
      expect(await bars.read('real', reliance, '5m', t0, t0 + 120_000)).toEqual([]);
    });

    it('keeps simulated bars apart from real ones and takes the last of duplicate keys in one batch', async () => {
      const bars = store().bars;
      await bars.upsert('simulated', [aBar(t0, 1), aBar(t0, 2)]);
      expect(await bars.read('real', reliance, '1m', t0, t0 + 1)).toEqual([]);
      expect((await bars.read('simulated', reliance, '1m', t0, t0 + 1)).map((b) => b.closePaise)).toEqual([
        2,
      ]);
    });
  });
}
