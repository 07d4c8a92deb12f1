import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSlippageFixture } from '../../../server/src/research/slippage-calibration.testing.ts';
import { withStore, type CommandIo } from './market-data-cli.ts';
import { registerSlippageCommand, runSlippageCalibrate } from './slippage.ts';

let dir: string;
const out: string[] = [];
let io: CommandIo;
const printed = () => out.splice(0).join('');
const day = { account: 'acc_demo', from: '2026-11-23', to: '2026-11-23' } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-slippage-'));
  io = {
    write: (t) => out.push(t),
    env: { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' },
  };
  await withStore({}, io, (store) => seedSlippageFixture(store));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runSlippageCalibrate', () => {
  it('prints the fixed-bps fit of the simulated fills and the flag for kitepilot backtest', async () => {
    const report = await runSlippageCalibrate({ ...day, simulated: true }, io);
    expect(report.parameter).toBeCloseTo(5, 9);
    const text = printed();
    expect(text).toContain(
      'slippage calibration of acc_demo on 2026-11-23..2026-11-23 (IST), simulated prices',
    );
    expect(text).toMatch(/parameter +5\.00 bps/);
    expect(text).toMatch(
      /samples +3 used \(2 of 3 referenced to a tick, the rest to a bar close\), 0 skipped/,
    );
    expect(text).toMatch(/skipped orders +2: ord_F1 no-stored-fills, ord_N1 no-reference-price/);
    expect(text).toMatch(/MAE +0\.00 bps, 0\.00 paise per unit/);
    expect(text).toMatch(/mean slippage +5\.00 bps/);
    expect(text).toMatch(/backtest flag +--slippage bps:5\n/);
  });

  it('prints the volatility-participation fit as JSON', async () => {
    const report = await runSlippageCalibrate(
      { ...day, simulated: true, model: 'volatility-participation', json: true },
      io,
    );
    const json = JSON.parse(printed()) as Record<string, unknown>;
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json).toMatchObject({ model: 'volatility-participation', samples: 3, namespace: 'simulated' });
    expect(report.parameter).toBeGreaterThan(0);
    expect(json.slippageFlag).toBe(`vol:${Number(report.parameter.toPrecision(4))}`);
    await runSlippageCalibrate({ ...day, simulated: true, model: 'volatility-participation' }, io);
    expect(printed()).toMatch(/parameter +\d+\.\d+ \(k\)\n/);
  });

  it('says why there is no sample: no reference price in real, no market order on other days', async () => {
    await expect(runSlippageCalibrate(day, io)).rejects.toThrow(
      /none of the 5 filled MARKET\/SL-M orders for acc_demo .* 4 without a reference price/,
    );
    await expect(
      runSlippageCalibrate({ ...day, from: '2026-11-01', to: '2026-11-02', simulated: true }, io),
    ).rejects.toThrow('no MARKET or SL-M orders with fills for acc_demo on 2026-11-01..2026-11-02 (IST)');
    expect(printed()).toBe('');
  });

  it('refuses bad flags and an unknown account, naming the value', async () => {
    await expect(runSlippageCalibrate({ ...day, model: 'spread' }, io)).rejects.toThrow(
      'model "spread" must be one of fixed-bps, volatility-participation',
    );
    await expect(runSlippageCalibrate({ ...day, from: '2026-11-31' }, io)).rejects.toThrow(
      'from "2026-11-31" is not a calendar date',
    );
    await expect(runSlippageCalibrate({ ...day, to: '2026-11-22' }, io)).rejects.toThrow(
      'to 2026-11-22 is before from 2026-11-23',
    );
    await expect(runSlippageCalibrate({ ...day, account: 'demo' }, io)).rejects.toThrow(
      '--account: account id "demo" does not start with "acc_"',
    );
    await expect(runSlippageCalibrate({ ...day, account: 'acc_nobody' }, io)).rejects.toThrow(
      'account acc_nobody does not exist in this data directory',
    );
  });
});

describe('registerSlippageCommand', () => {
  const program = () => {
    const p = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerSlippageCommand(p);
    return p;
  };

  it('requires --from and --to and checks their form', async () => {
    await expect(
      program().parseAsync(['slippage', 'calibrate', '--to', '2026-11-23'], { from: 'user' }),
    ).rejects.toThrow(/required option '--from <YYYY-MM-DD>' not specified/);
    await expect(
      program().parseAsync(['slippage', 'calibrate', '--from', '23/11/2026', '--to', '2026-11-23'], {
        from: 'user',
      }),
    ).rejects.toThrow('--from "23/11/2026" is not an IST date YYYY-MM-DD');
  });
});
