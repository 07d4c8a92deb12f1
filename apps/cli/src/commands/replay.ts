// `kitepilot replay`: stored ticks of instruments over a time range, replayed in time order at any speed into a
// BarAggregator (the path of tick backtests and post-mortems); prints how many ticks it replayed and the bars rebuilt.
import { formatIst, isBarInterval, type Bar, type BarInterval, type DataNamespace } from '@kitepilot/core';
import { BarAggregator } from '@kitepilot/engine';
import {
  barRow,
  parseInstrumentSymbol,
  parseTimeRange,
  TickReplay,
  type ReplaySpeed,
} from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { loadConfig, openConfiguredStore } from '@kitepilot/server';
import { createStore } from '@kitepilot/store';

/** Flags of `kitepilot replay`. */
export interface ReplayFlags {
  /** Instruments as EXCHANGE:SYMBOL or SYMBOL.EXCHANGE (repeatable). */
  readonly symbol: readonly string[];
  /** Range start: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (IST) or ISO 8601 with an offset. */
  readonly from: string;
  /** Range end (exclusive; a date alone means the end of that day). */
  readonly to: string;
  /** `max` (default) or a factor of the recorded pace, e.g. `10`. */
  readonly speed?: string;
  /** The bar interval to rebuild (default `1m`). */
  readonly interval?: string;
  /** Replay the simulated namespace (demo recordings) instead of the real one. */
  readonly simulated?: boolean;
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly config?: string;
}

/** Where the command writes and what stops it (tests pass their own). */
export interface ReplayIo {
  readonly write?: (text: string) => void;
  readonly stop?: AbortSignal;
}

/** What a replay printed, as data. */
export interface ReplayReport {
  readonly namespace: DataNamespace;
  readonly instruments: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly speed: ReplaySpeed;
  readonly interval: BarInterval;
  readonly ticks: number;
  readonly ticksByInstrument: Readonly<Record<string, number>>;
  readonly firstTick: string | null;
  readonly lastTick: string | null;
  readonly aborted: boolean;
  /** Bars rebuilt from the replayed ticks; the last bar of each instrument is partial when the range ends inside it. */
  readonly bars: readonly Bar[];
}

/** Returns the speed of `--speed`: `max` or a finite number > 0; throws naming the text otherwise. */
export function parseReplaySpeed(text: string | undefined): ReplaySpeed {
  if (text === undefined || text === 'max') return 'max';
  const n = Number(text.replace(/x$/i, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--speed ${JSON.stringify(text)} is not 'max' or a number > 0`);
  return n;
}

/** `kitepilot replay`: replays stored ticks and prints the tick count and the rebuilt bars. */
export async function runReplay(flags: ReplayFlags, io: ReplayIo = {}): Promise<ReplayReport> {
  const write = io.write ?? ((text: string) => process.stdout.write(text));
  if (flags.symbol.length === 0) throw new Error('give at least one --symbol (e.g. --symbol NSE:INFY)');
  const instrumentIds = [...new Set(flags.symbol.map(parseInstrumentSymbol))];
  const { fromMs, toMs } = parseTimeRange(flags.from, flags.to);
  const speed = parseReplaySpeed(flags.speed);
  const interval = flags.interval ?? '1m';
  if (!isBarInterval(interval))
    throw new Error(`--interval ${JSON.stringify(interval)} is not a bar interval`);
  const namespace: DataNamespace = flags.simulated === true ? 'simulated' : 'real';

  const { config } = loadConfig({ file: flags.config, overrides: { storage: { dataDir: flags.dataDir } } });
  const opened = await openConfiguredStore(config, 'client');
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  io.stop?.addEventListener('abort', onSignal);
  try {
    const store = createStore(opened.driver);
    const bars: Bar[] = [];
    const aggregator = new BarAggregator({
      intervals: [interval],
      emptyBars: config.marketData.emptyBars,
      onBar: (bar) => bars.push(bar),
    });
    const ticksByInstrument: Record<string, number> = Object.fromEntries(instrumentIds.map((id) => [id, 0]));
    const result = await new TickReplay({
      repository: store.ticks,
      namespace,
      instrumentIds,
      fromMs,
      toMs,
      speed,
      // keepAlive: a paced replay may be waiting on nothing but its timer.
      clock: new SystemClock({ keepAlive: true }),
      signal: abort.signal,
    }).run({
      onTick: (entry) => {
        ticksByInstrument[entry.instrumentId] = (ticksByInstrument[entry.instrumentId] ?? 0) + 1;
        aggregator.onTick(entry.instrumentId, entry.tick);
      },
      onTime: (t) => aggregator.onTime(t),
    });
    aggregator.flush();
    const report: ReplayReport = {
      namespace,
      instruments: instrumentIds,
      from: formatIst(fromMs),
      to: formatIst(toMs),
      speed,
      interval,
      ticks: result.ticks,
      ticksByInstrument,
      firstTick: result.firstTickMs === null ? null : formatIst(result.firstTickMs),
      lastTick: result.lastTickMs === null ? null : formatIst(result.lastTickMs),
      aborted: result.aborted,
      bars,
    };
    write(
      flags.json === true
        ? `${JSON.stringify({ ...report, bars: bars.map(barRow) })}\n`
        : formatReport(report),
    );
    return report;
  } finally {
    process.off('SIGINT', onSignal);
    io.stop?.removeEventListener('abort', onSignal);
    await opened.close();
  }
}

/** Returns the human-readable report of a replay. */
export function formatReport(r: ReplayReport): string {
  const lines = [
    `${r.namespace === 'simulated' ? '[SIMULATED] ' : ''}replayed ${r.ticks} ticks of ${r.instruments.length} ` +
      `instrument(s) from ${r.from} to ${r.to} at speed ${String(r.speed)}${r.aborted ? ' (stopped early)' : ''}`,
  ];
  for (const [id, n] of Object.entries(r.ticksByInstrument)) lines.push(`  ${id}: ${n} ticks`);
  lines.push(`rebuilt ${r.bars.length} ${r.interval} bars:`);
  for (const b of r.bars) {
    lines.push(
      `  ${b.instrumentId} ${formatIst(b.start)}  O ${b.openPaise}  H ${b.highPaise}  L ${b.lowPaise}  ` +
        `C ${b.closePaise}  V ${b.volume}${b.oi === null ? '' : `  OI ${b.oi}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
