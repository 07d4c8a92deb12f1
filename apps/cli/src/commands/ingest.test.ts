import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  CredentialCipher,
  KiteSessionStore,
  loadConfig,
  openConfiguredStore,
  type DemoRecording,
} from '@kitepilot/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration, parseSpeed, runIngest } from './ingest.ts';

const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-ingest-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Returns the row count per namespace of each table (one store open). */
async function countsByNamespace(
  dataDir: string,
  tables: readonly string[],
): Promise<Record<string, Record<string, number>>> {
  const { config } = loadConfig({ overrides: { storage: { dataDir } } });
  const opened = await openConfiguredStore(config, 'client');
  try {
    const counts: Record<string, Record<string, number>> = {};
    for (const table of tables) {
      const result = await opened.driver.query<{ namespace: string; n: number }>(
        `SELECT namespace, count(*)::int AS n FROM ${table} GROUP BY namespace`,
      );
      counts[table] = Object.fromEntries(result.rows.map((r) => [r.namespace, r.n]));
    }
    return counts;
  } finally {
    await opened.close();
  }
}

describe('runIngest --demo', () => {
  it('records the simulated market for the duration into the simulated namespace only, and continues after it next time', async () => {
    let out = '';
    const first = (await runIngest(
      { demo: true, duration: '1500ms', speed: '20', json: true, dataDir: dir },
      { write: (t) => (out += t), log: quiet },
    )) as DemoRecording;
    expect(JSON.parse(out)).toMatchObject({ namespace: 'simulated', speed: 20 });
    expect(first.summary.ticksWritten).toBeGreaterThan(0);
    expect(first.summary.ticksQuarantined).toBe(0);
    expect(first.summary.barsWritten).toBeGreaterThan(0);
    // 1.5 s of real time at 20× is about 30 s of simulated market, opening at 09:15 IST of a trading day.
    expect(first.simulatedToMs - first.simulatedFromMs).toBeGreaterThanOrEqual(25_000);
    expect(new Date(first.simulatedFromMs + 19_800_000).toISOString().slice(11, 16)).toBe('09:15');

    const counts = await countsByNamespace(dir, ['ticks', 'bars', 'instruments', 'watchlist']);
    expect(counts['ticks']).toEqual({ simulated: first.summary.ticksWritten });
    expect(Object.keys(counts['bars'] ?? {})).toEqual(['simulated']);
    expect(Object.keys(counts['instruments'] ?? {})).toEqual(['simulated']);
    expect(Object.keys(counts['watchlist'] ?? {})).toEqual(['simulated']);

    out = '';
    const second = (await runIngest(
      { demo: true, duration: '500ms', speed: '20', dataDir: dir },
      { write: (t) => (out += t), log: quiet },
    )) as DemoRecording;
    expect(out).toMatch(/^SIMULATED market/);
    expect(out).toContain(`${second.summary.ticksWritten} written`);
    // The second demo starts at the next whole minute after the first one's last tick: no simulated minute twice.
    expect(second.simulatedFromMs).toBe(first.simulatedFromMs + 60_000);
    expect((await countsByNamespace(dir, ['ticks']))['ticks']).toEqual({
      simulated: first.summary.ticksWritten + second.summary.ticksWritten,
    });
  });
});

describe('runIngest without --demo', () => {
  const masterKey = randomBytes(32).toString('base64');

  it('says to log in when no Kite session is stored, and how to fill the watchlist when it is empty', async () => {
    const env = { KITEPILOT_MASTER_KEY: masterKey };
    await expect(runIngest({ dataDir: dir, duration: '1s' }, { env, log: quiet })).rejects.toThrow(
      'no Kite session is stored for acc_default: run `kitepilot kite login` first',
    );
    const { config } = loadConfig({ overrides: { storage: { dataDir: dir } } });
    const opened = await openConfiguredStore(config, 'owner');
    try {
      const sessions = new KiteSessionStore(
        opened.driver,
        new CredentialCipher(Buffer.from(masterKey, 'base64')),
      );
      await sessions.ensureAccount('acc_default', 'Kite AB1234');
      await sessions.save('acc_default', {
        apiKey: 'key',
        userId: 'AB1234',
        userName: 'Trader',
        accessToken: 'token',
        publicToken: 'public',
        loginTimeMs: Date.now(),
        expiresAtMs: Date.now() + 3_600_000,
      });
    } finally {
      await opened.close();
    }
    await expect(runIngest({ dataDir: dir, duration: '1s' }, { env, log: quiet })).rejects.toThrow(
      /the watchlist is empty: set \[marketData\] watchlist/,
    );
  });

  it('refuses --speed without --demo', async () => {
    await expect(runIngest({ dataDir: dir, speed: '5' }, { log: quiet })).rejects.toThrow(
      '--speed applies to --demo only',
    );
  });
});

describe('parseDuration and parseSpeed', () => {
  it('reads 60s, 5m, 1h, 500ms and bare seconds, and refuses the rest', () => {
    expect([parseDuration('60s'), parseDuration('5m'), parseDuration('1h'), parseDuration('500ms')]).toEqual([
      60_000, 300_000, 3_600_000, 500,
    ]);
    expect(parseDuration('90')).toBe(90_000);
    expect(() => parseDuration('soon')).toThrow(/--duration "soon"/);
    expect(parseSpeed('10x')).toBe(10);
    expect(() => parseSpeed('0')).toThrow(/--speed "0"/);
  });
});
