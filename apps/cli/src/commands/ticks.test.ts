import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instrumentId, istToEpochMs, makeBar, makeTick, paise, type InstrumentTick } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBars } from './bars.ts';
import { withStore, type CommandIo } from './market-data-cli.ts';
import { runTicks } from './ticks.ts';

const infy = instrumentId('INFY', 'NSE');
const open = istToEpochMs('2026-11-20', '09:15');
let dir: string;
const out: string[] = [];
let io: CommandIo;

function aTick(ms: number, pricePaise: number, volume: number): InstrumentTick {
  return {
    instrumentId: infy,
    tick: makeTick({
      token: 408065,
      tradable: true,
      mode: 'quote',
      lastPricePaise: paise(pricePaise),
      volume,
      exchangeTs: ms,
      tsInit: ms + 30,
    }),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-reads-'));
  io = {
    write: (t) => out.push(t),
    env: { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' },
  };
  await withStore({}, io, async (store) => {
    await store.ticks.append('real', [aTick(open, 154800, 100), aTick(open + 1500, 154810, 250)]);
    await store.ticks.append('simulated', [aTick(open, 99900, 5)]);
    const p = paise(154800);
    await store.bars.upsert('real', [
      makeBar({
        instrumentId: infy,
        interval: '1m',
        start: open,
        openPaise: p,
        highPaise: paise(154810),
        lowPaise: p,
        closePaise: paise(154810),
        volume: 250,
        oi: null,
        origin: 'live',
      }),
    ]);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const printed = () => out.splice(0).join('');

describe('runTicks', () => {
  it('prints JSON with the Tick field names, paise and IST times', async () => {
    await runTicks({ symbol: 'NSE:INFY', from: '2026-11-20', to: '2026-11-20', json: true }, io);
    const rows = JSON.parse(printed()) as Record<string, unknown>[];
    expect(rows.map((r) => r['lastPricePaise'])).toEqual([154800, 154810]);
    expect(rows[1]).toMatchObject({
      instrumentId: 'INFY.NSE',
      volume: 250,
      exchangeTs: '2026-11-20T09:15:01.500+05:30',
      tsInit: '2026-11-20T09:15:01.530+05:30',
    });
  });

  it('prints CSV and a table, and reads the simulated namespace on request', async () => {
    await runTicks({ symbol: 'NSE:INFY', from: '2026-11-20T09:15', to: '2026-11-20T09:16', csv: true }, io);
    const csv = printed().trimEnd().split('\n');
    expect(csv[0]?.startsWith('instrumentId,token,tradable,mode,lastPricePaise,')).toBe(true);
    expect(csv).toHaveLength(3);
    await runTicks({ symbol: 'INFY.NSE', from: '2026-11-20', to: '2026-11-20', simulated: true }, io);
    const table = printed();
    expect(table).toContain('2026-11-20T09:15:00.000+05:30  99900');
    expect(table).toContain('1 ticks of INFY.NSE (simulated)');
  });

  it('rejects bad input and a range past the limit with the reason', async () => {
    await expect(
      runTicks({ symbol: 'NSE:INFY', from: '2026-11-20', to: '2026-11-20', json: true, csv: true }, io),
    ).rejects.toThrow('choose one of --json and --csv');
    await expect(runTicks({ symbol: 'INFY', from: '2026-11-20', to: '2026-11-20' }, io)).rejects.toThrow(
      /"INFY" is not EXCHANGE:SYMBOL/,
    );
    await expect(runTicks({ symbol: 'NSE:INFY', from: 'today', to: '2026-11-20' }, io)).rejects.toThrow(
      'from "today"',
    );
    await expect(
      runTicks({ symbol: 'NSE:INFY', from: '2026-11-20', to: '2026-11-20', limit: 1 }, io),
    ).rejects.toThrow('the tick range of INFY.NSE holds more than 1 rows');
  });
});

describe('runBars', () => {
  it('prints the bars with the Bar field names as JSON and CSV', async () => {
    await runBars(
      { symbol: 'NSE:INFY', interval: '1m', from: '2026-11-20', to: '2026-11-20', json: true },
      io,
    );
    expect(JSON.parse(printed())).toEqual([
      {
        instrumentId: 'INFY.NSE',
        interval: '1m',
        start: '2026-11-20T09:15:00.000+05:30',
        openPaise: 154800,
        highPaise: 154810,
        lowPaise: 154800,
        closePaise: 154810,
        volume: 250,
        oi: null,
        origin: 'live',
      },
    ]);
    await runBars(
      { symbol: 'NSE:INFY', interval: '1m', from: '2026-11-20', to: '2026-11-20', csv: true },
      io,
    );
    expect(printed()).toBe(
      'instrumentId,interval,start,openPaise,highPaise,lowPaise,closePaise,volume,oi,origin\n' +
        'INFY.NSE,1m,2026-11-20T09:15:00.000+05:30,154800,154810,154800,154810,250,,live\n',
    );
  });

  it('rejects an unknown interval', async () => {
    await expect(
      runBars({ symbol: 'NSE:INFY', interval: 'minute', from: '2026-11-20', to: '2026-11-21' }, io),
    ).rejects.toThrow('interval "minute" is not one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 60m, 1d');
  });
});
