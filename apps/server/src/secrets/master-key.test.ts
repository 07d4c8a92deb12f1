import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMasterKey } from './master-key.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadMasterKey', () => {
  it('creates <dataDir>/master.key with mode 0600 and reads the same key back', () => {
    const first = loadMasterKey({ dataDir: join(dir, 'data'), env: {} });
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    const path = join(dir, 'data', 'master.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = loadMasterKey({ dataDir: join(dir, 'data'), env: {} });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key.toString('base64'));
  });

  it('refuses a key file that group or others can read', () => {
    const path = join(dir, 'k');
    writeFileSync(path, randomBytes(32).toString('base64'));
    chmodSync(path, 0o644);
    expect(() => loadMasterKey({ dataDir: dir, masterKeyFile: path, env: {} })).toThrow(
      /has mode 644; group and others must have no access/,
    );
  });

  it('prefers KITEPILOT_MASTER_KEY and checks its length', () => {
    const key = randomBytes(32);
    const loaded = loadMasterKey({ dataDir: dir, env: { KITEPILOT_MASTER_KEY: key.toString('base64') } });
    expect(loaded.source).toBe('env');
    expect(loaded.key.equals(key)).toBe(true);
    expect(() =>
      loadMasterKey({ dataDir: dir, env: { KITEPILOT_MASTER_KEY: randomBytes(16).toString('base64') } }),
    ).toThrow(/decodes to 16 bytes; it must be base64 of exactly 32 bytes/);
    expect(() => loadMasterKey({ dataDir: dir, env: { KITEPILOT_MASTER_KEY: 'not base64!' } })).toThrow(
      /is not base64/,
    );
  });
});
