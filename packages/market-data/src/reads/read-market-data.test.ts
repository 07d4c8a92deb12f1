import { PGlite } from '@electric-sql/pglite';
import { instrumentId, makeBar, makeTick, paise, type InstrumentTick } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_READ_ROWS, readBarsBounded, readTicksBounded, RowLimitError } from './read-market-data.ts';

const infy = instrumentId('INFY', 'NSE');
const t0 = Date.UTC(2026, 10, 20, 3, 45);

function aTick(ms: number): InstrumentTick {
  return {
    instrumentId: infy,
    tick: makeTick({ token: 408065, tradable: true, mode: 'ltp', lastPricePaise: paise(154800), tsInit: ms }),
  };
}

describe('readTicksBounded and readBarsBounded', () => {
  let store: Store;

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await store.ticks.append(
      'real',
      [0, 1, 2].map((k) => aTick(t0 + k * 1000)),
    );
    const p = paise(154800);
    await store.bars.upsert(
      'real',
      [0, 1, 2].map((k) =>
        makeBar({
          instrumentId: infy,
          interval: '1m',
          start: t0 + k * 60_000,
          openPaise: p,
          highPaise: p,
          lowPaise: p,
          closePaise: p,
          volume: k,
          oi: null,
          origin: 'live',
        }),
      ),
    );
  });
  afterAll(() => store.close());

  it('returns every row of the range when they fit the limit', async () => {
    expect(await readTicksBounded(store.ticks, 'real', infy, t0, t0 + 3000, 3)).toHaveLength(3);
    expect(await readBarsBounded(store.bars, 'real', infy, '1m', t0, t0 + 180_000, 3)).toHaveLength(3);
  });

  it('fails rather than truncates when the range holds more rows than the limit', async () => {
    await expect(readTicksBounded(store.ticks, 'real', infy, t0, t0 + 3000, 2)).rejects.toThrow(
      new RowLimitError('the tick range of INFY.NSE', 2),
    );
    await expect(readBarsBounded(store.bars, 'real', infy, '1m', t0, t0 + 180_000, 2)).rejects.toThrow(
      'the 1m bar range of INFY.NSE holds more than 2 rows; narrow the from/to range or raise the limit (at most 100000)',
    );
  });

  it('rejects a limit outside 1..MAX_READ_ROWS', async () => {
    await expect(readTicksBounded(store.ticks, 'real', infy, t0, t0 + 1, MAX_READ_ROWS + 1)).rejects.toThrow(
      'limit 100001 is not an integer from 1 to 100000',
    );
  });
});
