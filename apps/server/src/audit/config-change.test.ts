import { PGlite } from '@electric-sql/pglite';
import type { JsonValue } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, SqlAuditRepository, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { configDiff, recordConfigChange, redactSecrets, REDACTED } from './config-change.ts';

const t0 = Date.UTC(2026, 10, 23, 3, 0);

describe('configDiff', () => {
  it('lists changed, added and removed keys with dotted paths, sorted', () => {
    const before: JsonValue = {
      server: { port: 8080, host: '127.0.0.1' },
      trading: { strategies: [{ name: 'orb' }] },
    };
    const after: JsonValue = {
      server: { port: 9090 },
      trading: { strategies: [{ name: 'orb' }, { name: 'sma' }] },
      log: { level: 'debug' },
    };
    expect(configDiff(before, after)).toEqual([
      { key: 'log.level', change: 'added', to: 'debug' },
      { key: 'server.host', change: 'removed', from: '127.0.0.1' },
      { key: 'server.port', change: 'changed', from: 8080, to: 9090 },
      { key: 'trading.strategies[1].name', change: 'added', to: 'sma' },
    ]);
    expect(configDiff(before, before)).toEqual([]);
  });

  it('records that a secret key changed without either value, and masks URL passwords', () => {
    const changes = configDiff(
      { kite: { apiSecret: 'old-secret' }, storage: { url: 'postgres://kp:pw1@db/kp' } },
      { kite: { apiSecret: 'new-secret' }, storage: { url: 'postgres://kp:pw2@db2/kp' } },
    );
    expect(changes).toEqual([
      { key: 'kite.apiSecret', change: 'changed', redacted: true },
      {
        key: 'storage.url',
        change: 'changed',
        from: 'postgres://kp:***@db/kp',
        to: 'postgres://kp:***@db2/kp',
      },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/secret"|pw1|pw2/);
  });

  it('redacts secret-named keys at any depth', () => {
    expect(redactSecrets({ a: { botToken: 'x', password: null, list: [{ clientSecret: 's' }] } })).toEqual({
      a: { botToken: REDACTED, password: null, list: [{ clientSecret: REDACTED }] },
    });
  });
});

describe('recordConfigChange', () => {
  let store: Store;
  let audit: SqlAuditRepository;
  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    audit = new SqlAuditRepository(driver);
  });
  afterAll(async () => {
    await store.close();
  });

  const started = async (loaded: ReturnType<typeof loadConfig>, ts: number) =>
    audit.append({
      accountId: null,
      ts,
      kind: 'system.started',
      actor: 'system',
      payload: { configHash: loaded.hash, config: JSON.parse(JSON.stringify(loaded.snapshot)) as JsonValue },
    });

  it('appends config.changed with the changed keys when the hash differs from the last recorded one', async () => {
    const first = loadConfig({ env: {} });
    const input = (l: typeof first, ts: number) => ({
      snapshot: l.snapshot,
      hash: l.hash,
      ts,
      actor: 'system',
      source: 'start' as const,
    });
    // Nothing recorded yet: the first start records its configuration in system.started.
    expect(await recordConfigChange(audit, input(first, t0))).toBeNull();
    await started(first, t0);
    expect(await recordConfigChange(audit, input(first, t0 + 1))).toBeNull();

    const second = loadConfig({
      env: {},
      overrides: { server: { port: 9191 }, kite: { apiSecret: 'very-secret-value' } },
    });
    const record = await recordConfigChange(audit, input(second, t0 + 2));
    expect(record).toMatchObject({ kind: 'config.changed', accountId: null, actor: 'system' });
    const payload = record?.payload as { changes: unknown; previousHash: string; configHash: string };
    expect(payload.previousHash).toBe(first.hash);
    expect(payload.configHash).toBe(second.hash);
    expect(payload.changes).toEqual([
      { key: 'kite.apiSecret', change: 'added', redacted: true },
      { key: 'server.port', change: 'changed', from: first.config.server.port, to: 9191 },
    ]);
    expect(JSON.stringify(record)).not.toContain('very-secret-value');

    // The change record is now the last configuration: the same configuration again is no change.
    expect(await recordConfigChange(audit, input(second, t0 + 3))).toBeNull();
    expect(await recordConfigChange(audit, input(first, t0 + 4))).toMatchObject({ kind: 'config.changed' });
  });
});
