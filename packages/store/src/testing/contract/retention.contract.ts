import {
  anIntent,
  anOrder,
  instrumentId,
  makeBar,
  makeTick,
  paise,
  parseAccountId,
  parseRunId,
  parseStrategyId,
  type Bar,
  type InstrumentTick,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { SqlRetentionRepository, tickPartitionDay } from '../../repositories/retention.ts';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const infy = instrumentId('INFY', 'NSE');
const account = parseAccountId('acc_R');
const run = parseRunId('run_R');

/** 09:15 IST (03:45 UTC) of a UTC day. */
function sessionOpen(day: string): number {
  return Date.parse(`${day}T03:45:00Z`);
}

function aTick(ms: number): InstrumentTick {
  return {
    instrumentId: infy,
    tick: makeTick({ token: 408065, tradable: true, mode: 'ltp', lastPricePaise: paise(154800), tsInit: ms }),
  };
}

function aBar(start: number): Bar {
  return makeBar({
    instrumentId: infy,
    interval: '1m',
    start,
    openPaise: paise(154800),
    highPaise: paise(154900),
    lowPaise: paise(154700),
    closePaise: paise(154850),
    volume: 100,
    oi: null,
    origin: 'live',
  });
}

async function count(backend: StoreTestBackend, sql: string): Promise<number> {
  const result = await backend.driver().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`);
  return result.rows[0]?.n ?? -1;
}

/** Runs the retention contract: old tick partitions dropped, recent ones kept, bars by window, orders untouched. */
export function retentionContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  describe(`SqlRetentionRepository (${backend.kind})`, () => {
    it('reads the day of a tick partition name and nothing else', () => {
      expect(tickPartitionDay('ticks_20261120')).toBe('2026-11-20');
      expect(tickPartitionDay('ticks_default')).toBeNull();
      expect(tickPartitionDay('orders')).toBeNull();
    });

    it('drops the day partitions before the cutoff day and keeps the later ones with their rows', async () => {
      const s = store();
      const retention = new SqlRetentionRepository(s.driver);
      const days = ['2026-10-01', '2026-10-02', '2026-11-19', '2026-11-20'];
      for (const day of days) {
        await s.ticks.ensureDayPartition(day);
        await s.ticks.append('real', [aTick(sessionOpen(day)), aTick(sessionOpen(day) + 1000)]);
      }
      expect((await retention.listTickPartitions()).filter((d) => days.includes(d))).toEqual(days);
      const dropped = await retention.dropTickPartitionsBefore('2026-11-19');
      expect(dropped).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-02']));
      expect(dropped.every((d) => d < '2026-11-19')).toBe(true);
      expect(await retention.listTickPartitions()).toEqual(['2026-11-19', '2026-11-20']);
      expect(await s.ticks.read('real', infy, sessionOpen('2026-10-01'), sessionOpen('2026-10-03'))).toEqual(
        [],
      );
      expect(
        await s.ticks.read('real', infy, sessionOpen('2026-11-19'), sessionOpen('2026-11-21')),
      ).toHaveLength(4);
      expect(await retention.dropTickPartitionsBefore('2026-11-19')).toEqual([]);
    });

    it('deletes old rows of the default partition and of the quarantine, keeping recent ones', async () => {
      const s = store();
      const retention = new SqlRetentionRepository(s.driver);
      for (const day of ['2025-01-02', '2025-03-03']) {
        // Written straight into the default partition: the rows of a day that had no partition when they arrived.
        await s.driver.query(
          `INSERT INTO ticks_default (namespace, instrument_id, ts, token, mode, tradable, last_price_paise, received_at)
           VALUES ('real', 'INFY.NSE', $1::timestamptz, 408065, 'ltp', true, 154800, $1::timestamptz)`,
          [new Date(sessionOpen(day)).toISOString()],
        );
        await s.driver.query(
          `INSERT INTO tick_quarantine (namespace, token, ts, received_at, reason_code, reason, raw)
           VALUES ('real', 408065, $1::timestamptz, $1::timestamptz, 'non-positive-price', 'last price 0', '{}')`,
          [new Date(sessionOpen(day)).toISOString()],
        );
      }
      const cutoff = Date.parse('2025-02-01T00:00:00Z');
      expect(await retention.deleteUnpartitionedTicksBefore(cutoff)).toBe(1);
      expect(await retention.deleteQuarantinedTicksBefore(cutoff)).toBe(1);
      expect(await count(backend, 'ticks_default')).toBe(1);
      expect(await count(backend, 'tick_quarantine')).toBe(1);
    });

    it('deletes bars that start before the cutoff, of every origin, and keeps the rest', async () => {
      const s = store();
      const retention = new SqlRetentionRepository(s.driver);
      const old = sessionOpen('2025-05-19');
      const recent = sessionOpen('2026-11-20');
      await s.bars.upsert('real', [aBar(old), aBar(recent)]);
      await s.bars.upsert('simulated', [{ ...aBar(old), origin: 'historical' }]);
      expect(await retention.deleteBarsBefore(sessionOpen('2025-05-20'))).toBe(2);
      expect((await s.bars.read('real', infy, '1m', 0, recent + 60_000)).map((b) => b.start)).toEqual([
        recent,
      ]);
      expect(await s.bars.read('simulated', infy, '1m', 0, recent)).toEqual([]);
    });

    it('never touches order-related rows, however old', async () => {
      const s = store();
      const retention = new SqlRetentionRepository(s.driver);
      const longAgo = sessionOpen('2020-01-01');
      await s.accounts.create({ id: account, name: 'retention test', createdAt: longAgo });
      await s.runs.create(account, {
        id: run,
        environment: 'paper',
        strategyId: parseStrategyId('str_test'),
        config: {},
        startedAt: longAgo,
      });
      await s.intents.insert(
        account,
        anIntent({ accountId: account, runId: run, tsEvent: longAgo, tsInit: longAgo }),
      );
      await s.orders.save(account, anOrder({ accountId: account, runId: run }));
      const before = await Promise.all(
        [
          'orders',
          'order_intents',
          'runs',
          'accounts',
          'order_events',
          'fills',
          'positions',
          'audit_events',
        ].map((t) => count(backend, t)),
      );
      const now = sessionOpen('2026-11-20');
      await retention.dropTickPartitionsBefore('2026-11-20');
      await retention.deleteUnpartitionedTicksBefore(now);
      await retention.deleteQuarantinedTicksBefore(now);
      await retention.deleteBarsBefore(now);
      const after = await Promise.all(
        [
          'orders',
          'order_intents',
          'runs',
          'accounts',
          'order_events',
          'fills',
          'positions',
          'audit_events',
        ].map((t) => count(backend, t)),
      );
      expect(after).toEqual(before);
      expect(before.slice(0, 4)).toEqual([1, 1, 1, 1]);
    });

    it('refuses a cutoff day that is not YYYY-MM-DD', async () => {
      const retention = new SqlRetentionRepository(store().driver);
      await expect(retention.dropTickPartitionsBefore('2026-11-20; DROP TABLE orders')).rejects.toThrow(
        "retention day '2026-11-20; DROP TABLE orders' is not YYYY-MM-DD",
      );
    });
  });
}
