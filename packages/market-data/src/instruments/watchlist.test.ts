import { PGlite } from '@electric-sql/pglite';
import { anInstrument, istToEpochMs, TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InstrumentRefError, UnknownInstrumentError } from './instrument-ref.ts';
import { putWatchlistEntry, removeWatchlistEntry, seedWatchlist, type WatchlistDeps } from './watchlist.ts';

const infy = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 });
const reliance = anInstrument();

describe('watchlist', () => {
  let store: Store;
  let deps: WatchlistDeps;
  const clock = new TestClock(istToEpochMs('2026-11-23', '08:00'));

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    deps = { watchlist: store.watchlist, instruments: store.instruments, clock };
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    await store.driver.exec('DELETE FROM instruments; DELETE FROM watchlist;');
    await store.instruments.saveVersion('real', '2026-11-23', [infy, reliance]);
  });

  it('adds an instrument of the master by EXCHANGE:SYMBOL or token and changes its mode', async () => {
    expect(await putWatchlistEntry(deps, 'real', 'NSE:INFY', 'quote')).toEqual({
      value: { instrumentId: infy.id, mode: 'quote', addedAt: clock.now() },
      created: true,
    });
    expect((await putWatchlistEntry(deps, 'real', String(infy.token), 'full')).created).toBe(false);
    expect(await store.watchlist.list('real')).toEqual([
      { instrumentId: infy.id, mode: 'full', addedAt: clock.now() },
    ]);
  });

  it('rejects an instrument the master does not list, naming it and the version', async () => {
    await expect(putWatchlistEntry(deps, 'real', 'NSE:NOSUCH', 'full')).rejects.toThrow(
      new UnknownInstrumentError(
        'instrument NSE:NOSUCH is not in the real instruments master as of 2026-11-23 (latest version 2026-11-23)',
      ),
    );
    await expect(putWatchlistEntry(deps, 'simulated', 'NSE:INFY', 'full')).rejects.toThrow(
      'no instruments master in namespace simulated: run `kitepilot instruments sync` first',
    );
    await expect(putWatchlistEntry(deps, 'real', 'INFY', 'full')).rejects.toBeInstanceOf(InstrumentRefError);
    expect(await store.watchlist.list('real')).toEqual([]);
  });

  it('removes an entry and says when it was not listed', async () => {
    await putWatchlistEntry(deps, 'real', 'NSE:INFY', 'full');
    expect(await removeWatchlistEntry(deps, 'real', 'NSE:INFY')).toEqual({
      instrumentId: infy.id,
      removed: true,
    });
    expect(await removeWatchlistEntry(deps, 'real', 'NSE:INFY')).toEqual({
      instrumentId: infy.id,
      removed: false,
    });
  });

  it('seeds the configured symbols, keeps existing entries and their modes, and reports unknown ones', async () => {
    await putWatchlistEntry(deps, 'real', 'NSE:INFY', 'ltp');
    const result = await seedWatchlist(deps, 'real', ['NSE:INFY', 'NSE:RELIANCE', 'NSE:NOSUCH']);
    expect(result.added).toEqual([reliance.id]);
    expect(result.kept).toEqual([infy.id]);
    expect(result.rejected.map((r) => r.symbol)).toEqual(['NSE:NOSUCH']);
    expect((await store.watchlist.list('real')).map((e) => [e.instrumentId, e.mode])).toEqual([
      [infy.id, 'ltp'],
      [reliance.id, 'full'],
    ]);
    const again = await seedWatchlist(deps, 'real', ['NSE:INFY', 'NSE:RELIANCE']);
    expect(again).toEqual({ added: [], kept: [infy.id, reliance.id], rejected: [] });
  });
});
