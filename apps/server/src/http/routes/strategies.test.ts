import { anInstrument, NseCalendar } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../logger.ts';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import { startTradingEnvironment, type TradingEnvironment } from '../../trading/trading-environment.ts';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import { STOP_LOSS_RULES } from './stored-strategies.ts';
import { registerStrategyRoutes } from './strategies.ts';
import { withStoredTradingSettings } from './stored-trading-settings.ts';

const config = loadConfig({
  env: {},
  overrides: {
    trading: { strategies: [{ name: 'sma-cross', id: 'str_fromconfig', params: { symbol: 'NSE:INFY' } }] },
  },
}).config;

const sma = (overrides: object = {}) => ({
  kind: 'sma-cross',
  instrument: 'NSE:RELIANCE',
  qty: 5,
  product: 'MIS',
  params: { fast: 5, slow: 20, stopPct: 1.5 },
  ...overrides,
});

describe('strategy routes', () => {
  let t: ApiTestApp;
  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    role: 'owner' | 'operator' | 'readonly' = 'operator',
  ) => t.app.inject({ method, url, headers: t.as(role), ...(payload === undefined ? {} : { payload }) });
  const refused = async (payload: object, status: number, message: RegExp) => {
    const response = await send('POST', '/api/strategies', payload);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ error: { message: expect.stringMatching(message) } });
  };

  beforeAll(async () => {
    t = await apiTestApp(registerStrategyRoutes, { config });
  });
  afterAll(async () => t.close());

  it('states a stop-loss rule for every registered built-in strategy', () => {
    expect(Object.keys(STOP_LOSS_RULES).sort()).toEqual(
      builtinStrategies()
        .list()
        .map((d) => d.name),
    );
  });

  it('stores a definition checked by the strategy, with its stop-loss', async () => {
    const created = await send('POST', '/api/strategies', sma({ id: 'str_sma1' }));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'str_sma1',
      accountId: 'acc_default',
      kind: 'sma-cross',
      instrumentId: 'RELIANCE.NSE',
      instrument: 'NSE:RELIANCE',
      qty: 5,
      product: 'MIS',
      params: { fast: 5, slow: 20, stopPct: 1.5 },
      stopLoss: { param: 'stopPct', value: 1.5 },
      enabled: false,
      kernelState: null,
      createdAt: '2026-11-23T10:00:00.000+05:30',
    });
    const generated = await send('POST', '/api/strategies', sma());
    expect(generated.json<{ id: string }>().id).toMatch(/^str_[0-9A-Za-z]+$/);
    // orb places its stop at the far side of the opening range: no parameter is needed.
    const orb = await send('POST', '/api/strategies', {
      kind: 'orb',
      instrument: 'INFY.NSE',
      qty: 1,
      product: 'MIS',
      params: {},
    });
    expect(orb.statusCode).toBe(201);
    expect(orb.json()).toMatchObject({
      stopLoss: { param: null, description: expect.stringMatching(/range/) },
    });
  });

  it('refuses a definition without a stop-loss, of an unknown kind, or with parameters the strategy rejects', async () => {
    await refused(sma({ params: { fast: 5, slow: 20 } }), 400, /stop-loss is mandatory: set params\.stopPct/);
    await refused(
      { ...sma(), kind: 'time-window', params: {} },
      400,
      /stop-loss is mandatory: set params\.stopLossPct/,
    );
    await refused(
      sma({ kind: 'martingale' }),
      400,
      /unknown strategy kind "martingale" \(registered: orb, sma-cross/,
    );
    await refused(
      sma({ params: { fast: 30, slow: 20, stopPct: 1 } }),
      400,
      /fast \(30\) must be less than slow \(20\)/,
    );
    await refused(sma({ params: { stopPct: 0 } }), 400, /stopPct = 0 is below the minimum/);
    await refused(sma({ params: { stopPct: 1, leverage: 5 } }), 400, /unknown parameter leverage/);
    await refused(sma({ params: { stopPct: 1, symbol: 'NSE:INFY' } }), 400, /params\.symbol is not allowed/);
    await refused(sma({ instrument: 'GOLD' }), 400, /instrument/);
    await refused(sma({ qty: 0 }), 400, /qty/);
    await refused(sma({ product: 'MTF' }), 400, /product/);
    await refused(sma({ id: 'str_fromconfig' }), 409, /\[\[trading\.strategies\]\]/);
    await refused(sma({ id: 'str_sma1' }), 409, /already exists/);
    expect((await send('POST', '/api/strategies', sma(), 'readonly')).statusCode).toBe(403);
  });

  it('reads, replaces and deletes a definition; 404 for an unknown id, 400 for a malformed one', async () => {
    await send('POST', '/api/strategies', sma({ id: 'str_edit' }));
    expect((await send('GET', '/api/strategies/str_edit', undefined, 'readonly')).json()).toMatchObject({
      qty: 5,
    });
    t.clock.advanceBy(1000);
    const put = await send('PUT', '/api/strategies/str_edit', sma({ qty: 10, params: { stopPct: 3 } }));
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      qty: 10,
      params: { stopPct: 3 },
      stopLoss: { value: 3 },
      updatedAt: '2026-11-23T10:00:01.000+05:30',
    });
    const noStop = await send('PUT', '/api/strategies/str_edit', sma({ params: { fast: 5, slow: 20 } }));
    expect(noStop.statusCode).toBe(400);
    expect((await send('GET', '/api/strategies/str_edit')).json()).toMatchObject({ qty: 10 });
    expect((await send('PUT', '/api/strategies/str_none', sma())).statusCode).toBe(404);
    expect((await send('DELETE', '/api/strategies/str_edit')).statusCode).toBe(204);
    expect((await send('GET', '/api/strategies/str_edit')).statusCode).toBe(404);
    expect((await send('DELETE', '/api/strategies/str_edit')).statusCode).toBe(404);
    const malformed = await send('GET', '/api/strategies/sma1');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('starts and stops a definition by its stored flag while no trading runs', async () => {
    await send('POST', '/api/strategies', sma({ id: 'str_flag' }));
    const started = await send('POST', '/api/strategies/str_flag/start');
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ enabled: true });
    const stopped = await send('POST', '/api/strategies/str_flag/stop');
    expect(stopped.json()).toMatchObject({ enabled: false });
    expect((await send('POST', '/api/strategies/str_none/start')).statusCode).toBe(404);
    expect((await send('POST', '/api/strategies/str_flag/start', undefined, 'readonly')).statusCode).toBe(
      403,
    );
  });

  it('lists by id, page by page, per account', async () => {
    await send('POST', '/api/strategies?account=acc_other', sma({ id: 'str_other' }));
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = (await send('GET', `/api/strategies?limit=2${suffix}`)).json<{
        items: { id: string }[];
        nextCursor: string | null;
      }>();
      ids.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('str_sma1');
    expect(ids).not.toContain('str_other');
    const other = (await send('GET', '/api/strategies?account=acc_other')).json<{
      items: { id: string }[];
    }>();
    expect(other.items.map((s) => s.id)).toEqual(['str_other']);
  });

  describe('while trading runs', () => {
    let env: TradingEnvironment;
    beforeAll(async () => {
      await send('POST', '/api/strategies', sma({ id: 'str_live', enabled: true }));
      await send('POST', '/api/strategies', sma({ id: 'str_later' }));
      // Trading starts with the enabled stored definitions (the generated ones are disabled).
      const settings = await withStoredTradingSettings(t.ctx.config, t.store);
      expect(settings.storedStrategies).toEqual(['str_live']);
      env = await startTradingEnvironment({
        mode: 'paper',
        simulated: false,
        store: t.store,
        config: settings.config,
        calendar: new NseCalendar(),
        clock: t.clock,
        logger: createLogger({ level: 'silent' }),
        instruments: [
          anInstrument(),
          anInstrument({ tradingSymbol: 'INFY', token: 408065, exchangeToken: 1594 }),
        ],
        strategies: settings.config.trading.strategies.map((s) => ({
          name: s.name,
          id: s.id ?? '',
          params: s.params,
        })),
        dataDir: null,
        seed: 11,
      });
      t.slot.current = { env, close: () => env.close().then(() => undefined) };
    });
    afterAll(async () => {
      t.slot.current = null;
      await env.close();
    });

    it('shows the state in the running kernel and refuses to delete a running definition', async () => {
      expect(env.strategies.map((s) => s.id)).toEqual(['str_fromconfig', 'str_live']);
      expect((await send('GET', '/api/strategies/str_live')).json()).toMatchObject({
        kernelState: 'running',
      });
      const deleted = await send('DELETE', '/api/strategies/str_live');
      expect(deleted.statusCode).toBe(409);
      expect(deleted.json()).toMatchObject({
        error: { code: 'CONFLICT', message: expect.stringMatching(/stop trading/) },
      });
      expect((await send('GET', '/api/strategies/str_live')).statusCode).toBe(200);
    });

    it('stores start and stop but answers 409 where the running kernel cannot follow', async () => {
      const start = await send('POST', '/api/strategies/str_later/start');
      expect(start.statusCode).toBe(409);
      expect(start.json()).toMatchObject({
        error: {
          code: 'CONFLICT',
          message: expect.stringMatching(/takes effect at next trading start/),
          details: { enabled: true },
        },
      });
      expect((await send('GET', '/api/strategies/str_later')).json()).toMatchObject({
        enabled: true,
        kernelState: null,
      });

      expect((await send('POST', '/api/strategies/str_live/start')).statusCode).toBe(200);
      const stop = await send('POST', '/api/strategies/str_live/stop');
      expect(stop.statusCode).toBe(409);
      expect(stop.json()).toMatchObject({
        error: { message: expect.stringMatching(/keeps trading until trading stops/) },
      });
      expect((await send('GET', '/api/strategies/str_live')).json()).toMatchObject({
        enabled: false,
        kernelState: 'running',
      });
    });
  });
});
