// `kitepilot paper --demo --strategy <name> [--param k=v …]`: paper-trades a built-in strategy on the simulated
// market (the in-process Kite simulator, 'simulated' namespace) and prints what happened: signals, intents, orders,
// fills, denials with their reasons, P&L.
import { Registry } from 'prom-client';
import { formatIst, type Clock } from '@kitepilot/core';
import { SystemClock } from '@kitepilot/runtime';
import {
  builtinStrategies,
  calendarFromConfig,
  createLogger,
  loadConfig,
  openConfiguredStore,
  DEMO_DEFAULT_SYMBOL,
  runPaperDemo,
  type PaperDemoResult,
} from '@kitepilot/server';
import { parseStrategyParams } from '@kitepilot/engine';
import { createStore, migrate } from '@kitepilot/store';
import { parseDuration, parseSpeed } from './ingest.ts';

/** Flags of `kitepilot paper`. */
export interface PaperFlags {
  readonly demo?: boolean;
  readonly strategy?: string;
  /** `k=v` pairs, repeatable. */
  readonly param?: readonly string[];
  readonly duration?: string;
  readonly speed?: string;
  readonly seed?: number;
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly config?: string;
}

/** Plumbing for tests. */
export interface PaperIo {
  readonly write?: (text: string) => void;
  readonly stop?: AbortSignal;
  readonly baseClock?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: NodeJS.WritableStream;
}

/** The default speed of the paper demo: one simulated hour per real minute. */
export const PAPER_DEMO_DEFAULT_SPEED = 60;

/** Returns `--param k=v` pairs as an object; throws naming a pair without `=` or a key given twice. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--param ${JSON.stringify(pair)} is not key=value`);
    const key = pair.slice(0, eq).trim();
    if (Object.hasOwn(out, key)) throw new Error(`--param ${key} is given twice`);
    out[key] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** `kitepilot paper --demo`: runs, prints the summary and returns it. */
export async function runPaper(flags: PaperFlags, io: PaperIo = {}): Promise<PaperDemoResult> {
  const write = io.write ?? ((text: string) => process.stdout.write(text));
  if (flags.demo !== true) {
    throw new Error(
      'paper trading on the real market runs inside `kitepilot start` ([trading] mode = "paper" with ' +
        '[[trading.strategies]]); `kitepilot paper` needs --demo (the simulated market)',
    );
  }
  if (flags.strategy === undefined) {
    throw new Error(
      `--strategy is required: one of ${builtinStrategies()
        .list()
        .map((d) => d.name)
        .join(', ')}`,
    );
  }
  const definition = builtinStrategies().get(flags.strategy);
  const params = parseParams(flags.param ?? []);
  // Refuse bad parameters before the simulated market starts (the environment checks them again).
  parseStrategyParams(definition, { symbol: DEMO_DEFAULT_SYMBOL, ...params });
  const durationMs = parseDuration(flags.duration ?? '60s');
  const speed = flags.speed === undefined ? PAPER_DEMO_DEFAULT_SPEED : parseSpeed(flags.speed);
  const loaded = loadConfig({
    file: flags.config,
    overrides: { storage: { dataDir: flags.dataDir } },
    ...(io.env !== undefined ? { env: io.env } : {}),
  });
  const { config } = loaded;
  const logger = createLogger({ level: config.log.level, destination: io.log ?? process.stderr });
  const opened = await openConfiguredStore(config, 'client');
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.stop?.addEventListener('abort', onSignal);
  try {
    await migrate(opened.driver);
    const store = createStore(opened.driver);
    const result = await runPaperDemo(
      {
        config,
        store,
        metrics: new Registry(),
        calendar: calendarFromConfig(config),
        logger,
        dataDir: config.storage.dataDir,
      },
      {
        strategies: [{ name: flags.strategy, params }],
        durationMs,
        speed,
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        baseClock: io.baseClock ?? new SystemClock({ keepAlive: true }),
        stop: abort.signal,
      },
    );
    write(flags.json === true ? `${JSON.stringify(result)}\n` : formatPaperResult(result));
    return result;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await opened.close();
  }
}

/** Returns the lines `kitepilot paper --demo` prints. */
export function formatPaperResult(r: PaperDemoResult): string {
  const s = r.summary;
  const lines = [
    'SIMULATED MARKET (demo): paper trading on the Kite simulator; nothing was sent to a broker',
    `run ${r.runId}: ${r.strategies.map((x) => `${x.name} (${x.id})`).join(', ')}`,
    `simulated ${formatIst(r.simulatedFromMs)} → ${formatIst(r.simulatedToMs)} at ${r.speed}×`,
    `signals ${s.signals}, intents ${s.intents} (allowed ${s.allowed}, denied ${s.denied}), orders sent ${s.ordersSent}, ` +
      `fills ${s.fills}, rejected by the venue ${s.orderRejections}`,
    `P&L: realised net ₹${s.pnl.realisedNet} (charges ₹${s.pnl.charges}), unrealised ₹${s.pnl.unrealised}, ` +
      `open positions ${s.openPositions}`,
  ];
  for (const d of s.denials) lines.push(`  denied ${d.intentId} (${d.code}): ${d.reason}`);
  for (const h of s.strategiesHalted) lines.push(`  strategy ${h.strategyId} halted: ${h.error}`);
  lines.push(`orders, fills, positions: kitepilot orders|fills|positions --account ${r.accountId}`);
  if (r.journalPath !== null) lines.push(`journal: ${r.journalPath}`);
  return `${lines.join('\n')}\n`;
}
