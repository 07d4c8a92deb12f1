import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { istToEpochMs, TestClock } from '@kitepilot/core';
import { startKiteSim } from '@kitepilot/kite-sim';
import { CredentialCipher, KiteSessionStore, loadConfig, openConfiguredStore } from '@kitepilot/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localCallback, requestTokenFromInput, runKiteLogin } from './kite-login.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-login-'));
  const port = await freePort();
  env = {
    KITEPILOT_KITE_API_KEY: 'kkey',
    KITEPILOT_KITE_API_SECRET: 'ksecret',
    KITEPILOT_KITE_REDIRECT_URL: `http://127.0.0.1:${port}/kite/callback`,
    KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'),
    KITEPILOT_MASTER_KEY: randomBytes(32).toString('base64'),
  };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runKiteLogin', () => {
  it('logs in against the Kite simulator end to end', async () => {
    const clock = new TestClock(istToEpochMs('2026-11-23', '08:45'));
    const sim = await startKiteSim({
      clock,
      redirectUrl: env['KITEPILOT_KITE_REDIRECT_URL'] ?? '',
      enforceRateLimits: false,
    });
    try {
      const simEnv = {
        ...env,
        KITEPILOT_KITE_API_KEY: sim.apiKey,
        KITEPILOT_KITE_API_SECRET: sim.apiSecret,
        KITEPILOT_KITE_LOGIN_URL: `${sim.restUrl}/connect/login`,
        KITEPILOT_KITE_REST_URL: sim.restUrl,
      };
      let followed: Promise<Response> | null = null;
      let out = '';
      const result = await runKiteLogin(
        { timeout: 20 },
        {
          env: simEnv,
          readLine: () => Promise.reject(new Error('no prompt expected')),
          write: (text) => {
            out += text;
            const url = /(http:\/\/\S+\/connect\/login\S*)/.exec(text)?.[1];
            if (url !== undefined && followed === null) followed = fetch(url);
          },
        },
      );
      expect(((await followed) as Response | null)?.status).toBe(200);
      expect(result).toMatchObject({ accountId: 'acc_default', userId: 'SIM001', loginTimeMs: clock.now() });
      expect(result.expiresAtMs).toBe(istToEpochMs('2026-11-24', '06:00'));
      expect(out).not.toContain(sim.apiSecret);
      const { config } = loadConfig({ env: simEnv });
      const store = await openConfiguredStore(config, 'client');
      try {
        const key = Buffer.from(env['KITEPILOT_MASTER_KEY'] ?? '', 'base64');
        const session = await new KiteSessionStore(store.driver, new CredentialCipher(key)).load(
          'acc_default',
        );
        // The stored token works: the simulator accepts it.
        const res = await fetch(`${sim.restUrl}/user/profile`, {
          headers: {
            'X-Kite-Version': '3',
            Authorization: `token ${sim.apiKey}:${session?.accessToken ?? ''}`,
          },
        });
        expect(res.status).toBe(200);
        expect(out).not.toContain(session?.accessToken ?? 'missing');
      } finally {
        await store.close();
      }
    } finally {
      await sim.close();
    }
  });

  it('names the missing api secret and its environment variable', async () => {
    const { KITEPILOT_KITE_API_SECRET: _omit, ...rest } = env;
    await expect(
      runKiteLogin(
        { requestToken: 'reqtok123456' },
        { env: rest, write: () => undefined, readLine: () => Promise.resolve('') },
      ),
    ).rejects.toThrow(
      /kite.apiSecret is not set: add apiSecret under \[kite\] in the config file or set KITEPILOT_KITE_API_SECRET/,
    );
  });
});

describe('requestTokenFromInput', () => {
  it('accepts a bare token or a redirect URL and rejects anything else', () => {
    expect(requestTokenFromInput(' abcDEF123 ')).toBe('abcDEF123');
    expect(
      requestTokenFromInput('http://127.0.0.1:8765/kite/callback?request_token=tok999999&status=success'),
    ).toBe('tok999999');
    expect(() => requestTokenFromInput('not a token')).toThrow(/neither a request token/);
  });
});

describe('localCallback', () => {
  it('listens only for local http redirect URLs', () => {
    expect(localCallback('http://localhost:8765/kite/callback')).toEqual({
      host: '127.0.0.1',
      port: 8765,
      path: '/kite/callback',
    });
    expect(localCallback('https://example.com/cb')).toBeNull();
  });
});
