// `kitepilot bars --symbol NSE:INFY --interval 1m --from T --to T [--json|--csv]`: stored bars of one instrument.
// Fields are those of Bar; prices in integer paise as in the domain; `start` ISO 8601 in IST (+05:30).
import { BAR_INTERVALS, isBarInterval } from '@kitepilot/core';
import {
  barRow,
  BAR_CSV_COLUMNS,
  MAX_READ_ROWS,
  parseInstrumentSymbol,
  parseTimeRange,
  readBarsBounded,
  toCsv,
  type BarRow,
} from '@kitepilot/market-data';
import {
  namespaceOf,
  stdoutIo,
  textTable,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';
import { outputFormat } from './ticks.ts';

/** Flags of `kitepilot bars`. */
export interface BarsFlags extends CommonMarketDataFlags {
  readonly symbol: string;
  /** 1s, 1m, 3m, 5m, 10m, 15m, 30m, 60m or 1d. */
  readonly interval: string;
  readonly from: string;
  readonly to: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  /** The most rows read; a range holding more is an error (default and maximum 100000). */
  readonly limit?: number;
}

/** `kitepilot bars`: prints the bars starting in [from, to) oldest first as a table, JSON or CSV. */
export async function runBars(flags: BarsFlags, io: CommandIo = stdoutIo): Promise<BarRow[]> {
  const format = outputFormat(flags);
  const interval = flags.interval;
  if (!isBarInterval(interval)) {
    throw new Error(`interval ${JSON.stringify(interval)} is not one of ${BAR_INTERVALS.join(', ')}`);
  }
  const id = parseInstrumentSymbol(flags.symbol);
  const { fromMs, toMs } = parseTimeRange(flags.from, flags.to);
  const namespace = namespaceOf(flags);
  return withStore(flags, io, async (store) => {
    const bars = await readBarsBounded(
      store.bars,
      namespace,
      id,
      interval,
      fromMs,
      toMs,
      flags.limit ?? MAX_READ_ROWS,
    );
    const rows = bars.map(barRow);
    if (format === 'json') io.write(`${JSON.stringify(rows)}\n`);
    else if (format === 'csv') io.write(toCsv(BAR_CSV_COLUMNS, rows));
    else {
      io.write(
        textTable(
          ['START (IST)', 'OPEN', 'HIGH', 'LOW', 'CLOSE (paise)', 'VOLUME', 'OI', 'ORIGIN'],
          rows.map((r) => [
            r.start,
            String(r.openPaise),
            String(r.highPaise),
            String(r.lowPaise),
            String(r.closePaise),
            String(r.volume),
            r.oi === null ? '' : String(r.oi),
            r.origin,
          ]),
        ),
      );
      io.write(`${rows.length} ${interval} bars of ${id} (${namespace})\n`);
    }
    return rows;
  });
}
