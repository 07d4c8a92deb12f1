import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aFill,
  anIntent,
  anOrder,
  flatPosition,
  instrumentId,
  istToEpochMs,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueTradeId,
} from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStore } from './market-data-cli.ts';
import { runFills, runOrders, runPositions, type TradingReadsIo } from './trading-reads.ts';

const main = parseAccountId('acc_default');
const other = parseAccountId('acc_other');
const now = istToEpochMs('2026-11-23', '11:00');
let dir: string;
const out: string[] = [];
let io: TradingReadsIo;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-trading-reads-'));
  io = {
    write: (t) => out.push(t),
    env: { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' },
    now: () => now,
  };
  await withStore({}, io, async (store) => {
    for (const account of [main, other]) {
      const run = parseRunId(`run_${account.slice(4)}`);
      await store.accounts.create({ id: account, name: account, createdAt: now });
      await store.runs.create(account, {
        id: run,
        environment: 'paper',
        strategyId: parseStrategyId('str_orb'),
        config: {},
        startedAt: now,
      });
      const n = account === main ? 'M' : 'X';
      const entry = istToEpochMs('2026-11-23', '09:20');
      const intent = anIntent({
        id: parseIntentId(`int_${n}1`),
        accountId: account,
        runId: run,
        qty: 2,
        side: 'SELL',
        tsEvent: entry,
        tsInit: entry,
      });
      await store.intents.insert(account, intent);
      await store.orders.save(account, {
        ...anOrder({ ...intent, clientOrderId: parseClientOrderId(`ord_${n}1`), createdAt: entry }),
        status: 'FILLED',
        filledQty: 2,
        filledValuePaise: paise(314741),
        updatedAt: entry + 800,
      });
      await store.fills.insert(
        account,
        aFill({
          id: parseFillId(`fil_${n}1`),
          accountId: account,
          clientOrderId: parseClientOrderId(`ord_${n}1`),
          venueTradeId: parseVenueTradeId(`7000${n}`),
          side: 'SELL',
          qty: 2,
          pricePaise: paise(157370),
          tsEvent: entry + 700,
          tsInit: entry + 750,
        }),
      );
      await store.fills.insert(
        account,
        aFill({
          id: parseFillId(`fil_${n}0`),
          accountId: account,
          clientOrderId: parseClientOrderId(`ord_${n}1`),
          venueTradeId: parseVenueTradeId(`6999${n}`),
          tsEvent: istToEpochMs('2026-11-22', '15:10'),
          tsInit: istToEpochMs('2026-11-22', '15:10'),
        }),
      );
    }
    await store.positions.save(main, {
      ...flatPosition(main, instrumentId('RELIANCE', 'NSE'), 'MIS', istToEpochMs('2026-11-23', '09:20:01')),
      netQty: -2,
      costBasisPaise: paise(-314741),
      realisedPnlPaise: paise(150050),
    });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const printed = () => out.splice(0).join('');

describe('runOrders', () => {
  it("prints today's orders of the configured account as JSON with paise, rupees and IST times", async () => {
    const rows = await runOrders({ json: true }, io);
    const json = JSON.parse(printed()) as Record<string, unknown>[];
    expect(json).toEqual(rows);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      clientOrderId: 'ord_M1',
      accountId: 'acc_default',
      side: 'SELL',
      qty: 2,
      status: 'FILLED',
      limitPricePaise: 157370,
      limitPrice: '1573.70',
      filledValuePaise: 314741,
      filledValue: '3147.41',
      // 314741 / 2 = 157370.5 paise, rounded half-up.
      averagePricePaise: 157371,
      averagePrice: '1573.71',
      createdAt: '2026-11-23T09:20:00.000+05:30',
      updatedAt: '2026-11-23T09:20:00.800+05:30',
    });
  });

  it('prints a table in rupees for another account and day', async () => {
    await runOrders({ account: 'acc_other' }, io);
    const table = printed();
    expect(table).toMatch(/^CREATED \(IST\) +ORDER +INSTRUMENT +SIDE/);
    expect(table).toContain('2026-11-23T09:20:00.000+05:30  ord_X1  RELIANCE.NSE  SELL  2    2       LIMIT');
    expect(table).toContain('1573.70  1573.71  FILLED');
    expect(table).toContain('1 orders of acc_other on 2026-11-23 (IST)');
    await runOrders({ date: '2026-11-22' }, io);
    expect(printed()).toContain('0 orders of acc_default on 2026-11-22 (IST)');
  });

  it('refuses a bad date, a malformed account and an unknown account, naming the value', async () => {
    await expect(runOrders({ date: '23/11/2026' }, io)).rejects.toThrow(
      '--date "23/11/2026" is not YYYY-MM-DD',
    );
    await expect(runOrders({ date: '2026-02-30' }, io)).rejects.toThrow(
      '--date "2026-02-30" is not a calendar date',
    );
    await expect(runFills({ account: 'default' }, io)).rejects.toThrow(
      '--account: account id "default" does not start with "acc_"',
    );
    await expect(runPositions({ account: 'acc_nobody' }, io)).rejects.toThrow(
      'account acc_nobody does not exist in this data directory',
    );
  });
});

describe('runFills', () => {
  it("prints the day's fills with price and value", async () => {
    const rows = await runFills({ json: true }, io);
    expect(JSON.parse(printed())).toEqual([
      {
        id: 'fil_M1',
        clientOrderId: 'ord_M1',
        venueTradeId: '7000M',
        accountId: 'acc_default',
        instrumentId: 'RELIANCE.NSE',
        product: 'MIS',
        side: 'SELL',
        qty: 2,
        pricePaise: 157370,
        price: '1573.70',
        valuePaise: 314740,
        value: '3147.40',
        tsEvent: '2026-11-23T09:20:00.700+05:30',
        tsInit: '2026-11-23T09:20:00.750+05:30',
      },
    ]);
    expect(rows).toHaveLength(1);
    await runFills({ date: '2026-11-22' }, io);
    const table = printed();
    expect(table).toContain(
      '2026-11-22T15:10:00.000+05:30  6999M  ord_M1  RELIANCE.NSE  BUY   1    MIS      1573.70  1573.70',
    );
    expect(table).toContain('1 fills of acc_default on 2026-11-22 (IST)');
  });
});

describe('runPositions', () => {
  it('prints net quantity, average price and realised P&L', async () => {
    await runPositions({ json: true }, io);
    expect(JSON.parse(printed())).toEqual([
      {
        accountId: 'acc_default',
        instrumentId: 'RELIANCE.NSE',
        product: 'MIS',
        netQty: -2,
        averagePricePaise: 157371,
        averagePrice: '1573.71',
        costBasisPaise: -314741,
        costBasis: '-3147.41',
        realisedPnlPaise: 150050,
        realisedPnl: '1500.50',
        updatedAt: '2026-11-23T09:20:01.000+05:30',
      },
    ]);
    await runPositions({}, io);
    const table = printed();
    expect(table).toContain('RELIANCE.NSE  MIS      -2       1573.71      1500.50');
    expect(table).toContain('1 positions of acc_default (1 open)');
    await runPositions({ account: 'acc_other' }, io);
    expect(printed()).toContain('0 positions of acc_other (0 open)');
  });
});
