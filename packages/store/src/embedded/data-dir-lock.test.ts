import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, dataDirLockPath, isLockHolderAlive, readDataDirLock } from './data-dir-lock.ts';
import type { DataDirLockInfo } from './data-dir-lock-info.ts';
import { DataDirLockedError, DataDirLockInvalidError } from './errors.ts';
import { killAllChildScripts, startChildScript } from './testing/child-script.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kp-lock-'));
});

afterEach(async () => {
  await killAllChildScripts();
  await rm(dir, { recursive: true, force: true });
});

/** Returns the pid of a process that has exited (so no live process has it, barring reuse within the test). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

async function writeLock(info: Partial<DataDirLockInfo> & { pid: number }): Promise<string> {
  const record = {
    hostname: hostname(),
    startedAt: '2026-11-20T03:45:00.000Z',
    socketPath: null,
    version: '0.0.1',
    ...info,
  };
  const raw = JSON.stringify(record);
  await writeFile(dataDirLockPath(dir), raw);
  return raw;
}

describe('acquireDataDirLock', () => {
  it('creates kitepilot.lock with pid, hostname, UTC start time, socket path and version, and removes it on release', async () => {
    const lock = await acquireDataDirLock(dir, { version: '1.2.3' });
    const onDisk = JSON.parse(await readFile(join(dir, 'kitepilot.lock'), 'utf8')) as DataDirLockInfo;
    expect(onDisk).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: lock.info.startedAt,
      socketPath: null,
      version: '1.2.3',
    });
    expect(onDisk.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await lock.setSocketPath('/run/kp/.s.PGSQL.5432');
    expect((await readDataDirLock(dir))?.socketPath).toBe('/run/kp/.s.PGSQL.5432');
    await lock.release();
    expect(await readDataDirLock(dir)).toBeNull();
  });

  it('refuses a second acquisition while held, naming pid, host, start time and data dir', async () => {
    const lock = await acquireDataDirLock(dir, { version: 'test' });
    const error = await acquireDataDirLock(dir, { version: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    const message = (error as Error).message;
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toContain(hostname());
    expect(message).toContain(lock.info.startedAt);
    expect(message).toContain(dir);
    await lock.release();
  });

  it('refuses a lock held by another live process', async () => {
    const holder = startChildScript('./acquire-lock.ts', [dir, '--now']);
    await holder.waitForLine(/^WON /);
    const error = await acquireDataDirLock(dir, { version: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).holder.pid).toBe(holder.pid);
  });

  it('takes over the lock of a dead process', async () => {
    const pid = deadPid();
    await writeLock({ pid });
    const lock = await acquireDataDirLock(dir, { version: 'test' });
    expect((await readDataDirLock(dir))?.pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over an empty lock file (it cannot name a holder)', async () => {
    await writeFile(dataDirLockPath(dir), '');
    const lock = await acquireDataDirLock(dir, { version: 'test' });
    expect(lock.info.pid).toBe(process.pid);
    await lock.release();
  });

  it('reports a lock file that is not JSON instead of taking it over', async () => {
    await writeFile(dataDirLockPath(dir), 'pid=42\n');
    const error = await acquireDataDirLock(dir, { version: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockInvalidError);
    expect((error as Error).message).toContain(dataDirLockPath(dir));
    expect(await readFile(dataDirLockPath(dir), 'utf8')).toBe('pid=42\n');
  });

  it('reports JSON without the lock fields', async () => {
    await writeFile(dataDirLockPath(dir), JSON.stringify({ pid: 'seven' }));
    await expect(acquireDataDirLock(dir, { version: 'test' })).rejects.toThrow(
      /pid "seven" is not a positive integer/,
    );
  });

  it('lets exactly one of two processes take over the same stale lock', async () => {
    for (let round = 0; round < 3; round += 1) {
      await writeLock({ pid: deadPid() });
      const racers = [
        startChildScript('./acquire-lock.ts', [dir]),
        startChildScript('./acquire-lock.ts', [dir]),
      ];
      await Promise.all(racers.map((racer) => racer.waitForLine(/^READY$/)));
      for (const racer of racers) racer.process.stdin?.write('go\n');
      const outcomes = await Promise.all(racers.map((racer) => racer.waitForLine(/^(WON|LOST) /)));
      const winners = racers.filter((_, i) => outcomes[i]?.startsWith('WON'));
      expect(winners).toHaveLength(1);
      const loser = outcomes.find((line) => line.startsWith('LOST'));
      expect(loser).toContain('DataDirLockedError');
      expect(loser).toContain(`pid ${winners[0]?.pid}`);
      expect((await readDataDirLock(dir))?.pid).toBe(winners[0]?.pid);
      await killAllChildScripts();
    }
  });
});

describe('isLockHolderAlive', () => {
  const base = {
    hostname: hostname(),
    startedAt: '2026-11-20T03:45:00.000Z',
    socketPath: null,
    version: 'x',
  };

  it('treats a holder on another host as alive, since it cannot be checked from here', () => {
    expect(isLockHolderAlive({ ...base, hostname: `${hostname()}-elsewhere`, pid: deadPid() })).toBe(true);
  });

  it('treats a pid that no longer exists on this host as dead', () => {
    expect(isLockHolderAlive({ ...base, pid: deadPid() })).toBe(false);
  });

  it('treats a lock naming this process but not held by it as left by a previous incarnation', () => {
    expect(isLockHolderAlive({ ...base, pid: process.pid })).toBe(false);
  });
});
