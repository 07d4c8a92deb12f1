import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anInstrument, istDate } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStore, type CommandIo } from './market-data-cli.ts';
import { runWatchlistAdd, runWatchlistList, runWatchlistRemove } from './watchlist.ts';

let dir: string;
const out: string[] = [];
let io: CommandIo;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-watchlist-'));
  io = {
    write: (t) => out.push(t),
    env: { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' },
  };
  await withStore({}, io, async (store) => {
    const today = istDate(Date.now());
    await store.instruments.saveVersion('real', today, [
      anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 }),
    ]);
    await store.instruments.saveVersion('simulated', today, [
      anInstrument({
        tradingSymbol: 'SIMINFY',
        name: 'SIM INFOSYS',
        token: 1817600257,
        exchangeToken: 7100004,
      }),
    ]);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const printed = () => out.splice(0).join('');

describe('kitepilot watchlist', () => {
  it('adds, updates the mode, lists and removes', async () => {
    expect(await runWatchlistAdd('NSE:INFY', {}, io)).toMatchObject({
      instrumentId: 'INFY.NSE',
      mode: 'full',
    });
    expect(printed()).toBe('Added NSE:INFY (full) on the real watchlist\n');
    await runWatchlistAdd('NSE:INFY', { mode: 'ltp' }, io);
    expect(printed()).toBe('Updated NSE:INFY (ltp) on the real watchlist\n');
    await runWatchlistList({ json: true }, io);
    expect(JSON.parse(printed())).toEqual([
      expect.objectContaining({ instrumentId: 'INFY.NSE', symbol: 'NSE:INFY', mode: 'ltp' }),
    ]);
    await runWatchlistRemove('NSE:INFY', {}, io);
    expect(printed()).toBe('Removed NSE:INFY from the real watchlist\n');
    await runWatchlistList({}, io);
    expect(printed()).toContain('the real watchlist is empty');
  });

  it('keeps the simulated watchlist apart', async () => {
    await runWatchlistAdd('NSE:SIMINFY', { simulated: true, mode: 'quote' }, io);
    expect((await runWatchlistList({}, io)).length).toBe(0);
    expect((await runWatchlistList({ simulated: true }, io)).map((e) => e.instrumentId)).toEqual([
      'SIMINFY.NSE',
    ]);
    await expect(runWatchlistAdd('NSE:SIMINFY', {}, io)).rejects.toThrow(
      /instrument NSE:SIMINFY is not in the real instruments master/,
    );
  });

  it('rejects unknown instruments, bad modes and removing what is not listed', async () => {
    await expect(runWatchlistAdd('NSE:NOSUCH', {}, io)).rejects.toThrow(
      /NSE:NOSUCH is not in the real instruments master/,
    );
    await expect(runWatchlistAdd('NSE:INFY', { mode: 'depth' }, io)).rejects.toThrow(
      'mode "depth" is not one of ltp, quote, full',
    );
    await expect(runWatchlistRemove('NSE:INFY', {}, io)).rejects.toThrow(
      'NSE:INFY is not on the real watchlist',
    );
  });
});
