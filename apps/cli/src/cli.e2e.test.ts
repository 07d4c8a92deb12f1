import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/kitepilot.js');

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kitepilot …` to completion in a clean environment (no KITEPILOT_ variables from the caller). */
function kitepilot(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = tmpdir(),
): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('KITEPILOT_') && k !== 'DATABASE_URL') env[k] = v;
  }
  return { ...env, ...extra };
}

async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolvePromise(port));
    });
  });
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-cli-'));
  dirs.push(dir);
  return dir;
}

async function startServer(dataDir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port), '--data-dir', dataDir], {
    cwd: dataDir,
    env: cleanEnv({ KITEPILOT_LOG_LEVEL: 'warn' }),
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await vi.waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`);
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await response.json()).toEqual({ status: 'ok' });
    },
    { timeout: 20_000, interval: 100 },
  );
  return { child, port, exited, stderr: () => stderr };
}

describe('kitepilot calendar', () => {
  it('reports 24 Nov 2026 as a holiday', async () => {
    const result = await kitepilot(['calendar', '--date', '2026-11-24', '--json']);
    expect(result.code).toBe(0);
    const day = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(day).toMatchObject({
      date: '2026-11-24',
      tradingDay: false,
      holiday: 'Prakash Gurpurb Sri Guru Nanak Dev',
    });
    expect(day).toHaveProperty('sessions');
  });

  it('reports 23 Nov 2026 as a trading day with its sessions', async () => {
    const result = await kitepilot(['calendar', '--date', '2026-11-23', '--json']);
    expect(result.code).toBe(0);
    const day = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(day).toMatchObject({ date: '2026-11-23', tradingDay: true, holiday: null });
    expect(day['sessions']).not.toBeNull();
  });

  it('prints a readable answer without --json', async () => {
    const result = await kitepilot(['calendar', '--date', '2026-11-24']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2026-11-24');
    expect(result.stdout).toContain('Prakash Gurpurb Sri Guru Nanak Dev');
  });

  it('applies holiday overrides from the config file', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'kitepilot.toml'),
      '[calendar]\naddHolidays = [{ date = "2026-11-23", name = "Test closure" }]\n',
    );
    const result = await kitepilot(['calendar', '--date', '2026-11-23', '--json'], {}, cwd);
    expect(JSON.parse(result.stdout)).toMatchObject({ tradingDay: false, holiday: 'Test closure' });
  });

  it('rejects a malformed date with exit code 2', async () => {
    const result = await kitepilot(['calendar', '--date', '2026-13-45']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('date "2026-13-45" is not a calendar date YYYY-MM-DD');
  });
});

describe('kitepilot', () => {
  it('prints help for every command and exits 0', async () => {
    for (const args of [['--help'], ['start', '--help'], ['migrate', '--help'], ['calendar', '--help']]) {
      const result = await kitepilot(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: kitepilot');
    }
  });

  it('stops with exit code 2 and names an unknown config key', async () => {
    const result = await kitepilot(['migrate', '--data-dir', tempDir()], { KITEPILOT_SERVER_PROT: '8080' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown environment variable KITEPILOT_SERVER_PROT');
  });

  it('does not fall back to embedded storage when PostgreSQL is unreachable', async () => {
    const cwd = tempDir();
    const result = await kitepilot(
      ['migrate'],
      { DATABASE_URL: 'postgres://kp:pw-secret@127.0.0.1:1/kp' },
      cwd,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr).not.toContain('pw-secret');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('gives one clear error when the data directory is a file', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const result = await kitepilot(['migrate', '--data-dir', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(result.stderr.split('\n')[0]).toMatch(/^kitepilot: /);
  });

  it('serves /health, migrates through the running server, refuses a second server, and stops on SIGTERM', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);

    const viaServer = await kitepilot(['migrate', '--data-dir', dataDir, '--json']);
    expect(viaServer.stderr).toBe('');
    expect(viaServer.code).toBe(0);
    expect(JSON.parse(viaServer.stdout)).toMatchObject({ via: 'the running server', applied: [] });

    const second = await kitepilot(['start', '--port', String(await freePort()), '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(String(server.child.pid));

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const direct = await kitepilot(['migrate', '--data-dir', dataDir, '--json']);
    expect(direct.code).toBe(0);
    expect(JSON.parse(direct.stdout)).toMatchObject({ via: 'embedded', applied: [] });
  });
});
