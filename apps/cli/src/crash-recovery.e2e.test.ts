// Crash recovery end to end: `kitepilot start` trades live against `kitepilot kite-sim` (two processes, one
// shifted clock at 10:00 IST of a trading day), is killed with SIGKILL at seeded moments of its orders' lives and
// restarted with the same configuration and data directory. Then a normal run trades on and stops gracefully, a
// run without strategies reconciles, and once every process of ours is gone the broker's books are compared with
// our store (crash-ledger-check.ts):
// - every tag KP… is on at most one broker order (no duplicate per intent, across crashes and restarts);
// - every broker trade of our orders is exactly one of our fills (by trade id), none is lost or invented;
// - our orders' final statuses and filled quantities are the broker's; no order of ours is stuck working
//   without the broker knowing it;
// - our positions are the broker's net positions.
// The kill moments: as soon as the simulator's ticker pushes a new order of ours (the placement's answer and the
// fills still racing to our store), a seeded delay after it (anything: placing, filling, quiet), the moment the
// restarted server logs that it recovered its stored orders (start-up reconciliation with the broker in
// progress), a seeded delay after it answers /health (start-up), or while the simulator is frozen (SIGSTOP) a seeded
// moment after an order, so that requests in flight are answered only after the crash. Orders come from sma-cross on 1-second bars (fast 1, slow 2) in
// several SIM instruments, each order large enough to fill in several trades at the simulator's depth.
// Set CRASH_E2E_SEED to replay another sequence of kill moments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KiteOrderUpdate } from '@kitepilot/kite';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatorBrokerView } from './testing/crash-broker-view.ts';
import { checkCrashLedger } from './testing/crash-ledger-check.ts';
import {
  loginToSimulator,
  newMasterKey,
  pause,
  POSTBACK_PATH,
  readOurLedger,
  readOurPositions,
  SIM_API_KEY,
  SIM_API_SECRET,
  startSimulator,
  tradingAccount,
  tradingDayAt,
  waitForHttp,
  writeCrashConfig,
  type CrashStrategy,
  type LedgerReadOptions,
} from './testing/crash-platform.ts';
import { freePort, killAll, spawnKitepilot, type KitepilotProcess } from './testing/crash-processes.ts';

const SEED = Number(process.env['CRASH_E2E_SEED'] ?? 20_261_123);
/** How long a restarted server may take to place its first order before the kill lands anyway. */
const NEW_ORDER_WAIT_MS = 30_000;

/** SIM equities and a quantity worth about ₹3 lakh (above one depth level of the simulator on average). */
const INSTRUMENTS: readonly (readonly [symbol: string, qty: number])[] = [
  ['SIMRELIANCE', 206],
  ['SIMTCS', 96],
  ['SIMHDFCBANK', 304],
  ['SIMINFY', 193],
  ['SIMSBIN', 343],
  ['SIMITC', 727],
  ['SIMTATASTEEL', 1820],
  ['SIMMARUTI', 23],
  ['SIMPAGEIND', 7],
  ['SIMIDEA', 31_746],
];

const STRATEGIES: readonly CrashStrategy[] = INSTRUMENTS.map(([symbol, qty]) => ({
  name: 'sma-cross',
  id: `str_${symbol.toLowerCase()}`,
  params: {
    symbol: `NSE:${symbol}`,
    qty,
    fast: 1,
    slow: 2,
    interval: '1s',
    stopPct: 0.5,
    product: 'MIS',
  },
}));

/** A small seeded PRNG (mulberry32): the kill moments are reproducible from SEED. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type KillPlan =
  | { readonly kind: 'on-sight' }
  | { readonly kind: 'after-order'; readonly delayMs: number }
  | { readonly kind: 'in-recovery' }
  | { readonly kind: 'after-ready'; readonly delayMs: number }
  | { readonly kind: 'broker-frozen'; readonly delayMs: number; readonly frozenMs: number };

/** The kinds of kill moment, each used at least once per run; their order and delays come from the seed. */
const KILL_KINDS: readonly KillPlan['kind'][] = [
  'on-sight',
  'after-order',
  'in-recovery',
  'on-sight',
  'after-ready',
  'broker-frozen',
];

function killPlans(random: () => number): KillPlan[] {
  const kinds = [...KILL_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as KillPlan['kind'], kinds[i] as KillPlan['kind']];
  }
  // The first crash needs orders to exist: it waits for one.
  const first = kinds.findIndex((k) => k !== 'in-recovery' && k !== 'after-ready');
  kinds.unshift(...kinds.splice(first, 1));
  return kinds.map((kind): KillPlan => {
    if (kind === 'on-sight' || kind === 'in-recovery') return { kind };
    if (kind === 'after-order') return { kind, delayMs: Math.floor(random() * 6000) };
    if (kind === 'after-ready') return { kind, delayMs: Math.floor(random() * 400) };
    // Frozen for less than the 5 s after which a ticker drops a silent connection.
    return { kind, delayMs: Math.floor(random() * 2000), frozenMs: 500 + Math.floor(random() * 2500) };
  });
}

const dirs: string[] = [];
let passed = false;

afterAll(async () => {
  await killAll();
  for (const dir of dirs.splice(0)) {
    // A failed run keeps its data directory, configuration and journals for the post-mortem.
    if (passed) rmSync(dir, { recursive: true, force: true });
    else console.info(`[crash-e2e seed ${SEED}] kept ${dir} for inspection`);
  }
});

describe('crash recovery against the Kite simulator as an external process', () => {
  it('kill -9 at seeded moments of orders in flight, restart: no duplicate order, no lost fill', async () => {
    const random = seededRandom(SEED);
    const plans = killPlans(random);
    const log = (line: string) => console.info(`[crash-e2e seed ${SEED}] ${line}`);
    log(`kill plans: ${JSON.stringify(plans)}`);

    const root = mkdtempSync(join(tmpdir(), 'kp-crash-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const configPath = join(root, 'kitepilot.toml');
    const [simPort, serverPort] = [await freePort(), await freePort()];
    const day = tradingDayAt(Date.now(), '10:00');
    const clockOffsetMs = day.atMs - Date.now();
    log(`simulated day ${day.date}, clock offset ${clockOffsetMs} ms`);

    const sim = await startSimulator({
      port: simPort,
      seed: 7,
      clockOffsetMs,
      postbackUrl: `http://127.0.0.1:${serverPort}${POSTBACK_PATH}`,
      cwd: root,
    });
    const env = { KITEPILOT_MASTER_KEY: newMasterKey(), KITEPILOT_KITE_API_SECRET: SIM_API_SECRET };
    const config = (strategies: readonly CrashStrategy[]) =>
      writeCrashConfig(configPath, {
        serverPort,
        dataDir,
        simRestUrl: sim.restUrl,
        simWsUrl: sim.wsUrl,
        watchlist: INSTRUMENTS.map(([symbol]) => `NSE:${symbol}`),
        strategies,
      });
    config(STRATEGIES);
    await loginToSimulator({ restUrl: sim.restUrl, configPath, dataDir, env, cwd: root });
    const broker = await SimulatorBrokerView.login({
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      apiKey: SIM_API_KEY,
      apiSecret: SIM_API_SECRET,
    });
    await broker.connectOrderUpdates();

    const servers: KitepilotProcess[] = [];
    const spawnServer = (name: string): KitepilotProcess => {
      const server = spawnKitepilot(
        name,
        ['start', '--config', configPath, '--data-dir', dataDir, '--clock-offset-ms', String(clockOffsetMs)],
        env,
        root,
      );
      servers.push(server);
      return server;
    };
    const health = (server: KitepilotProcess) =>
      waitForHttp(`http://127.0.0.1:${serverPort}/health`, server, 90_000);
    // `kitepilot start` prints this once trading runs: recovery and reconciliation are done, strategies started.
    const waitForTrading = (server: KitepilotProcess) =>
      server.waitForStderr(/LIVE trading: run run_/, 90_000);
    const ourTags = async () => new Set((await broker.ourOrders()).map((o) => o.tag ?? ''));

    try {
      let known = 0;
      for (const [i, plan] of plans.entries()) {
        const before = await ourTags();
        const server = spawnServer(`server#${i}`);
        const spawnedAt = performance.now();
        if (plan.kind === 'after-ready') {
          await health(server);
          await pause(plan.delayMs);
        } else if (plan.kind === 'in-recovery') {
          // The stored state is loaded; the broker's orderbook and trades are being read and applied.
          const killed = await server.killWhenPrinted(/"msg":"order manager recovered"/);
          if (!killed) throw new Error(`crash ${i}: the server exited on its own\n${server.describe()}`);
        } else {
          // On sight, SIGKILL goes out from the ticker's message handler: the simulator pushes the order update
          // while its answer to the placement is still on its way to the server.
          const sighted = await Promise.race([
            broker.nextNewOrderUpdate(before, NEW_ORDER_WAIT_MS, () => {
              if (plan.kind === 'on-sight') server.child.kill('SIGKILL');
            }),
            server.exited.then(() => {
              throw new Error(`crash ${i}: the server exited on its own\n${server.describe()}`);
            }),
          ]);
          if (sighted === null) {
            throw new Error(
              `crash ${i}: no new order at the broker within ${NEW_ORDER_WAIT_MS} ms of a restart ` +
                `(${before.size} orders before it)\n${server.describe()}`,
            );
          }
          if (plan.kind === 'after-order') await pause(plan.delayMs);
          if (plan.kind === 'broker-frozen') {
            // The simulator stops answering (SIGSTOP): whatever the server sent meanwhile is unanswered when it
            // dies, and the simulator handles those requests only after the crash (SIGCONT).
            await pause(plan.delayMs);
            sim.proc.child.kill('SIGSTOP');
            await pause(plan.frozenMs);
            await server.kill9();
            sim.proc.child.kill('SIGCONT');
          }
        }
        const tradingBeforeKill = /LIVE trading: run run_/.test(server.stderr);
        const delays = Object.entries(plan)
          .filter(([k]) => k !== 'kind')
          .map(([k, v]) => ` ${k} ${String(v)}`)
          .join('');
        const exit = await server.kill9();
        const orders = (await broker.ourOrders()).length;
        log(
          `crash ${i} (${plan.kind}${delays}): SIGKILL ` +
            `${Math.round(performance.now() - spawnedAt)} ms after spawn, trading ${tradingBeforeKill ? 'had' : 'had not'} ` +
            `started, ${orders - before.size} new orders (${orders} in all); its start: ${reconciliationOf(server)}`,
        );
        expect(exit.signal).toBe('SIGKILL');
        known = orders;
      }
      expect(known, 'the strategies placed orders before the crashes').toBeGreaterThan(0);

      // A normal run after the last crash: it recovers, reconciles and trades on.
      const before = await ourTags();
      const resumed = spawnServer('server#resumed');
      await waitForTrading(resumed);
      const resumedOrder = await broker.nextNewOrderUpdate(before, NEW_ORDER_WAIT_MS);
      // Time for the order's exit (the next down-cross) and every fill to reach the server before it stops.
      const exitOrder =
        resumedOrder === null || resumedOrder.tag === null
          ? null
          : await broker.nextNewOrderUpdate(new Set([...before, resumedOrder.tag]), 10_000);
      await pause(1000);
      log(
        `resumed run: ${[resumedOrder, exitOrder].map(updateText).join(', ')}; ` +
          `its start: ${reconciliationOf(resumed)}`,
      );
      const resumedExit = await resumed.terminate();
      expect(resumedExit, resumed.describe()).toEqual({ code: 0, signal: null });

      // Every run traded one account (a simulator session trades the simulated account, not the configured one).
      const accounts = new Set(servers.flatMap((s) => tradingAccount(s.stderr) ?? []));
      expect([...accounts], 'the accounts the runs traded').toHaveLength(1);
      const reads: LedgerReadOptions = {
        account: [...accounts][0] ?? '',
        date: day.date,
        configPath,
        dataDir,
        env,
        cwd: root,
      };
      log(`runs traded account ${reads.account}`);

      // A reconciliation run without strategies: nothing new is placed while our books catch up with the broker's.
      config([]);
      const audit = spawnServer('server#audit');
      await waitForTrading(audit);
      log(`reconciliation run: its start: ${reconciliationOf(audit)}`);
      let verdict = checkCrashLedger({ ...(await broker.snapshot()), ...(await ledgerOf(reads)) });
      const settleDeadline = performance.now() + 30_000;
      while (verdict.violations.length > 0 && performance.now() < settleDeadline) {
        await pause(500);
        verdict = checkCrashLedger({ ...(await broker.snapshot()), ...(await ledgerOf(reads)) });
      }
      const auditExit = await audit.terminate();
      expect(auditExit, audit.describe()).toEqual({ code: 0, signal: null });

      // The verdict on what is stored once every process of ours is gone.
      const snapshot = await broker.snapshot();
      verdict = checkCrashLedger({ ...snapshot, ...(await ledgerOf(reads)) });
      log(`final: ${JSON.stringify(verdict.summary)}`);
      expect(verdict.violations, servers.map((s) => s.describe(1500)).join('\n')).toEqual([]);
      expect(verdict.summary.brokerOrdersOfOurs).toBeGreaterThanOrEqual(KILL_KINDS.length);
      expect(verdict.summary.brokerTradesOfOurs).toBeGreaterThan(0);

      const brokerNet = await broker.netPositions();
      // Open positions at the end: a restarted strategy does not take over the position it held before the
      // crash, so those instruments stay open (square-off closes them) and trade no more in this test.
      log(
        `open at the broker: ${JSON.stringify(Object.fromEntries([...brokerNet].filter(([, q]) => q !== 0)))}`,
      );
      const ours = await readOurPositions(reads);
      for (const [symbol] of INSTRUMENTS) {
        const mine = ours.find((p) => p.instrumentId === `${symbol}.NSE` && p.product === 'MIS');
        expect(mine?.netQty ?? 0, `net position of ${symbol} MIS`).toBe(
          brokerNet.get(`NSE:${symbol}/MIS`) ?? 0,
        );
      }
      passed = true;
    } finally {
      await broker.close();
      await killAll();
    }
  }, 300_000);
});

/** Returns an order update as the test's log shows it. */
function updateText(update: KiteOrderUpdate | null): string {
  return update === null ? 'no new order' : `${update.side} ${update.tradingsymbol} ${update.tag ?? ''}`;
}

/** Returns what a server logged of its start-up reconciliation (for the test's log, never asserted). */
function reconciliationOf(server: KitepilotProcess): string {
  const line = server.stdout.split('\n').find((l) => l.includes('"msg":"reconciled with the broker"'));
  if (line === undefined) return 'no reconciliation logged';
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch (error) {
    return `unreadable log line (${(error as Error).message})`;
  }
  const fields = [
    'openOrders',
    'reports',
    'notPlaced',
    'pending',
    'flagged',
    'external',
    'positionMismatches',
  ];
  return fields.map((f) => `${f} ${String(entry[f])}`).join(', ');
}

async function ledgerOf(reads: LedgerReadOptions) {
  const { orders, fills } = await readOurLedger(reads);
  return { ourOrders: orders, ourFills: fills };
}
