// `kitepilot kite login`: a person logs in to Kite Connect; the session is exchanged and stored encrypted.
// Tokens and the API secret are never printed or logged.
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { formatIst, parseAccountId } from '@kitepilot/core';
import { loginUrl } from '@kitepilot/kite';
import { SystemClock } from '@kitepilot/runtime';
import {
  exchangeKiteRequestToken,
  kiteAppCredentials,
  KiteSessionStore,
  loadConfig,
  loadMasterKeyRing,
  openConfiguredStore,
} from '@kitepilot/server';
import { migrate } from '@kitepilot/store';

/** Flags of `kitepilot kite login`. */
export interface KiteLoginFlags {
  readonly config?: string;
  readonly dataDir?: string;
  /** The account the session belongs to (default `acc_default`). */
  readonly account?: string;
  /** A request token copied from the redirect URL; skips the local callback and the prompt. */
  readonly requestToken?: string;
  /** How long to wait for the redirect or the pasted token, in seconds (default 300). */
  readonly timeout?: number;
}

/** Where the command writes and reads (tests pass their own). */
export interface KiteLoginIo {
  readonly write: (text: string) => void;
  /** Resolves with one line typed by the person. */
  readonly readLine: (prompt: string) => Promise<string>;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What `runKiteLogin` did (no secrets). */
export interface KiteLoginResult {
  readonly accountId: string;
  readonly userId: string;
  readonly userName: string;
  readonly loginTimeMs: number;
  readonly expiresAtMs: number;
}

const stdio: KiteLoginIo = {
  write: (text) => process.stdout.write(text),
  readLine: (prompt) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      rl.question(prompt, (answer) => {
        rl.close();
        resolve(answer);
      });
    }),
};

/** Returns the request token of a pasted value: the token itself or the whole redirect URL. */
export function requestTokenFromInput(input: string): string {
  const text = input.trim();
  const token = /^https?:\/\//.test(text) ? (new URL(text).searchParams.get('request_token') ?? '') : text;
  if (!/^[A-Za-z0-9]{6,128}$/.test(token)) {
    throw new Error('the pasted value is neither a request token nor a redirect URL with request_token');
  }
  return token;
}

/** Returns the local host, port and path to listen on when the redirect URL points at this machine, else null. */
export function localCallback(redirectUrl: string): { host: string; port: number; path: string } | null {
  const url = new URL(redirectUrl);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return null;
  return {
    host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    path: url.pathname,
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A local callback server waiting for the login redirect. */
interface RedirectWaiter {
  /** Resolves with the request token of the redirect; rejects after the timeout. */
  readonly token: Promise<string>;
  readonly close: () => Promise<void>;
}

/** Starts serving the redirect URL (before the login URL is shown, so that no redirect can arrive too early). */
async function listenForRedirect(
  cb: { host: string; port: number; path: string },
  timeoutMs: number,
): Promise<RedirectWaiter> {
  let settle: { resolve: (t: string) => void; reject: (e: Error) => void } | null = null;
  const token = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${cb.host}:${cb.port}`);
    if (url.pathname !== cb.path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not the Kite login callback\n');
      return;
    }
    const value = url.searchParams.get('request_token');
    const status = url.searchParams.get('status');
    if (value === null || value === '' || (status !== null && status !== 'success')) {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('login did not succeed; run kitepilot kite login again\n');
      settle?.reject(new Error(`the login redirect carried no request token (status ${String(status)})`));
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/plain' })
      .end('KitePilot received the login. You can close this tab.\n');
    settle?.resolve(value);
  });
  await listen(server, cb.host, cb.port);
  const timer = setTimeout(
    () =>
      settle?.reject(
        new Error(
          `no login redirect reached http://${cb.host}:${cb.port}${cb.path} within ${timeoutMs / 1000} s`,
        ),
      ),
    timeoutMs,
  );
  return {
    token,
    close: async () => {
      clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `kitepilot kite login`: prints the login URL, takes the request token, exchanges it and stores the session. */
export async function runKiteLogin(flags: KiteLoginFlags, io: KiteLoginIo = stdio): Promise<KiteLoginResult> {
  const env = io.env ?? process.env;
  const { config } = loadConfig({
    file: flags.config,
    env,
    overrides: { storage: { dataDir: flags.dataDir } },
  });
  const app = kiteAppCredentials(config);
  const accountId = parseAccountId(flags.account ?? 'acc_default');
  const timeoutMs = Math.round((flags.timeout ?? 300) * 1000);
  // Open the key first: a bad master key should fail before the person logs in.
  const masterKey = loadMasterKeyRing({
    masterKeyFile: env['KITEPILOT_MASTER_KEY_FILE'] ?? config.secrets.masterKeyFile,
    dataDir: config.storage.dataDir,
    env,
  });
  if (masterKey.created)
    io.write(`Created the master key file ${masterKey.source} (mode 0600); back it up.\n`);

  const callback = flags.requestToken === undefined ? localCallback(config.kite.redirectUrl) : null;
  const waiter = callback === null ? null : await listenForRedirect(callback, timeoutMs);
  let requestToken: string;
  try {
    io.write(`Open this URL and log in to Kite:\n  ${loginUrl(app.apiKey, config.kite.loginUrl)}\n`);
    if (flags.requestToken !== undefined) {
      requestToken = requestTokenFromInput(flags.requestToken);
    } else if (waiter !== null) {
      io.write(`Waiting for the redirect on ${config.kite.redirectUrl} …\n`);
      requestToken = await waiter.token;
    } else {
      requestToken = requestTokenFromInput(
        await io.readLine('Paste the request_token (or the whole redirect URL): '),
      );
    }
  } finally {
    await waiter?.close();
  }

  const session = await exchangeKiteRequestToken({
    app,
    restUrl: config.kite.restUrl,
    clock: new SystemClock({ keepAlive: true }),
    requestToken,
  });

  const store = await openConfiguredStore(config, 'client');
  try {
    await migrate(store.driver);
    const sessions = new KiteSessionStore(store.driver, masterKey.ring);
    await sessions.ensureAccount(accountId, `Kite ${session.userId}`);
    await sessions.save(accountId, session);
  } finally {
    await store.close();
  }
  io.write(
    `Logged in as ${session.userName} (${session.userId}) for account ${accountId}; ` +
      `the session is stored encrypted and expires ${formatIst(session.expiresAtMs).slice(0, 16).replace('T', ' ')} IST.\n`,
  );
  return {
    accountId,
    userId: session.userId,
    userName: session.userName,
    loginTimeMs: session.loginTimeMs,
    expiresAtMs: session.expiresAtMs,
  };
}
