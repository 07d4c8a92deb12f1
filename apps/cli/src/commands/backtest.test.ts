import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarFileError } from '@kitepilot/research';
import { BacktestSpecError } from '@kitepilot/server';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestSpecOf, runBacktestCommand, type BacktestFlags } from './backtest.ts';

const dir = mkdtempSync(join(tmpdir(), 'kitepilot-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Two IST days of minute bars (4 and 5 March 2026), prices continuing across days: each day falls for 10 bars,
 * rises for 50 and falls for 60, so SMA(3)/SMA(6) crosses up once and down once a day. Opens are one tick above the
 * previous close, so next-open fills (ending in 5 paise) differ from close fills (ending in 0).
 */
function csv(): string {
  const lines = ['datetime,open,high,low,close,volume'];
  let close = 1000;
  for (const date of ['2026-03-04', '2026-03-05']) {
    for (let i = 0; i < 120; i++) {
      const hh = String(9 + Math.floor((15 + i) / 60)).padStart(2, '0');
      const mm = String((15 + i) % 60).padStart(2, '0');
      const open = close + 0.05;
      close = i < 10 || i >= 60 ? close - 0.5 : close + 0.5;
      const high = Math.max(open, close) + 0.25;
      const low = Math.min(open, close) - 0.25;
      lines.push(
        `${date} ${hh}:${mm}:00,${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},1000`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const file = join(dir, 'infy.csv');
writeFileSync(file, csv());

async function run(flags: BacktestFlags): Promise<{ out: string; json: Record<string, unknown> | null }> {
  let out = '';
  await runBacktestCommand(flags, { write: (t) => (out += t), env: {} });
  return { out, json: flags.json === true ? (JSON.parse(out) as Record<string, unknown>) : null };
}

const base: BacktestFlags = {
  data: file,
  strategy: 'sma-cross',
  param: ['fast=3', 'slow=6', 'stopPct=50'],
  qty: '10',
  fill: 'next-open',
  charges: 'none',
  save: false,
  json: true,
};

describe('kitepilot backtest', () => {
  it('prints metrics, finalEquity, trades and barsPerSecond as one JSON object (the issue example)', async () => {
    const { json } = await run(base);
    expect(json).not.toBeNull();
    const trades = json?.['trades'] as {
      entryPrice: number;
      exitPrice: number;
      qty: number;
      pnl: number;
      entryTime: string;
    }[];
    // One up-cross in the rise of each day; each trade ends with the down-cross of the fall.
    expect(trades).toHaveLength(2);
    expect(trades[0]?.qty).toBe(10);
    expect(trades[0]?.entryTime.startsWith('2026-03-04T09:')).toBe(true);
    // Next-open fills: the entry price is a bar open (ends in .x5 by construction), not a close (ends in .x0).
    expect(Math.round((trades[0]?.entryPrice ?? 0) * 100) % 10).toBe(5);
    const metrics = json?.['metrics'] as { trades: number; netPnlPaise: number; chargesPaise: number };
    expect(metrics.trades).toBe(2);
    expect(metrics.chargesPaise).toBe(0);
    const pnl = trades.reduce((s, t) => s + t.pnl, 0);
    expect(json?.['finalEquity']).toBeCloseTo(1_000_000 + pnl, 2);
    expect(json?.['barsPerSecond']).toBeGreaterThan(0);
  });

  it('charges every fill with --charges zerodha and pct:X, and fills at the decision close with --fill close', async () => {
    const none = (await run(base)).json;
    const zerodha = (await run({ ...base, charges: 'zerodha' })).json;
    const pct = (await run({ ...base, charges: 'pct:0.1' })).json;
    const m = (j: Record<string, unknown> | null) =>
      j?.['metrics'] as { chargesPaise: number; netPnlPaise: number };
    expect(m(zerodha).chargesPaise).toBeGreaterThan(0);
    expect(m(none).netPnlPaise - m(zerodha).netPnlPaise).toBe(m(zerodha).chargesPaise);
    // pct:0.1 on four orders of ₹10,0xx each: about ₹10 a side.
    expect(m(pct).chargesPaise).toBeGreaterThan(3_900);
    expect(m(pct).chargesPaise).toBeLessThan(4_200);
    const close = (await run({ ...base, fill: 'close' })).json;
    const entry = (close?.['trades'] as { entryPrice: number }[])[0]?.entryPrice ?? 0;
    expect(Math.round(entry * 100) % 10).toBe(0);
  });

  it('writes the text summary and the HTML report, and stores the run unless --no-save', async () => {
    const report = join(dir, 'report.html');
    const { out } = await run({ ...base, json: false, save: true, report, dataDir: join(dir, 'data') });
    expect(out).toMatch(/^backtest run_bt/);
    expect(out).toContain('Sharpe (daily, √252)');
    expect(out).toMatch(/stored: kitepilot backtests show run_bt\w+/);
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('sma-cross');
  });

  it('refuses bad flags with the flag, the value and what is allowed', () => {
    expect(() => backtestSpecOf({ ...base, fill: 'vwap' })).not.toThrow(); // checked when the run builds the venue
    expect(() => backtestSpecOf({ ...base, product: 'BO' })).toThrow(
      /--product "BO" must be MIS, CNC or NRML/,
    );
    expect(() => backtestSpecOf({ ...base, qty: '1.5' })).toThrow(
      /--qty "1.5" must be a positive whole number/,
    );
    expect(() => backtestSpecOf({ ...base, data: join(dir, 'x.txt') })).toThrow(
      /must end in .csv or .parquet/,
    );
    expect(() => backtestSpecOf({ strategy: 'sma-cross' })).toThrow(BacktestSpecError);
    expect(() =>
      backtestSpecOf({ strategy: 'sma-cross', symbol: 'NSE:INFY', from: '2026-3-1', to: '2026-03-31' }),
    ).toThrow(/--from "2026-3-1" must be YYYY-MM-DD/);
  });

  it('reads --ticks as recorded ticks of the store, and refuses --ticks with a file or --simulated without --ticks', () => {
    const flags: BacktestFlags = {
      strategy: 'sma-cross',
      symbol: 'NSE:INFY',
      from: '2026-03-02',
      to: '2026-03-03',
    };
    expect(backtestSpecOf({ ...flags, ticks: true, simulated: true }).data).toEqual({
      kind: 'ticks',
      symbol: 'NSE:INFY',
      from: '2026-03-02',
      to: '2026-03-03',
      namespace: 'simulated',
    });
    expect(backtestSpecOf(flags).data.kind).toBe('store');
    expect(() => backtestSpecOf({ ...base, ticks: true })).toThrow(
      /--ticks reads recorded ticks from the store/,
    );
    expect(() => backtestSpecOf({ ...flags, simulated: true })).toThrow(/--simulated applies to --ticks/);
  });

  it('refuses an unknown fill, charges, slippage or strategy before any bar is read', async () => {
    await expect(run({ ...base, fill: 'vwap' })).rejects.toThrow(
      /--fill "vwap" must be one of next-open, ohlc, close/,
    );
    await expect(run({ ...base, charges: 'flat' })).rejects.toThrow(
      /--charges "flat" must be none, zerodha or pct:X/,
    );
    await expect(run({ ...base, slippage: 'bps:-1' })).rejects.toThrow(/--slippage/);
    await expect(run({ ...base, strategy: 'macd' })).rejects.toThrow(/unknown strategy "macd" \(known: /);
  });

  it('reports every malformed CSV line with its number and loads nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'datetime,open,high,low,close,volume',
        '2026-03-02 09:15:00,100,101,99,100.5,10',
        '2026-03-02 09:16:00,100,99,98,100,10',
        '2026-03-02 09:17:00,abc,101,99,100,10',
        '2026-03-02 09:17:00,100,101,99,100,10',
        '2026-03-02 09:18:00,100.005,101,99,100,10',
      ].join('\n'),
    );
    const error = await run({ ...base, data: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BarFileError);
    const message = (error as Error).message;
    expect(message).toContain('line 3: needs low ≤ open, close ≤ high');
    expect(message).toContain('line 4: open must be a positive price');
    expect(message).toContain('line 6: open must be a positive price in rupees with at most two decimals');
    expect(message).toMatch(/3 problems/);
  });
});
