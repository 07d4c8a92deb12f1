import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aNiftyFuture, aNiftyOption, anInstrument, istDate } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInstrumentsList, runInstrumentsShow, runInstrumentsSync } from './instruments.ts';
import { withStore, type CommandIo } from './market-data-cli.ts';

let dir: string;
let out: string[];
let io: CommandIo;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-instruments-'));
  out = [];
  io = {
    write: (t) => out.push(t),
    env: {
      KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'),
      KITEPILOT_STORAGE_DURABLE: 'false',
      KITEPILOT_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  };
  await withStore({}, io, async (store) => {
    await store.instruments.saveVersion('real', istDate(Date.now()), [
      anInstrument(),
      anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 }),
      aNiftyFuture(),
      aNiftyOption(),
    ]);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const printed = () => out.splice(0).join('');

describe('runInstrumentsList', () => {
  it('lists today’s master filtered by exchange and type, as a table or JSON', async () => {
    const nfo = await runInstrumentsList({ exchange: 'NFO' }, io);
    expect(nfo.map((i) => i.tradingSymbol)).toEqual(['NIFTY26NOV26000CE', 'NIFTY26NOVFUT']);
    const table = printed();
    expect(table).toContain('NFO:NIFTY26NOVFUT');
    expect(table).toContain('2 of 4 instruments (real master in force on');
    await runInstrumentsList({ exchange: 'nfo', type: 'fut', json: true }, io);
    const json = JSON.parse(printed()) as {
      id: string;
      lotSize: number;
      freezeQty: number;
      expiry: string;
    }[];
    expect(json).toEqual([
      expect.objectContaining({
        id: 'NIFTY26NOVFUT.NFO',
        lotSize: 65,
        freezeQty: 1800,
        expiry: '2026-11-24',
      }),
    ]);
  });

  it('rejects an unknown exchange or type and says when a namespace has no master', async () => {
    await expect(runInstrumentsList({ exchange: 'MCX' }, io)).rejects.toThrow(
      'exchange "MCX" is not NSE, BSE, NFO or BFO',
    );
    await expect(runInstrumentsList({ type: 'OPT' }, io)).rejects.toThrow(
      'instrument type "OPT" is not one of EQ, FUT, CE, PE, INDEX',
    );
    await expect(runInstrumentsList({ simulated: true }, io)).rejects.toThrow(
      'no instruments master in namespace simulated: run `kitepilot instruments sync` first',
    );
  });
});

describe('runInstrumentsShow', () => {
  it('shows one instrument by EXCHANGE:SYMBOL or by token', async () => {
    expect((await runInstrumentsShow('NSE:INFY', {}, io)).token).toBe(408065);
    expect(printed()).toMatch(/token\s+408065/);
    expect((await runInstrumentsShow(String(aNiftyOption().token), { json: true }, io)).id).toBe(
      'NIFTY26NOV26000CE.NFO',
    );
    expect(JSON.parse(printed())).toMatchObject({
      strikePaise: 2_600_000,
      expiry: '2026-11-24',
      lotSize: 65,
    });
  });

  it('fails with the reason for an unknown instrument', async () => {
    await expect(runInstrumentsShow('NSE:NOSUCH', {}, io)).rejects.toThrow(
      /instrument NSE:NOSUCH is not in the real instruments master as of \d{4}-\d{2}-\d{2}/,
    );
  });
});

describe('runInstrumentsSync', () => {
  it('asks for `kitepilot kite login` when no Kite session is stored', async () => {
    await expect(runInstrumentsSync({}, io)).rejects.toThrow(
      'no Kite session is stored for acc_default: run `kitepilot kite login` first',
    );
  });
});
