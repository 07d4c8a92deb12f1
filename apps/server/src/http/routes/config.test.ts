import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anInstrument } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/config-schema.ts';
import { loadConfig } from '../../config/load-config.ts';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import { changedKeys, createConfigReloader, registerConfigRoutes, type ConfigReloader } from './config.ts';

const BASE = `
[log]
level = "info"
[kite]
apiSecret = "first-secret"
[marketData]
watchlist = ["NSE:RELIANCE"]
[risk]
dailyLossCap = 5000
`;

describe('config reload route', () => {
  let t: ApiTestApp;
  let dir: string;
  let file: string;
  let reloader: ConfigReloader;
  const levels: Config['log']['level'][] = [];
  const reload = (role: 'owner' | 'operator' = 'owner') =>
    t.app.inject({ method: 'POST', url: '/api/config/reload', headers: t.as(role) });
  type Result = {
    changes: { key: string; from: unknown; to: unknown; applies: string; note: string | null }[];
    restartRequired: boolean;
    hash: string;
    previousHash: string;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kp-config-reload-'));
    file = join(dir, 'kitepilot.toml');
    await writeFile(file, BASE);
    const loaded = loadConfig({ file, env: {} });
    t = await apiTestApp((app, ctx) => {
      reloader = createConfigReloader({
        loaded,
        load: { env: {} },
        store: ctx.store,
        clock: ctx.clock,
        logger: ctx.logger,
        setLogLevel: (level) => levels.push(level),
      });
      registerConfigRoutes(app, reloader);
    });
    await t.store.instruments.saveVersion('real', '2026-11-23', [
      anInstrument(),
      anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 }),
    ]);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports nothing when the file did not change', async () => {
    const response = await reload();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ file, changes: [], restartRequired: false });
  });

  it('applies the log level and watchlist additions live and lists the rest as needing a restart', async () => {
    await writeFile(
      file,
      BASE.replace('level = "info"', 'level = "debug"')
        .replace('"first-secret"', '"second-secret"')
        .replace('["NSE:RELIANCE"]', '["NSE:RELIANCE", "NSE:INFY", "NSE:NOSUCH"]')
        .replace('dailyLossCap = 5000', 'dailyLossCap = 7500'),
    );
    const response = await reload();
    expect(response.statusCode).toBe(200);
    const result = response.json<Result>();
    const byKey = Object.fromEntries(result.changes.map((c) => [c.key, c]));
    expect(Object.keys(byKey).sort()).toEqual([
      'kite.apiSecret',
      'log.level',
      'marketData.watchlist',
      'risk.dailyLossCap',
    ]);
    expect(byKey['log.level']).toMatchObject({ from: 'info', to: 'debug', applies: 'live' });
    expect(levels).toEqual(['debug']);
    expect(byKey['marketData.watchlist']).toMatchObject({
      applies: 'live',
      note: expect.stringMatching(/1 added.*NSE:NOSUCH not added/),
    });
    expect((await t.store.watchlist.list('real')).map((e) => e.instrumentId)).toEqual(['INFY.NSE']);
    expect(byKey['risk.dailyLossCap']).toMatchObject({ from: 5000, to: 7500, applies: 'restart' });
    // A secret changes, but neither value is shown.
    expect(byKey['kite.apiSecret']).toMatchObject({ from: '***', to: '***', applies: 'restart' });
    expect(JSON.stringify(result)).not.toMatch(/second-secret|first-secret/);
    expect(result.restartRequired).toBe(true);
    expect(reloader.inForce().log.level).toBe('debug');
    expect(reloader.inForce().risk.dailyLossCap).toBe(5000);

    // The restart changes stay listed until a restart; the live ones are in force and not listed again.
    const again = (await reload()).json<Result>();
    expect(again.changes.map((c) => c.key).sort()).toEqual(['kite.apiSecret', 'risk.dailyLossCap']);
    expect(again.previousHash).toBe(result.hash);
    const audit = await t.store.audit.read(0, 1000);
    expect(audit.filter((a) => a.kind === 'config.reloaded')).toHaveLength(3);
  });

  it('refuses an invalid file with every problem and changes nothing', async () => {
    await writeFile(file, `${BASE.replace('level = "info"', 'level = "loud"')}\n[server]\nport = 0\n`);
    const response = await reload();
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: { code: string; details: { problems: string[] } } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.problems.join('\n')).toMatch(/log\.level.*"loud"/);
    expect(body.error.details.problems.join('\n')).toMatch(/server\.port/);
    expect(reloader.inForce().log.level).toBe('debug');

    await writeFile(file, 'this is = not toml [');
    const broken = await reload();
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { message: expect.stringMatching(/not valid TOML/) } });
  });

  it('is for the owner only', async () => {
    expect((await reload('operator')).statusCode).toBe(403);
  });

  it('compares whole keys, arrays included', () => {
    const base = loadConfig({ env: {} }).config;
    const changed = {
      ...base,
      calendar: { ...base.calendar, removeHolidays: ['2026-11-24'] },
      server: { ...base.server, port: 9999 },
    };
    expect(changedKeys(base, changed)).toEqual(['server.port', 'calendar.removeHolidays']);
    expect(changedKeys(base, structuredClone(base))).toEqual([]);
  });
});
