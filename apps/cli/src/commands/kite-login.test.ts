import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialCipher, KiteSessionStore, loadConfig, openConfiguredStore } from '@kitepilot/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localCallback, requestTokenFromInput, runKiteLogin } from './kite-login.ts';

// A stand-in for the Kite login page and token endpoint (the simulator's contract): /connect/login redirects to
// the redirect URL with a request token; /session/token checks the checksum.
async function startLoginFake(apiKey: string, apiSecret: string, redirectUrl: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/connect/login' && url.searchParams.get('api_key') === apiKey) {
      res
        .writeHead(302, {
          location: `${redirectUrl()}?request_token=reqtok123456&action=login&status=success`,
        })
        .end();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const expected = createHash('sha256').update(`${apiKey}reqtok123456${apiSecret}`).digest('hex');
      if (url.pathname === '/session/token' && form.get('checksum') === expected) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'success',
            data: {
              user_id: 'SIM001',
              user_name: 'SIM Trader',
              access_token: 'acc3ss',
              public_token: 'pub',
              login_time: '2026-11-23 09:05:00',
            },
          }),
        );
      } else {
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({
              status: 'error',
              error_type: 'TokenException',
              message: 'Invalid checksum',
              data: null,
            }),
          );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let dir: string;
let fake: Server;
let env: Record<string, string>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-login-'));
  const port = await freePort();
  const redirect = `http://127.0.0.1:${port}/kite/callback`;
  fake = await startLoginFake('kkey', 'ksecret', () => redirect);
  const root = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  env = {
    KITEPILOT_KITE_API_KEY: 'kkey',
    KITEPILOT_KITE_API_SECRET: 'ksecret',
    KITEPILOT_KITE_LOGIN_URL: `${root}/connect/login`,
    KITEPILOT_KITE_REST_URL: root,
    KITEPILOT_KITE_REDIRECT_URL: redirect,
    KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'),
    KITEPILOT_MASTER_KEY: randomBytes(32).toString('base64'),
  };
});

afterEach(async () => {
  fake.closeAllConnections();
  await new Promise((r) => fake.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('runKiteLogin', () => {
  it('takes the redirect on the local callback, exchanges the token and stores the session encrypted', async () => {
    let out = '';
    let followed: Promise<Response> | null = null;
    const result = await runKiteLogin(
      { account: 'acc_main', timeout: 20 },
      {
        env,
        readLine: () => Promise.reject(new Error('no prompt expected')),
        write: (text) => {
          out += text;
          const url = /(http:\/\/\S+\/connect\/login\S*)/.exec(text)?.[1];
          // A person opening the URL: the login page redirects the browser to our callback.
          if (url !== undefined && followed === null) followed = fetch(url);
        },
      },
    );
    expect(((await followed) as Response | null)?.status).toBe(200);
    expect(result).toMatchObject({ accountId: 'acc_main', userId: 'SIM001', userName: 'SIM Trader' });
    expect(result.expiresAtMs).toBe(Date.UTC(2026, 10, 24, 0, 30)); // 06:00 IST the next day
    expect(out).toContain('Logged in as SIM Trader (SIM001) for account acc_main');
    expect(out).toContain('expires 2026-11-24 06:00 IST');
    expect(out).not.toContain('acc3ss');
    expect(out).not.toContain('ksecret');

    const { config } = loadConfig({ env });
    const store = await openConfiguredStore(config, 'client');
    try {
      const key = Buffer.from(env['KITEPILOT_MASTER_KEY'] ?? '', 'base64');
      const session = await new KiteSessionStore(store.driver, new CredentialCipher(key)).load('acc_main');
      expect(session).toMatchObject({
        userId: 'SIM001',
        accessToken: 'acc3ss',
        publicToken: 'pub',
        expiresAtMs: result.expiresAtMs,
      });
    } finally {
      await store.close();
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
