import {
  asInstrumentId,
  istToEpochMs,
  parseAccountId,
  parseRunId,
  parseSignalId,
  parseStrategyId,
  type Signal,
} from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import { registerSignalRoutes } from './signals.ts';

const account = parseAccountId('acc_default');
const runId = parseRunId('run_sig1');

function aSignal(id: string, strategy: string, at: number, overrides: Partial<Signal> = {}): Signal {
  return {
    id: parseSignalId(id),
    accountId: account,
    runId,
    strategyId: parseStrategyId(strategy),
    instrumentId: asInstrumentId('INFY.NSE'),
    direction: 'LONG',
    strength: null,
    reason: 'SMA(10) crossed above SMA(30)',
    tsEvent: at,
    tsInit: at + 5,
    ...overrides,
  };
}

describe('signal routes', () => {
  let t: ApiTestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.as('readonly') });
  type Page = { items: { id: string; strategyId: string; tsEvent: string }[]; nextCursor: string | null };

  beforeAll(async () => {
    t = await apiTestApp(registerSignalRoutes);
    await t.store.runs.create(account, {
      id: runId,
      environment: 'paper',
      strategyId: parseStrategyId('str_a'),
      config: {},
      startedAt: istToEpochMs('2026-11-20', '09:00'),
    });
    const at = (date: string, time: string) => istToEpochMs(date, time);
    for (const s of [
      aSignal('sig_1', 'str_a', at('2026-11-23', '09:20')),
      aSignal('sig_2', 'str_b', at('2026-11-23', '09:25'), { direction: 'SHORT', strength: -0.5 }),
      aSignal('sig_3', 'str_a', at('2026-11-23', '09:25')),
      aSignal('sig_4', 'str_a', at('2026-11-23', '11:00'), { direction: 'FLAT' }),
      aSignal('sig_0', 'str_a', at('2026-11-20', '10:00')),
    ]) {
      await t.store.signals.insert(account, s);
    }
  });
  afterAll(async () => t.close());

  it("lists today's signals of the caller's default account, oldest first, in IST", async () => {
    const response = await get('/api/signals');
    expect(response.statusCode).toBe(200);
    const page = response.json<Page>();
    expect(page.items.map((s) => s.id)).toEqual(['sig_1', 'sig_2', 'sig_3', 'sig_4']);
    expect(page.items[1]).toMatchObject({
      accountId: 'acc_default',
      runId: 'run_sig1',
      direction: 'SHORT',
      strength: -0.5,
      tsEvent: '2026-11-23T09:25:00.000+05:30',
      tsInit: '2026-11-23T09:25:00.005+05:30',
    });
  });

  it('filters by date and strategy', async () => {
    const ids = async (url: string) => (await get(url)).json<Page>().items.map((s) => s.id);
    expect(await ids('/api/signals?date=2026-11-20')).toEqual(['sig_0']);
    expect(await ids('/api/signals?strategy=str_b')).toEqual(['sig_2']);
    expect(await ids('/api/signals?date=2026-11-22')).toEqual([]);
    expect(await ids('/api/signals?account=acc_other')).toEqual([]);
  });

  it('pages through ties of event time without losing one', async () => {
    const first = (await get('/api/signals?limit=2')).json<Page>();
    expect(first.items.map((s) => s.id)).toEqual(['sig_1', 'sig_2']);
    const second = (await get(`/api/signals?limit=2&cursor=${first.nextCursor ?? ''}`)).json<Page>();
    expect(second.items.map((s) => s.id)).toEqual(['sig_3', 'sig_4']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a bad date, a bad strategy id and an account the caller may not use', async () => {
    const date = await get('/api/signals?date=2026-13-01');
    expect(date.statusCode).toBe(400);
    expect(date.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/2026-13-01/) },
    });
    expect((await get('/api/signals?strategy=sma')).statusCode).toBe(400);
    const foreign = await get('/api/signals?account=acc_foreign');
    expect(foreign.statusCode).toBe(403);
  });
});
