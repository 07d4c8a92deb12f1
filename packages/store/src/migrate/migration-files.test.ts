import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, readMigrationFiles } from './migration-files.ts';

describe('readMigrationFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kp-migration-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns files in version order with their sha256 and ignores non-SQL files', async () => {
    await writeFile(join(dir, '0002_b.sql'), 'SELECT 2;');
    await writeFile(join(dir, '0001_a.sql'), 'SELECT 1;');
    await writeFile(join(dir, 'README.md'), 'notes');
    const files = await readMigrationFiles(dir);
    expect(files.map((f) => [f.version, f.name, f.fileName])).toEqual([
      [1, 'a', '0001_a.sql'],
      [2, 'b', '0002_b.sql'],
    ]);
    expect(files[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses two files with one version, naming both', async () => {
    await writeFile(join(dir, '0001_a.sql'), 'SELECT 1;');
    await writeFile(join(dir, '0001_b.sql'), 'SELECT 1;');
    await expect(readMigrationFiles(dir)).rejects.toThrow(/0001_a\.sql and 0001_b\.sql share version 1/);
  });

  it('names the directory it cannot read', async () => {
    await expect(readMigrationFiles(join(dir, 'missing'))).rejects.toThrow(
      /cannot read migrations directory/,
    );
  });

  it('finds the package migrations by default, starting with 0001_init.sql', async () => {
    const files = await readMigrationFiles(defaultMigrationsDir());
    expect(files[0]?.fileName).toBe('0001_init.sql');
  });
});
