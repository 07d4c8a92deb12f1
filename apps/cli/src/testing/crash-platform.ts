// The platform side of a crash-recovery test: the Kite simulator and `kitepilot start` as separate processes on
// one shifted clock, the live-trading configuration that points at the simulator, the stored session, and the
// stored orders, fills and positions read back through `kitepilot orders|fills|positions --json`.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { istDate, istToEpochMs, NseCalendar } from '@kitepilot/core';
import type { OurFillView, OurOrderView } from './crash-ledger-check.ts';
import { simulatorRequestToken } from './crash-broker-view.ts';
import { runKitepilot, spawnKitepilot, type KitepilotProcess } from './crash-processes.ts';

/** The simulator's default credentials (SIMULATED TEST CREDENTIALS, never a real Kite app). */
export const SIM_API_KEY = 'kpsim_key';
/** The simulator's default api secret. */
export const SIM_API_SECRET = 'kpsim_secret';
/** The configured `[trading] account` (a simulator session trades the simulated account instead, see tradingAccount). */
export const CONFIGURED_ACCOUNT = 'acc_default';
/** Where the platform receives Kite order postbacks. */
export const POSTBACK_PATH = '/api/kite/postback';

/** Returns the epoch ms of `time` IST on the first NSE trading day on or after the IST date of `nowMs`. */
export function tradingDayAt(nowMs: number, time: string): { readonly date: string; readonly atMs: number } {
  const calendar = new NseCalendar();
  const today = istDate(nowMs);
  const date = calendar.isTradingDay(today) ? today : calendar.nextTradingDay(today);
  return { date, atMs: istToEpochMs(date, time) };
}

/** One strategy of the configuration. */
export interface CrashStrategy {
  readonly name: string;
  readonly id: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/** What the live configuration needs. */
export interface CrashConfigOptions {
  readonly serverPort: number;
  readonly dataDir: string;
  readonly simRestUrl: string;
  readonly simWsUrl: string;
  readonly watchlist: readonly string[];
  readonly strategies: readonly CrashStrategy[];
}

function tomlValue(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** Returns the TOML of a live configuration trading the simulator with `strategies` (no manual acknowledgement). */
export function crashConfigToml(options: CrashConfigOptions): string {
  const lines = [
    '[server]',
    'host = "127.0.0.1"',
    `port = ${options.serverPort}`,
    '',
    '[storage]',
    `dataDir = ${JSON.stringify(options.dataDir)}`,
    '',
    '[log]',
    'level = "info"',
    '',
    '[kite]',
    `apiKey = "${SIM_API_KEY}"`,
    `restUrl = ${JSON.stringify(options.simRestUrl)}`,
    `wsUrl = ${JSON.stringify(options.simWsUrl)}`,
    `loginUrl = ${JSON.stringify(`${options.simRestUrl}/connect/login`)}`,
    '',
    '[marketData]',
    `watchlist = [${options.watchlist.map((w) => JSON.stringify(w)).join(', ')}]`,
    'barIntervals = ["1s", "1m"]',
    '',
    '[risk]',
    // Wide limits: the test is about orders reaching the broker, not about risk denials.
    'dailyLossCap = 5000000',
    'entryWindowStart = "09:15"',
    'entryWindowEnd = "15:10"',
    '',
    '[trading]',
    'mode = "live"',
    `account = "${CONFIGURED_ACCOUNT}"`,
    'manualAcknowledgement = false',
  ];
  for (const s of options.strategies) {
    lines.push('', '[[trading.strategies]]', `name = "${s.name}"`, `id = "${s.id}"`);
    const params = Object.entries(s.params).map(([k, v]) => `${k} = ${tomlValue(v)}`);
    lines.push(`params = { ${params.join(', ')} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the configuration file and returns its path. */
export function writeCrashConfig(path: string, options: CrashConfigOptions): string {
  writeFileSync(path, crashConfigToml(options));
  return path;
}

/** Returns a fresh master key (base64 of 32 bytes) for KITEPILOT_MASTER_KEY. */
export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** Returns the account of the start banner (`… trading: run run_…, account acc_…, …`), or null before it. */
export function tradingAccount(startStderr: string): string | null {
  return /trading: run run_\w+, account (acc_\w+)/.exec(startStderr)?.[1] ?? null;
}

/** Resolves once `url` answers 2xx, failing early with the process's output when `proc` exits first. */
export async function waitForHttp(
  url: string,
  proc: KitepilotProcess,
  timeoutMs: number,
  accept: (response: Response) => Promise<boolean> = () => Promise.resolve(true),
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (!proc.running) throw new Error(`${proc.name} exited before ${url} answered:\n${proc.describe()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok && (await accept(response))) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await pause(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (last: ${last}):\n${proc.describe()}`);
}

/** Resolves after `ms` of real time (processes run on their own; the test only paces its polling). */
export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts `kitepilot kite-sim` on `port` with the clock offset and the platform's postback URL; resolves when it serves. */
export async function startSimulator(options: {
  readonly port: number;
  readonly seed: number;
  readonly clockOffsetMs: number;
  readonly postbackUrl: string;
  readonly cwd: string;
}): Promise<{ readonly proc: KitepilotProcess; readonly restUrl: string; readonly wsUrl: string }> {
  const proc = spawnKitepilot(
    'kite-sim',
    [
      'kite-sim',
      '--port',
      String(options.port),
      '--seed',
      String(options.seed),
      '--postback-url',
      options.postbackUrl,
      '--clock-offset-ms',
      String(options.clockOffsetMs),
    ],
    {},
    options.cwd,
  );
  const restUrl = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${restUrl}/sim/login-complete`, proc, 60_000);
  return { proc, restUrl, wsUrl: `ws://127.0.0.1:${options.port}` };
}

/** Stores a simulator session for the account with `kitepilot kite login --request-token`. */
export async function loginToSimulator(options: {
  readonly restUrl: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}): Promise<void> {
  const token = await simulatorRequestToken(options.restUrl, SIM_API_KEY);
  const result = await runKitepilot(
    [
      'kite',
      'login',
      '--request-token',
      token,
      '--config',
      options.configPath,
      '--data-dir',
      options.dataDir,
    ],
    options.env,
    options.cwd,
  );
  if (result.code !== 0) {
    throw new Error(`kitepilot kite login failed (${String(result.code)}): ${result.stderr}${result.stdout}`);
  }
}

/** How to run the read commands against the platform's data directory. */
export interface LedgerReadOptions {
  /** The account trading ran under (see tradingAccount). */
  readonly account: string;
  readonly date: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

async function readJson<T>(
  command: 'orders' | 'fills' | 'positions',
  options: LedgerReadOptions,
): Promise<T> {
  const args = [command, '--account', options.account, '--json', '--config', options.configPath];
  if (command !== 'positions') args.push('--date', options.date);
  args.push('--data-dir', options.dataDir);
  const result = await runKitepilot(args, options.env, options.cwd);
  if (result.code !== 0) {
    throw new Error(`kitepilot ${args.join(' ')} failed (${String(result.code)}): ${result.stderr}`);
  }
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`kitepilot ${command} --json printed no JSON: ${result.stdout.slice(0, 2000)}`, {
      cause: error,
    });
  }
}

/** A stored position as `kitepilot positions --json` prints it (the fields the test reads). */
export interface OurPositionView {
  readonly instrumentId: string;
  readonly product: string;
  readonly netQty: number;
}

/** Returns our stored orders and fills of the day (through the running server, or the store when none runs). */
export async function readOurLedger(
  options: LedgerReadOptions,
): Promise<{ readonly orders: OurOrderView[]; readonly fills: OurFillView[] }> {
  const orders = await readJson<OurOrderView[]>('orders', options);
  const fills = await readJson<OurFillView[]>('fills', options);
  return { orders, fills };
}

/** Returns our stored positions. */
export async function readOurPositions(options: LedgerReadOptions): Promise<OurPositionView[]> {
  return readJson<OurPositionView[]>('positions', options);
}
