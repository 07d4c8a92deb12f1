import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, canonicalJson, envNameOf, loadConfig, maskUrlPassword } from './load-config.ts';

function dirWith(toml: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-config-'));
  if (toml !== null) writeFileSync(join(dir, 'kitepilot.toml'), toml);
  return dir;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns the embedded defaults when there is no file and no environment', () => {
    const { config, file } = loadConfig({ env: {}, cwd: dirWith(null) });
    expect(file).toBeNull();
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.storage).toEqual({ dataDir: './data', durable: true });
    expect(config.log.level).toBe('info');
  });

  it('reads kitepilot.toml from the working directory', () => {
    const cwd = dirWith('[server]\nport = 9090\n[storage]\ndataDir = "/var/lib/kp"\n');
    const { config, file } = loadConfig({ env: {}, cwd });
    expect(file).toBe(join(cwd, 'kitepilot.toml'));
    expect(config.server.port).toBe(9090);
    expect(config.storage.dataDir).toBe('/var/lib/kp');
  });

  it('lets environment variables override the file, and flags override both', () => {
    const cwd = dirWith('[server]\nport = 9090\n');
    const fromEnv = loadConfig({ env: { KITEPILOT_SERVER_PORT: '9191' }, cwd });
    expect(fromEnv.config.server.port).toBe(9191);
    expect(fromEnv.envKeys).toEqual(['KITEPILOT_SERVER_PORT']);
    const fromFlag = loadConfig({
      env: { KITEPILOT_SERVER_PORT: '9191' },
      cwd,
      overrides: { server: { port: 7070 } },
    });
    expect(fromFlag.config.server.port).toBe(7070);
  });

  it('takes DATABASE_URL as the PostgreSQL storage url', () => {
    const { config } = loadConfig({ env: { DATABASE_URL: 'postgres://kp@db:5432/kp' }, cwd: dirWith(null) });
    expect(config.storage.url).toBe('postgres://kp@db:5432/kp');
  });

  it('names an unknown key in the file and lists the allowed ones', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, cwd: dirWith('[server]\nprot = 1\n') }));
    expect(problems).toEqual(['unknown config key server.prot: allowed keys in server are host, port']);
  });

  it('names an unknown section', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, cwd: dirWith('[sever]\nport = 1\n') }));
    expect(problems[0]).toMatch(
      /^unknown config key sever: allowed keys are server, storage, log, calendar, kite, secrets, marketData/,
    );
  });

  it('names the key, the value and what is allowed for a bad value', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, cwd: dirWith('[server]\nport = 70000\n') }));
    expect(problems).toEqual([
      'config key server.port: value 70000 is not allowed: an integer from 1 to 65535',
    ]);
  });

  it('rejects a log level outside the allowed set', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, cwd: dirWith('[log]\nlevel = "verbose"\n') }));
    expect(problems[0]).toContain('config key log.level: value "verbose" is not allowed: one of "fatal"');
  });

  it('rejects a non-numeric port from the environment', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { KITEPILOT_SERVER_PORT: 'eighty' }, cwd: dirWith(null) }),
    );
    expect(problems[0]).toMatch(/^environment variable KITEPILOT_SERVER_PORT: value "eighty" is not allowed/);
  });

  it('rejects an unknown KITEPILOT_ environment variable', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { KITEPILOT_SERVER_PROT: '1' }, cwd: dirWith(null) }),
    );
    expect(problems[0]).toMatch(/^unknown environment variable KITEPILOT_SERVER_PROT/);
  });

  it('leaves the test and benchmark tooling variables alone', () => {
    const env = {
      KITEPILOT_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1/test',
      KITEPILOT_TEST_REPORT: '/tmp/report.json',
      KITEPILOT_BENCH_TICKS: '1000',
      KITEPILOT_DEBUG: '1',
    };
    expect(loadConfig({ env, cwd: dirWith(null) }).envKeys).toEqual([]);
  });

  it('rejects a storage url that is not PostgreSQL', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { DATABASE_URL: 'mysql://x@y/z' }, cwd: dirWith(null) }),
    );
    expect(problems[0]).toMatch(/^config key storage.url: value "mysql:\/\/x@y\/z" is not allowed/);
  });

  it('reports a file that is not TOML with the file name', () => {
    const cwd = dirWith('[server\nport = 1');
    const problems = problemsOf(() => loadConfig({ env: {}, cwd }));
    expect(problems[0]).toContain(`config file ${join(cwd, 'kitepilot.toml')} is not valid TOML`);
  });

  it('reports an explicit config file that does not exist', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, cwd: dirWith(null), file: 'missing.toml' }));
    expect(problems[0]).toMatch(/config file .*missing\.toml does not exist/);
  });

  it('masks the database password in the snapshot and hashes the snapshot', () => {
    const a = loadConfig({ env: { DATABASE_URL: 'postgres://kp:s3cret@db/kp' }, cwd: dirWith(null) });
    expect(JSON.stringify(a.snapshot)).not.toContain('s3cret');
    expect(a.snapshot.storage.url).toBe('postgres://kp:***@db/kp');
    const b = loadConfig({ env: { DATABASE_URL: 'postgres://kp:other@db/kp' }, cwd: dirWith(null) });
    expect(b.hash).toBe(a.hash);
    const c = loadConfig({ env: { KITEPILOT_SERVER_PORT: '8081' }, cwd: dirWith(null) });
    expect(c.hash).not.toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('loadConfig secrets', () => {
  it('masks the Kite api secret in the snapshot', () => {
    const { config, snapshot } = loadConfig({
      env: { KITEPILOT_KITE_API_SECRET: 'kite-secret-value', KITEPILOT_KITE_API_KEY: 'key1' },
      cwd: dirWith(null),
    });
    expect(config.kite.apiSecret).toBe('kite-secret-value');
    expect(snapshot.kite.apiSecret).toBe('***');
    expect(JSON.stringify(snapshot)).not.toContain('kite-secret-value');
  });
});

describe('loadConfig marketData', () => {
  it('defaults to all bar intervals, no empty bars, 30 days of ticks and bars kept forever', () => {
    const { config } = loadConfig({ env: {}, cwd: dirWith(null) });
    expect(config.marketData).toEqual({
      watchlist: [],
      barIntervals: ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'],
      emptyBars: 'skip',
      tickRetentionDays: 30,
    });
  });

  it('takes a watchlist of EXCHANGE:SYMBOL entries, index names with spaces included, and rejects others', () => {
    const ok = loadConfig({
      env: {},
      cwd: dirWith('[marketData]\nwatchlist = ["NSE:INFY", "NSE:NIFTY 50"]\n'),
    });
    expect(ok.config.marketData.watchlist).toEqual(['NSE:INFY', 'NSE:NIFTY 50']);
    const problems = problemsOf(() =>
      loadConfig({ env: {}, cwd: dirWith('[marketData]\nwatchlist = ["INFY"]\n') }),
    );
    expect(problems[0]).toMatch(/^config key marketData.watchlist.0: value "INFY" is not allowed/);
  });
});

describe('canonicalJson', () => {
  it('orders keys so that equal objects serialise equally', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe('envNameOf', () => {
  it('turns camelCase keys into upper snake case', () => {
    expect(envNameOf('storage', 'dataDir')).toBe('KITEPILOT_STORAGE_DATA_DIR');
  });
});

describe('maskUrlPassword', () => {
  it('leaves a URL without password unchanged and masks one with a password', () => {
    expect(maskUrlPassword('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
    expect(maskUrlPassword('postgres://u:p%40ss@h/db')).toBe('postgres://u:***@h/db');
  });

  it('defaults the risk limits and trading settings', () => {
    const { config } = loadConfig({ env: {}, cwd: dirWith(null) });
    expect(config.risk).toMatchObject({
      dailyLossCap: 5000,
      maxOrdersPerSecond: 10,
      requireStopLoss: true,
      freezeQtyPolicy: 'slice',
      entryWindowStart: '09:15',
      entryWindowEnd: '15:10',
    });
    expect(config.trading).toMatchObject({ account: 'acc_default', squareOffCutoff: '15:20' });
  });

  it('refuses more than 10 orders per second, a malformed IST time and a non-positive loss cap', () => {
    const cwd = dirWith(
      '[risk]\nmaxOrdersPerSecond = 11\nentryWindowStart = "9:15"\ndailyLossCap = 0\n[trading]\nsquareOffCutoff = "25:00"\n',
    );
    const problems = problemsOf(() => loadConfig({ env: {}, cwd })).join('\n');
    expect(problems).toMatch(/risk\.maxOrdersPerSecond/);
    expect(problems).toMatch(/risk\.entryWindowStart/);
    expect(problems).toMatch(/risk\.dailyLossCap/);
    expect(problems).toMatch(/trading\.squareOffCutoff/);
  });

  it('reads [[trading.strategies]] tables and names an unknown key inside one', () => {
    const cwd = dirWith(
      '[trading]\nmode = "paper"\n[[trading.strategies]]\nname = "sma-cross"\nparams = { symbol = "NSE:INFY", fast = 10 }\n',
    );
    expect(loadConfig({ env: {}, cwd }).config.trading.strategies).toEqual([
      { name: 'sma-cross', params: { symbol: 'NSE:INFY', fast: 10 } },
    ]);
    const bad = dirWith('[[trading.strategies]]\nname = "sma-cross"\nfast = 10\n');
    expect(problemsOf(() => loadConfig({ env: {}, cwd: bad })).join('\n')).toMatch(
      /unknown config key trading\.strategies\[0\]\.fast/,
    );
  });
});
