import { instrumentId, type WatchlistEntry } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const infy = instrumentId('INFY', 'NSE');
const reliance = instrumentId('RELIANCE', 'NSE');
const t0 = Date.UTC(2026, 10, 20, 3, 45);

function anEntry(overrides: Partial<WatchlistEntry> = {}): WatchlistEntry {
  return { instrumentId: infy, mode: 'full', addedAt: t0, ...overrides };
}

/** Runs the watchlist repository contract. */
export function watchlistContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  describe(`SqlWatchlistRepository (${backend.kind})`, () => {
    it('puts, gets and lists entries by instrument id', async () => {
      const { watchlist } = store();
      expect(await watchlist.put('real', anEntry({ instrumentId: reliance, mode: 'quote' }))).toEqual({
        value: { instrumentId: reliance, mode: 'quote', addedAt: t0 },
        created: true,
      });
      await watchlist.put('real', anEntry({ addedAt: t0 + 1000 }));
      expect(await watchlist.list('real')).toEqual([
        { instrumentId: infy, mode: 'full', addedAt: t0 + 1000 },
        { instrumentId: reliance, mode: 'quote', addedAt: t0 },
      ]);
      expect(await watchlist.get('real', infy)).toEqual({
        instrumentId: infy,
        mode: 'full',
        addedAt: t0 + 1000,
      });
      expect(await watchlist.get('real', instrumentId('TCS', 'NSE'))).toBeNull();
    });

    it('changes the mode of an existing entry on put and keeps its added time', async () => {
      const { watchlist } = store();
      await watchlist.put('real', anEntry());
      const again = await watchlist.put('real', anEntry({ mode: 'ltp', addedAt: t0 + 5000 }));
      expect(again).toEqual({ value: { instrumentId: infy, mode: 'ltp', addedAt: t0 }, created: false });
      expect(await watchlist.list('real')).toEqual([{ instrumentId: infy, mode: 'ltp', addedAt: t0 }]);
    });

    it('adds only a missing entry with addIfMissing and never changes a stored mode', async () => {
      const { watchlist } = store();
      await watchlist.put('real', anEntry({ mode: 'quote' }));
      expect(await watchlist.addIfMissing('real', anEntry({ mode: 'full' }))).toBe(false);
      expect(await watchlist.addIfMissing('real', anEntry({ instrumentId: reliance }))).toBe(true);
      expect((await watchlist.list('real')).map((e) => [e.instrumentId, e.mode])).toEqual([
        [infy, 'quote'],
        [reliance, 'full'],
      ]);
    });

    it('keeps the real and simulated watchlists apart', async () => {
      const { watchlist } = store();
      await watchlist.put('simulated', anEntry());
      expect(await watchlist.list('real')).toEqual([]);
      expect(await watchlist.get('real', infy)).toBeNull();
      expect(await watchlist.remove('real', infy)).toBe(false);
      expect(await watchlist.list('simulated')).toHaveLength(1);
    });

    it('removes an entry and says whether it was there', async () => {
      const { watchlist } = store();
      await watchlist.put('real', anEntry());
      expect(await watchlist.remove('real', infy)).toBe(true);
      expect(await watchlist.remove('real', infy)).toBe(false);
      expect(await watchlist.list('real')).toEqual([]);
    });

    it('rejects a mode outside ltp, quote and full before writing', async () => {
      const { watchlist } = store();
      await expect(
        watchlist.put('real', anEntry({ mode: 'depth' as unknown as WatchlistEntry['mode'] })),
      ).rejects.toThrow("watchlist mode 'depth' is not one of ltp, quote, full");
      expect(await watchlist.list('real')).toEqual([]);
    });
  });
}
