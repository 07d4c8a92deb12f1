// `kitepilot ticks --symbol NSE:INFY --from T --to T [--json|--csv]`: stored raw ticks of one instrument. Fields are
// those of Tick; prices in integer paise as in the domain; times ISO 8601 in IST (+05:30).
import {
  MAX_READ_ROWS,
  parseInstrumentSymbol,
  parseTimeRange,
  readTicksBounded,
  tickRow,
  TICK_CSV_COLUMNS,
  toCsv,
  type TickRow,
} from '@kitepilot/market-data';
import {
  stdoutIo,
  namespaceOf,
  textTable,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';

/** Flags of `kitepilot ticks`. */
export interface TicksFlags extends CommonMarketDataFlags {
  readonly symbol: string;
  readonly from: string;
  readonly to: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  /** The most rows read; a range holding more is an error (default and maximum 100000). */
  readonly limit?: number;
}

/** Returns the output format the flags choose; --json and --csv exclude each other. */
export function outputFormat(flags: {
  readonly json?: boolean;
  readonly csv?: boolean;
}): 'json' | 'csv' | 'text' {
  if (flags.json === true && flags.csv === true) throw new Error('choose one of --json and --csv');
  return flags.json === true ? 'json' : flags.csv === true ? 'csv' : 'text';
}

/** `kitepilot ticks`: prints the ticks of [from, to) oldest first as a table, JSON or CSV. */
export async function runTicks(flags: TicksFlags, io: CommandIo = stdoutIo): Promise<TickRow[]> {
  const format = outputFormat(flags);
  const id = parseInstrumentSymbol(flags.symbol);
  const { fromMs, toMs } = parseTimeRange(flags.from, flags.to);
  const namespace = namespaceOf(flags);
  return withStore(flags, io, async (store) => {
    const rows = (
      await readTicksBounded(store.ticks, namespace, id, fromMs, toMs, flags.limit ?? MAX_READ_ROWS)
    ).map(tickRow);
    if (format === 'json') io.write(`${JSON.stringify(rows)}\n`);
    else if (format === 'csv') io.write(toCsv(TICK_CSV_COLUMNS, rows));
    else {
      io.write(
        textTable(
          ['TIME (IST)', 'LAST (paise)', 'LAST QTY', 'VOLUME', 'OI', 'MODE'],
          rows.map((r) => [
            r.exchangeTs ?? r.tsInit,
            String(r.lastPricePaise),
            r.lastTradedQty === null ? '' : String(r.lastTradedQty),
            r.volume === null ? '' : String(r.volume),
            r.oi === null ? '' : String(r.oi),
            r.mode,
          ]),
        ),
      );
      io.write(`${rows.length} ticks of ${id} (${namespace})\n`);
    }
    return rows;
  });
}
