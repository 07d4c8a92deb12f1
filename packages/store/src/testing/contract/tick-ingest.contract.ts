import { instrumentId, makeTick, paise, type InstrumentTick, type QuarantinedTick } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { SqlTickRepository, type TickWritePath } from '../../repositories/tick-repository.ts';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const reliance = instrumentId('RELIANCE', 'NSE');
const nifty = instrumentId('NIFTY 50', 'NSE');
const t0 = Date.UTC(2026, 10, 20, 3, 45); // 09:15 IST

function aFullTick(ms: number, overrides: Partial<Parameters<typeof makeTick>[0]> = {}): InstrumentTick {
  const level = (p: number, q: number, o: number) => ({ pricePaise: paise(p), qty: q, orders: o });
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
      lastTradeTime: ms - 1001,
      oi: 0,
      oiDayHigh: 0,
      oiDayLow: 0,
      exchangeTs: ms,
      depth: {
        bids: [level(157360, 10, 1), level(157350, 20, 2), level(0, 0, 0)],
        asks: [level(157380, 5, 3), level(157390, Number.MAX_SAFE_INTEGER, 4)],
      },
      tsInit: ms + 42,
      ...overrides,
    }),
  };
}

function anLtpTick(ms: number, lastPricePaise: number, id = reliance): InstrumentTick {
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

function aQuarantined(receivedAt: number, overrides: Partial<QuarantinedTick> = {}): QuarantinedTick {
  return {
    token: 738561,
    instrumentId: reliance,
    ts: receivedAt - 5,
    receivedAt,
    reasonCode: 'off-tick-grid',
    reason: 'last price 157373 paise is not a multiple of tick 5 paise for RELIANCE.NSE',
    raw: {
      token: 738561,
      lastPricePaise: 157373,
      depth: { bids: [{ pricePaise: 1, qty: 2 }] },
      note: 'a\tb\\c',
    },
    ...overrides,
  };
}

/** Runs the contract of the fast tick write paths (COPY and INSERT) and of the tick quarantine repository. */
export function tickIngestContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);
  // Both test backends' drivers (PgliteDriver, PostgresDriver) have a COPY path.
  const paths: readonly TickWritePath[] = ['copy', 'insert'];

  for (const path of paths) {
    describe(`SqlTickRepository append by ${path} (${backend.kind})`, () => {
      const repo = (): SqlTickRepository => new SqlTickRepository(store().driver, { writePath: path });

      it('round-trips every field exactly: depth levels, nulls, empty levels and safe-integer extremes', async () => {
        const ticks = repo();
        const full = aFullTick(t0);
        const sparse = aFullTick(t0 + 1, {
          lastTradedQty: null,
          volume: null,
          // Before PostgreSQL's epoch (2000-01-01): a negative binary timestamp.
          lastTradeTime: Date.UTC(1999, 11, 31, 23, 59, 59, 999),
          oi: Number.MAX_SAFE_INTEGER,
          depth: { bids: [], asks: [] },
          changePaise: paise(-1234),
          totalBuyQty: Number.MIN_SAFE_INTEGER,
        });
        const ltp = anLtpTick(t0 + 2, 1);
        expect(await ticks.append('real', [full, sparse, ltp])).toBe(3);
        expect(await ticks.read('real', reliance, t0, t0 + 10)).toEqual([full, sparse, ltp]);
      });

      it('keeps instrument ids with spaces, tabs, backslashes and non-ASCII text exact', async () => {
        const ticks = repo();
        const odd = 'A\tB\\C\nDé.NSE' as typeof reliance;
        await ticks.append('real', [anLtpTick(t0, 7, nifty), anLtpTick(t0, 8, odd)]);
        expect((await ticks.read('real', nifty, t0, t0 + 1)).map((t) => t.tick.lastPricePaise)).toEqual([7]);
        expect((await ticks.read('real', odd, t0, t0 + 1)).map((t) => t.instrumentId)).toEqual([odd]);
      });

      it('creates the partition of each UTC day in a batch before writing, so a batch spanning two days lands in two', async () => {
        const ticks = repo();
        const late = Date.UTC(2032, 2, 9, 23, 59, 59, 999);
        const early = Date.UTC(2032, 2, 10, 0, 0, 0, 0);
        expect(
          await ticks.append('simulated', [anLtpTick(late, 1), anLtpTick(early, 2), anLtpTick(late, 3)]),
        ).toBe(3);
        const where = await store().driver.query<{ part: string; price: number }>(
          "SELECT tableoid::regclass::text AS part, last_price_paise AS price FROM ticks WHERE namespace = 'simulated' ORDER BY price",
        );
        expect(where.rows).toEqual([
          { part: 'ticks_20320309', price: 1 },
          { part: 'ticks_20320310', price: 2 },
          { part: 'ticks_20320309', price: 3 },
        ]);
        expect(await ticks.ensureDayPartition('2032-03-10')).toBe(false);
      });

      it('writes nothing of a batch with an invalid value and names the value', async () => {
        const ticks = repo();
        const bad = aFullTick(t0 + 5, { volume: 1.5 });
        await expect(ticks.append('real', [anLtpTick(t0, 1), bad])).rejects.toThrow(
          /volume 1\.5 is not a safe integer/,
        );
        expect(await ticks.read('real', reliance, t0, t0 + 10)).toEqual([]);
      });

      it('writes a large batch atomically in one call', async () => {
        const ticks = repo();
        const many = Array.from({ length: 5000 }, (_, i) => anLtpTick(t0 + i, 100 + i));
        expect(await ticks.append('real', many)).toBe(5000);
        const read = await ticks.read('real', reliance, t0, t0 + 5000);
        expect(read.map((t) => t.tick.lastPricePaise)).toEqual(many.map((t) => t.tick.lastPricePaise));
      });
    });
  }

  describe(`SqlTickRepository reading rows of the jsonb depth form (${backend.kind})`, () => {
    it('reads depth stored as jsonb before migration 0003', async () => {
      const { driver, ticks } = store();
      const depth = { bids: [{ pricePaise: 100, qty: 1, orders: 1 }], asks: [] };
      await driver.query(
        `INSERT INTO ticks (namespace, instrument_id, ts, token, mode, tradable, last_price_paise, depth, received_at)
         VALUES ('real', 'RELIANCE.NSE', $1::timestamptz, 738561, 'full', true, 100, $2::jsonb, $1::timestamptz)`,
        [new Date(t0).toISOString(), JSON.stringify(depth)],
      );
      expect((await ticks.read('real', reliance, t0, t0 + 1))[0]?.tick.depth).toEqual(depth);
    });
  });

  describe(`SqlTickQuarantineRepository (${backend.kind})`, () => {
    it('appends entries and lists them by received time with their reason, raw JSON exact', async () => {
      const q = store().tickQuarantine;
      const a = aQuarantined(t0 + 10);
      const b = aQuarantined(t0, {
        token: 99,
        instrumentId: null,
        reasonCode: 'unknown-token',
        reason: 'token 99 is not in the instruments master',
      });
      expect(await q.append('real', [a, b])).toBe(2);
      const listed = await q.list('real', t0, t0 + 11);
      expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual([b, a]);
      expect(listed.every((e) => Number.isSafeInteger(e.id))).toBe(true);
      expect(await q.list('real', t0, t0 + 10)).toHaveLength(1);
      expect((await q.list('real', t0, t0 + 11, { reason: 'off-tick-grid' })).map((e) => e.token)).toEqual([
        738561,
      ]);
    });

    it('counts by reason and keeps simulated entries apart from real ones (invariant 9)', async () => {
      const q = store().tickQuarantine;
      await q.append('real', [
        aQuarantined(t0),
        aQuarantined(t0 + 1),
        aQuarantined(t0 + 2, { reasonCode: 'malformed' }),
      ]);
      await q.append('simulated', [aQuarantined(t0, { reasonCode: 'future-timestamp' })]);
      expect(await q.countByReason('real', t0, t0 + 3)).toEqual({ 'off-tick-grid': 2, malformed: 1 });
      expect(await q.countByReason('simulated', t0, t0 + 3)).toEqual({ 'future-timestamp': 1 });
      await expect(q.append('demo' as 'real', [aQuarantined(t0)])).rejects.toThrow(/namespace 'demo'/);
    });

    it('writes a batch larger than one statement atomically', async () => {
      const q = store().tickQuarantine;
      const many = Array.from({ length: 4500 }, (_, i) => aQuarantined(t0 + i));
      expect(await q.append('real', many)).toBe(4500);
      expect(await q.countByReason('real', t0, t0 + 4500)).toEqual({ 'off-tick-grid': 4500 });
    });
  });
}
