// `kitepilot kill-switch on|off`, `kitepilot flatten [--symbol S]`, `kitepilot trading-status`: the owner's controls.
// They go to the running server's API (`[server] host/port`), so the command passes through the trading kernel in
// order. With no server listening, the kill switch is written to the store and applies at the next start; flatten
// needs the running engine and says so.
import type { TradingStatusBody } from '@kitepilot/api-contract';
import { loadConfig, type Config } from '@kitepilot/server';
import { stdoutIo, withStore, type CommandIo } from './market-data-cli.ts';

/** Flags shared by the control commands. */
export interface ControlFlags {
  readonly reason?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
}

/** Flags of `kitepilot flatten`. */
export interface FlattenFlags extends ControlFlags {
  /** EXCHANGE:SYMBOL; every position when absent. */
  readonly symbol?: string;
}

/** Thrown when no KitePilot server answers at the configured address. */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
}

function serverUrl(config: Config): string {
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.server.port}`;
}

/** The variable that holds the API token the control commands send (`kitepilot tokens create --role operator`). */
export const API_TOKEN_ENV = 'KITEPILOT_API_TOKEN';

async function call(
  config: Config,
  io: CommandIo,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<TradingStatusBody> {
  const url = `${serverUrl(config)}${path}`;
  const token = (io.env ?? process.env)[API_TOKEN_ENV];
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ServerUnreachableError(`no KitePilot server answers at ${serverUrl(config)}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // Not the API's error body (another program on the port): show the raw text.
    }
    const hint =
      response.status === 401
        ? `; set ${API_TOKEN_ENV} to an API token (kitepilot tokens create --name cli --role operator)`
        : '';
    throw new Error(`${method} ${url} answered ${response.status}: ${message}${hint}`);
  }
  return JSON.parse(text) as TradingStatusBody;
}

function configOf(flags: ControlFlags, io: CommandIo): Config {
  return loadConfig({
    file: flags.config,
    env: io.env ?? process.env,
    overrides: { storage: { dataDir: flags.dataDir } },
  }).config;
}

/** Returns the lines that describe a trading status. */
export function formatTradingStatus(s: TradingStatusBody): string {
  const lines = [
    s.running
      ? `trading: ${s.mode ?? '?'}${s.simulated ? ' (SIMULATED market)' : ''}, run ${s.runId ?? '?'}, account ${s.accountId}`
      : `trading: not running in the server (account ${s.accountId})`,
    `kill switch: ${s.controls.killSwitch ? 'ON — no new orders' : 'off'}`,
  ];
  for (const [account, reason] of Object.entries(s.controls.halted))
    lines.push(`halted ${account}: ${reason}`);
  if (s.running) {
    lines.push(`pre-flight: ${s.preflight.passed ? 'passed' : 'NOT passed — trading blocked'}`);
    for (const c of s.preflight.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    for (const st of s.strategies) lines.push(`strategy ${st.id} (${st.name})${st.halted ? ': HALTED' : ''}`);
    if (s.awaitingAcknowledgement) lines.push('orders wait for the owner: kitepilot acknowledge');
  }
  if (s.applied === 'stored') lines.push('stored: applies when trading next starts (no server was running)');
  return `${lines.join('\n')}\n`;
}

function print(io: CommandIo, flags: ControlFlags, status: TradingStatusBody): void {
  io.write(flags.json === true ? `${JSON.stringify(status)}\n` : formatTradingStatus(status));
}

/** `kitepilot kill-switch on|off`: stops (or allows again) all new orders. */
export async function runKillSwitch(
  state: string,
  flags: ControlFlags,
  io: CommandIo = stdoutIo,
): Promise<TradingStatusBody> {
  if (state !== 'on' && state !== 'off')
    throw new Error(`kill-switch takes on or off, not ${JSON.stringify(state)}`);
  const on = state === 'on';
  const reason = flags.reason ?? `kill switch ${state} from the command line`;
  const config = configOf(flags, io);
  let status: TradingStatusBody;
  try {
    status = await call(config, io, 'POST', '/api/trading/kill-switch', { on, reason });
  } catch (error) {
    if (!(error instanceof ServerUnreachableError)) throw error;
    status = await withStore(flags, io, async (store) => {
      const stored = await store.tradingControls.load();
      const saved = await store.tradingControls.save({ ...stored, killSwitch: on });
      await store.audit.append({
        accountId: null,
        ts: Date.now(),
        kind: 'trading.controls',
        actor: 'cli',
        payload: { killSwitch: on, reason, applied: 'stored' },
      });
      return {
        running: false,
        mode: null,
        simulated: false,
        accountId: config.trading.account,
        runId: null,
        controls: { killSwitch: saved.killSwitch, halted: { ...saved.halted } },
        applied: 'stored',
        preflight: { passed: false, checks: [] },
        strategies: [],
        awaitingAcknowledgement: false,
      } satisfies TradingStatusBody;
    });
  }
  print(io, flags, status);
  return status;
}

/** `kitepilot flatten [--symbol S]`: closes positions through the running engine. */
export async function runFlatten(flags: FlattenFlags, io: CommandIo = stdoutIo): Promise<TradingStatusBody> {
  const config = configOf(flags, io);
  const reason = flags.reason ?? 'flatten from the command line';
  let status: TradingStatusBody;
  try {
    status = await call(config, io, 'POST', '/api/trading/flatten', {
      reason,
      ...(flags.symbol === undefined ? {} : { symbol: flags.symbol }),
    });
  } catch (error) {
    if (error instanceof ServerUnreachableError) {
      throw new Error(
        `${error.message}: flatten needs the running trading engine (kitepilot start); nothing was sent`,
        { cause: error },
      );
    }
    throw error;
  }
  print(io, flags, status);
  return status;
}

/** `kitepilot acknowledge`: the owner confirms the first live order of the day. */
export async function runAcknowledge(
  flags: ControlFlags,
  io: CommandIo = stdoutIo,
): Promise<TradingStatusBody> {
  const config = configOf(flags, io);
  const status = await call(config, io, 'POST', '/api/trading/acknowledge', {
    reason: flags.reason ?? 'acknowledged from the command line',
  });
  print(io, flags, status);
  return status;
}

/** `kitepilot trading-status`: what trading runs, the controls and the pre-flight. */
export async function runTradingStatus(
  flags: ControlFlags,
  io: CommandIo = stdoutIo,
): Promise<TradingStatusBody> {
  const config = configOf(flags, io);
  let status: TradingStatusBody;
  try {
    status = await call(config, io, 'GET', '/api/trading/status');
  } catch (error) {
    if (!(error instanceof ServerUnreachableError)) throw error;
    status = await withStore(flags, io, async (store) => {
      const stored = await store.tradingControls.load();
      return {
        running: false,
        mode: null,
        simulated: false,
        accountId: config.trading.account,
        runId: null,
        controls: { killSwitch: stored.killSwitch, halted: { ...stored.halted } },
        applied: null,
        preflight: { passed: false, checks: [] },
        strategies: [],
        awaitingAcknowledgement: false,
      } satisfies TradingStatusBody;
    });
  }
  print(io, flags, status);
  return status;
}
