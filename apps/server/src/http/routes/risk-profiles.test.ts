import { anInstrument, NseCalendar } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { startTradingEnvironment } from '../../trading/trading-environment.ts';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import { registerRiskProfileRoutes } from './risk-profiles.ts';
import { withStoredTradingSettings } from './stored-trading-settings.ts';

describe('risk profile routes', () => {
  let t: ApiTestApp;
  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    role: 'owner' | 'operator' | 'readonly' = 'owner',
  ) => t.app.inject({ method, url, headers: t.as(role), ...(payload === undefined ? {} : { payload }) });
  type Profile = { name: string; active: boolean; dailyLossCap: string; [k: string]: unknown };

  beforeAll(async () => {
    t = await apiTestApp(registerRiskProfileRoutes);
  });
  afterAll(async () => t.close());

  it('creates a profile with the engine defaults for absent limits, in paise and rupees', async () => {
    const created = await send('POST', '/api/risk-profiles', {
      name: 'tight',
      dailyLossCapPaise: 250_050,
      maxOrderValuePaise: 5_000_000,
      blocklist: ['NSE:YESBANK'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'tight',
      accountId: 'acc_default',
      active: false,
      dailyLossCapPaise: 250_050,
      dailyLossCap: '2500.50',
      maxOrderValue: '50000.00',
      maxInstrumentExposurePaise: null,
      maxOrdersPerSecond: 10,
      requireStopLoss: true,
      freezeQtyPolicy: 'slice',
      entryWindowStart: '09:15',
      entryWindowEnd: '15:10',
      blocklist: ['NSE:YESBANK'],
      createdAt: '2026-11-23T10:00:00.000+05:30',
    });
    const audit = await t.store.audit.read(0, 100);
    expect(audit.map((a) => a.kind)).toContain('risk.profile.created');
  });

  it('refuses a duplicate name with 409 and limits that cannot be used with 400', async () => {
    await send('POST', '/api/risk-profiles', { name: 'dup', dailyLossCapPaise: 100 });
    const dup = await send('POST', '/api/risk-profiles', { name: 'dup', dailyLossCapPaise: 100 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/already exists/) },
    });

    const bad = async (payload: object, message: RegExp) => {
      const response = await send('POST', '/api/risk-profiles', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(message) },
      });
    };
    await bad({ name: 'a', dailyLossCapPaise: 0 }, /dailyLossCapPaise/);
    await bad({ name: 'a', dailyLossCapPaise: -5 }, /dailyLossCapPaise/);
    await bad({ name: 'a', dailyLossCapPaise: 10.5 }, /dailyLossCapPaise/);
    await bad({ name: 'a', dailyLossCapPaise: 100, maxOrdersPerSecond: 11 }, /maxOrdersPerSecond/);
    await bad(
      { name: 'a', dailyLossCapPaise: 100, entryWindowStart: '15:00', entryWindowEnd: '09:30' },
      /entry window/,
    );
    await bad(
      { name: 'a', dailyLossCapPaise: 100, maxInstrumentExposurePaise: 500, maxTotalExposurePaise: 400 },
      /could never bind/,
    );
    await bad(
      { name: 'a', dailyLossCapPaise: 100, maxOrderValuePaise: 900, maxInstrumentExposurePaise: 500 },
      /maxOrderValuePaise/,
    );
    await bad(
      { name: 'a', dailyLossCapPaise: 100, allowlist: ['NSE:INFY'], blocklist: ['NSE:INFY'] },
      /both/,
    );
    await bad({ name: 'a', dailyLossCapPaise: 100, allowlist: ['INFY'] }, /allowlist/);
    await bad({ name: 'bad name', dailyLossCapPaise: 100 }, /name/);
  });

  it('lets only the owner write; readonly and operator may list', async () => {
    expect(
      (await send('POST', '/api/risk-profiles', { name: 'x', dailyLossCapPaise: 1 }, 'operator')).statusCode,
    ).toBe(403);
    expect(
      (await send('POST', '/api/risk-profiles', { name: 'x', dailyLossCapPaise: 1 }, 'readonly')).statusCode,
    ).toBe(403);
    expect((await send('GET', '/api/risk-profiles', undefined, 'readonly')).statusCode).toBe(200);
  });

  it('replaces the limits with PUT and answers 404 for an unknown profile', async () => {
    await send('POST', '/api/risk-profiles', { name: 'edit', dailyLossCapPaise: 100, maxOrdersPerDay: 50 });
    t.clock.advanceBy(60_000);
    const updated = await send('PUT', '/api/risk-profiles/edit', { dailyLossCapPaise: 200 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      dailyLossCapPaise: 200,
      maxOrdersPerDay: null,
      updatedAt: '2026-11-23T10:01:00.000+05:30',
    });
    const missing = await send('PUT', '/api/risk-profiles/nothing', { dailyLossCapPaise: 200 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await send('PUT', '/api/risk-profiles/edit', { dailyLossCapPaise: 0 })).statusCode).toBe(400);
  });

  it('activates one profile at a time and refuses to delete the active one', async () => {
    await send('POST', '/api/risk-profiles', { name: 'day', dailyLossCapPaise: 300_000 });
    await send('POST', '/api/risk-profiles', { name: 'night', dailyLossCapPaise: 100_000 });
    expect((await send('POST', '/api/risk-profiles/day/activate')).json()).toMatchObject({
      name: 'day',
      active: true,
    });
    expect((await send('POST', '/api/risk-profiles/night/activate')).json()).toMatchObject({
      name: 'night',
      active: true,
    });
    const list = (await send('GET', '/api/risk-profiles?limit=1000')).json<{ items: Profile[] }>();
    expect(list.items.filter((p) => p.active).map((p) => p.name)).toEqual(['night']);

    const refused = await send('DELETE', '/api/risk-profiles/night');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/active/) },
    });
    expect((await send('DELETE', '/api/risk-profiles/day')).statusCode).toBe(204);
    expect((await send('DELETE', '/api/risk-profiles/day')).statusCode).toBe(404);
    expect((await send('POST', '/api/risk-profiles/day/activate')).statusCode).toBe(404);
  });

  it('keeps accounts apart and pages by name', async () => {
    await send('POST', '/api/risk-profiles?account=acc_other', { name: 'other-only', dailyLossCapPaise: 1 });
    const other = (await send('GET', '/api/risk-profiles?account=acc_other')).json<{ items: Profile[] }>();
    expect(other.items.map((p) => p.name)).toEqual(['other-only']);
    const mine = (await send('GET', '/api/risk-profiles?limit=1000')).json<{ items: Profile[] }>();
    expect(mine.items.map((p) => p.name)).not.toContain('other-only');
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = (await send('GET', `/api/risk-profiles?limit=2${suffix}`)).json<{
        items: Profile[];
        nextCursor: string | null;
      }>();
      names.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(names).toEqual(mine.items.map((p) => p.name));
    expect(names).toEqual([...names].sort());
    expect((await send('GET', '/api/risk-profiles?account=acc_foreign')).statusCode).toBe(403);
  });

  it('makes the active profile the limits trading starts with, replacing [risk]', async () => {
    await send('POST', '/api/risk-profiles', {
      name: 'live',
      dailyLossCapPaise: 123_456,
      maxOpenPositions: 2,
      maxOrdersPerSecond: 3,
      allowlist: ['NSE:INFY'],
    });
    await send('POST', '/api/risk-profiles/live/activate');
    const base = loadConfig({ env: {} }).config;
    const settings = await withStoredTradingSettings(base, t.store);
    expect(settings.riskProfile).toBe('live');
    const env = await startTradingEnvironment({
      mode: 'paper',
      simulated: false,
      store: t.store,
      config: settings.config,
      calendar: new NseCalendar(),
      clock: t.clock,
      logger: createLogger({ level: 'silent' }),
      instruments: [anInstrument()],
      strategies: [],
      dataDir: null,
      seed: 3,
    });
    try {
      expect(env.limits.dailyLossCapPaise).toBe(123_456);
      expect(env.limits.maxOpenPositions).toBe(2);
      expect(env.limits.maxOrdersPerSecond).toBe(3);
      expect(env.limits.allowlist).toEqual(['INFY.NSE']);
      // The configuration's default cap (₹5,000) is not what applies.
      expect(base.risk.dailyLossCap).toBe(5000);
    } finally {
      await env.close();
    }
  });
});
