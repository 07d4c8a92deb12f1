import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, instrumentId, istDate, istToEpochMs, makeTick, paise } from '@kitepilot/core';
import { SqlRetentionRepository } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStore, type CommandIo } from './market-data-cli.ts';
import { runRetentionRun } from './retention.ts';

let dir: string;
const out: string[] = [];
let io: CommandIo;
const today = istDate(Date.now());
const old = addDays(today, -10);
const recent = addDays(today, -2);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-retention-'));
  io = {
    write: (t) => out.push(t),
    env: {
      KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'),
      KITEPILOT_STORAGE_DURABLE: 'false',
      KITEPILOT_MARKET_DATA_TICK_RETENTION_DAYS: '7',
    },
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runRetentionRun', () => {
  it('drops tick partitions past the configured window, keeps recent ones and records a job run', async () => {
    await withStore({}, io, async (store) => {
      for (const day of [old, recent]) {
        const ms = istToEpochMs(day, '09:15');
        await store.ticks.ensureDayPartition(day);
        await store.ticks.append('real', [
          {
            instrumentId: instrumentId('INFY', 'NSE'),
            tick: makeTick({
              token: 408065,
              tradable: true,
              mode: 'ltp',
              lastPricePaise: paise(154800),
              tsInit: ms,
            }),
          },
        ]);
      }
    });
    const result = await runRetentionRun({ json: true }, io);
    expect(result.tickCutoffDay).toBe(addDays(today, -7));
    expect(result.droppedPartitions).toEqual([old]);
    expect(JSON.parse(out.splice(0).join(''))).toMatchObject({ droppedPartitions: [old], deletedBars: 0 });
    await withStore({}, io, async (store) => {
      expect(await new SqlRetentionRepository(store.driver).listTickPartitions()).toEqual([recent]);
      const [phase] = await store.jobRuns.listByRun(result.jobRunId);
      expect(phase).toMatchObject({ job: 'retention', isError: false });
    });
  });
});
