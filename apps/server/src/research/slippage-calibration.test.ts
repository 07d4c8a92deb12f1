import { PGlite } from '@electric-sql/pglite';
import { parseAccountId } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calibrateSlippageFromStore,
  collectSlippageSamples,
  istDateRange,
  NoSlippageSamplesError,
  SlippageQueryError,
  slippageFlagOf,
  slippageModelOf,
} from './slippage-calibration.ts';
import {
  seedSlippageFixture,
  SLIPPAGE_ACCOUNT,
  SLIPPAGE_DAY,
  SLIPPAGE_FILL_BARS,
} from './slippage-calibration.testing.ts';

let pglite: PGlite;
let store: Store;
const day = {
  accountId: SLIPPAGE_ACCOUNT,
  from: SLIPPAGE_DAY,
  to: SLIPPAGE_DAY,
  namespace: 'simulated',
} as const;

beforeAll(async () => {
  pglite = await PGlite.create();
  const driver = new PgliteDriver(pglite);
  await migrate(driver);
  store = createStore(driver);
  await seedSlippageFixture(store);
});

afterAll(async () => {
  await pglite.close();
});

describe('collectSlippageSamples', () => {
  it('takes the last tick at or before the order, else the last ended 1-minute bar, and the fill bar', async () => {
    const set = await collectSlippageSamples(store, day);
    expect(set.orders).toBe(7);
    expect(set.filledMarketOrders).toBe(5);
    expect(set.samples.map((s) => [s.clientOrderId, s.referenceSource, s.referencePricePaise])).toEqual([
      ['ord_B1', 'tick', 100000],
      ['ord_S1', 'tick', 200000],
      ['ord_M1', 'bar', 150000],
    ]);
    expect(set.samples[0]).toMatchObject({
      side: 'BUY',
      qty: 10,
      fillPricePaise: 100050,
      volume: 1000,
      highPaise: 100200,
      lowPaise: 99800,
    });
    expect(set.samples[1]).toMatchObject({ side: 'SELL', qty: 20, fillPricePaise: 199900, volume: 5000 });
    expect(set.skipped).toEqual([
      { clientOrderId: 'ord_F1', instrumentId: 'RELIANCE.NSE', reason: 'no-stored-fills' },
      { clientOrderId: 'ord_N1', instrumentId: 'RELIANCE.NSE', reason: 'no-reference-price' },
    ]);
  });

  it('reads prices only from the namespace asked for', async () => {
    const set = await collectSlippageSamples(store, { ...day, namespace: 'real' });
    expect(set.samples).toEqual([]);
    expect(set.skipped.filter((s) => s.reason === 'no-reference-price')).toHaveLength(4);
  });

  it('reads only the orders of the account and the IST dates asked for', async () => {
    const two = await collectSlippageSamples(store, { ...day, to: '2026-11-24' });
    expect(two.samples.map((s) => s.clientOrderId)).toEqual(['ord_B1', 'ord_S1', 'ord_M1', 'ord_D2']);
    const before = await collectSlippageSamples(store, { ...day, from: '2026-11-22', to: '2026-11-22' });
    expect(before).toEqual({ orders: 0, filledMarketOrders: 0, samples: [], skipped: [] });
    const other = await collectSlippageSamples(store, { ...day, accountId: parseAccountId('acc_other') });
    expect(other.orders).toBe(0);
  });

  it('refuses a malformed, impossible, inverted or too long date range, naming the value', async () => {
    await expect(collectSlippageSamples(store, { ...day, from: '23-11-2026' })).rejects.toThrow(
      'from "23-11-2026" is not an IST date YYYY-MM-DD',
    );
    await expect(collectSlippageSamples(store, { ...day, to: '2026-02-30' })).rejects.toThrow(
      'to "2026-02-30" is not a calendar date',
    );
    expect(() => istDateRange('2026-11-24', '2026-11-23')).toThrow(
      new SlippageQueryError('to 2026-11-23 is before from 2026-11-24'),
    );
    expect(() => istDateRange('2025-01-01', '2026-11-23')).toThrow(/spans 692 days; at most 366/);
  });
});

describe('calibrateSlippageFromStore', () => {
  it('recovers a known 5 bps slippage with fixed-bps and names the backtest flag', async () => {
    const report = await calibrateSlippageFromStore(store, day, 'fixed-bps');
    expect(report.model).toBe('fixed-bps');
    expect(report.parameter).toBeCloseTo(5, 9);
    expect(report.meanBps).toBeCloseTo(5, 9);
    expect(report.maeBps).toBeCloseTo(0, 9);
    expect(report.maePaise).toBeCloseTo(0, 9);
    expect(report).toMatchObject({
      samples: 3,
      skipped: 0,
      orders: 7,
      filledMarketOrders: 5,
      tickReferences: 2,
      slippageFlag: 'bps:5',
      accountId: 'acc_demo',
      namespace: 'simulated',
    });
    expect(report.skippedOrders.map((s) => s.reason).sort()).toEqual([
      'no-reference-price',
      'no-stored-fills',
    ]);
  });

  it('fits k of volatility-participation by least squares on range × √(qty / volume)', async () => {
    const obs = [
      { bar: SLIPPAGE_FILL_BARS.B1, qty: 10, adverse: 50 },
      { bar: SLIPPAGE_FILL_BARS.S1, qty: 20, adverse: 100 },
      { bar: SLIPPAGE_FILL_BARS.M1, qty: 5, adverse: 75 },
    ].map((o) => ({ x: (o.bar.high - o.bar.low) * Math.sqrt(o.qty / o.bar.volume), y: o.adverse }));
    const k = obs.reduce((a, o) => a + o.x * o.y, 0) / obs.reduce((a, o) => a + o.x * o.x, 0);
    const report = await calibrateSlippageFromStore(store, day, 'volatility-participation');
    expect(report.parameter).toBeCloseTo(k, 9);
    expect(report.samples).toBe(3);
    expect(report.maePaise).toBeGreaterThan(0);
    expect(report.slippageFlag).toBe(`vol:${Number(k.toPrecision(4))}`);
  });

  it('a wider range mixes in the next day: the mean moves to (5 + 5 + 5 + 100) / 4 bps', async () => {
    const report = await calibrateSlippageFromStore(store, { ...day, to: '2026-11-24' }, 'fixed-bps');
    expect(report.parameter).toBeCloseTo(28.75, 9);
    expect(report.slippageFlag).toBe('bps:28.75');
    expect(report.maeBps).toBeCloseTo((23.75 * 3 + 71.25) / 4, 9);
  });

  it('says why when there is no usable sample', async () => {
    await expect(
      calibrateSlippageFromStore(store, { ...day, from: '2026-11-22', to: '2026-11-22' }, 'fixed-bps'),
    ).rejects.toThrow(
      new NoSlippageSamplesError(
        'no MARKET or SL-M orders with fills for acc_demo on 2026-11-22..2026-11-22 (IST): 0 orders in the range',
      ),
    );
    const real = calibrateSlippageFromStore(store, { ...day, namespace: 'real' }, 'fixed-bps');
    await expect(real).rejects.toThrow(NoSlippageSamplesError);
    await expect(real).rejects.toThrow(
      /none of the 5 filled MARKET\/SL-M orders .* has a usable sample: 4 without a reference price \(no real tick/,
    );
  });

  it('says why volatility-participation has no sample with a fill bar', async () => {
    const db = await PGlite.create();
    const driver = new PgliteDriver(db);
    await migrate(driver);
    const bare = createStore(driver);
    await seedSlippageFixture(bare);
    await driver.query(`DELETE FROM bars`);
    await expect(calibrateSlippageFromStore(bare, day, 'volatility-participation')).rejects.toThrow(
      /none of the 2 samples .* has a simulated 1-minute bar with volume at its fill/,
    );
    // fixed-bps needs no bar: B1 and S1 still have their tick.
    expect((await calibrateSlippageFromStore(bare, day, 'fixed-bps')).samples).toBe(2);
    await db.close();
  });

  it('refuses an unknown model', async () => {
    await expect(calibrateSlippageFromStore(store, day, 'spread' as 'fixed-bps')).rejects.toThrow(
      'model "spread" must be one of fixed-bps, volatility-participation',
    );
  });
});

describe('slippageModelOf / slippageFlagOf', () => {
  it('names the models and formats the flag of kitepilot backtest', () => {
    expect(slippageModelOf('volatility-participation')).toBe('volatility-participation');
    expect(() => slippageModelOf('')).toThrow(SlippageQueryError);
    expect(slippageFlagOf('fixed-bps', 3.14159)).toBe('bps:3.14');
    expect(slippageFlagOf('fixed-bps', 0)).toBe('bps:0');
    expect(slippageFlagOf('volatility-participation', 0.123456)).toBe('vol:0.1235');
    expect(slippageFlagOf('volatility-participation', 0)).toBe('vol:0');
  });
});
