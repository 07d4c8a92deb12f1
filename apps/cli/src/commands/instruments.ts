// `kitepilot instruments sync|list|show`: the daily instruments master from the Kite contract file, and lookups by
// EXCHANGE:SYMBOL or token in the version in force on a date.
import {
  formatIst,
  INSTRUMENT_TYPES,
  istDate,
  isExchange,
  type DataNamespace,
  type Instrument,
  type InstrumentType,
} from '@kitepilot/core';
import {
  bundledFreezeQuantities,
  kiteSymbol,
  resolveInstrument,
  syncInstruments,
  type SyncInstrumentsResult,
} from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { kiteInstrumentSource, openKiteRestClient } from '@kitepilot/server';
import type { Store } from '@kitepilot/store';
import {
  namespaceOf,
  stdoutIo,
  systemIds,
  textTable,
  withStore,
  type CommandIo,
  type CommonMarketDataFlags,
} from './market-data-cli.ts';

/** Flags of `kitepilot instruments sync`. */
export interface InstrumentsSyncFlags extends Omit<CommonMarketDataFlags, 'simulated'> {
  /** The account whose Kite session is used (default `acc_default`). */
  readonly account?: string;
  readonly json?: boolean;
}

/** Flags of `kitepilot instruments list`. */
export interface InstrumentsListFlags extends CommonMarketDataFlags {
  readonly exchange?: string;
  readonly type?: string;
  /** The IST date whose version is read (default today). */
  readonly date?: string;
  readonly json?: boolean;
}

/** Flags of `kitepilot instruments show`. */
export interface InstrumentsShowFlags extends CommonMarketDataFlags {
  readonly date?: string;
  readonly json?: boolean;
}

/**
 * `kitepilot instruments sync`: downloads the Kite contract file with the stored session and stores it as today's
 * version (IST) of the real master, with freeze limits from the bundled data file; prints the counts.
 */
export async function runInstrumentsSync(
  flags: InstrumentsSyncFlags,
  io: CommandIo = stdoutIo,
): Promise<SyncInstrumentsResult> {
  const clock = new SystemClock({ keepAlive: true });
  return withStore(flags, io, async (store, config) => {
    const rest = await openKiteRestClient({
      config,
      sql: store.driver,
      clock,
      ...(flags.account === undefined ? {} : { accountId: flags.account }),
      ...(io.env === undefined ? {} : { env: io.env }),
    });
    let skipped = 0;
    const result = await syncInstruments({
      source: kiteInstrumentSource(rest, { onSkipped: () => skipped++ }),
      repository: store.instruments,
      clock,
      freezeQuantities: bundledFreezeQuantities(),
      jobRuns: store.jobRuns,
      ids: systemIds(),
      namespace: 'real',
    });
    if (flags.json === true) {
      io.write(`${JSON.stringify({ ...result, skipped })}\n`);
    } else {
      const exchanges = Object.entries(result.byExchange)
        .map(([e, n]) => `${e} ${n}`)
        .join(', ');
      io.write(
        `Stored ${result.count} instruments (${exchanges}) as version ${result.version} of the real master; ` +
          `freeze limits set on ${result.freezeApplied}; ${skipped} rows of unmodelled segments skipped.\n`,
      );
    }
    return result;
  });
}

function checkType(type: string): InstrumentType {
  if (!(INSTRUMENT_TYPES as readonly string[]).includes(type)) {
    throw new Error(`instrument type ${JSON.stringify(type)} is not one of ${INSTRUMENT_TYPES.join(', ')}`);
  }
  return type as InstrumentType;
}

function checkExchange(exchange: string): string {
  if (!isExchange(exchange))
    throw new Error(`exchange ${JSON.stringify(exchange)} is not NSE, BSE, NFO or BFO`);
  return exchange;
}

function rupees(paise: number | null): string {
  return paise === null ? '' : (paise / 100).toFixed(2);
}

/**
 * The version date read when none is given: today (IST) for real data; for simulated data the latest version, since a
 * demo's simulated clock runs on a trading day that may lie ahead of today.
 */
async function defaultVersionDate(store: Store, namespace: DataNamespace): Promise<string> {
  const today = istDate(Date.now());
  if (namespace === 'real') return today;
  const latest = await store.instruments.latestVersion(namespace);
  return latest !== null && latest > today ? latest : today;
}

/** `kitepilot instruments list`: the instruments of the version in force on the date, filtered by exchange and type. */
export async function runInstrumentsList(
  flags: InstrumentsListFlags,
  io: CommandIo = stdoutIo,
): Promise<Instrument[]> {
  const exchange = flags.exchange === undefined ? undefined : checkExchange(flags.exchange.toUpperCase());
  const type = flags.type === undefined ? undefined : checkType(flags.type.toUpperCase());
  const namespace = namespaceOf(flags);
  return withStore(flags, io, async (store) => {
    const date = flags.date ?? (await defaultVersionDate(store, namespace));
    const all = await store.instruments.listVersion(namespace, date);
    if (all.length === 0) {
      const latest = await store.instruments.latestVersion(namespace);
      throw new Error(
        latest === null
          ? `no instruments master in namespace ${namespace}: run \`kitepilot instruments sync\` first`
          : `the ${namespace} instruments master has no version in force on ${date} (latest ${latest})`,
      );
    }
    const rows = all.filter(
      (i) => (exchange === undefined || i.exchange === exchange) && (type === undefined || i.type === type),
    );
    if (flags.json === true) {
      io.write(`${JSON.stringify(rows)}\n`);
    } else {
      io.write(
        textTable(
          ['SYMBOL', 'TYPE', 'TOKEN', 'LOT', 'TICK ₹', 'EXPIRY', 'STRIKE ₹', 'FREEZE'],
          rows.map((i) => [
            kiteSymbol(i.id),
            i.type,
            String(i.token),
            String(i.lotSize),
            rupees(i.tickSizePaise),
            i.expiry ?? '',
            rupees(i.strikePaise),
            i.freezeQty === null ? '' : String(i.freezeQty),
          ]),
        ),
      );
      io.write(`${rows.length} of ${all.length} instruments (${namespace} master in force on ${date})\n`);
    }
    return rows;
  });
}

/** `kitepilot instruments show NSE:INFY` (or `INFY.NSE`, or a token): one instrument of the version in force. */
export async function runInstrumentsShow(
  ref: string,
  flags: InstrumentsShowFlags,
  io: CommandIo = stdoutIo,
): Promise<Instrument> {
  const namespace = namespaceOf(flags);
  return withStore(flags, io, async (store) => {
    const date = flags.date ?? (await defaultVersionDate(store, namespace));
    const instrument = await resolveInstrument(store.instruments, namespace, ref, date);
    if (flags.json === true) {
      io.write(`${JSON.stringify(instrument)}\n`);
    } else {
      const lines: [string, string][] = [
        ['id', instrument.id],
        ['symbol', kiteSymbol(instrument.id)],
        ['name', instrument.name],
        ['type', instrument.type],
        ['token', String(instrument.token)],
        ['exchange token', String(instrument.exchangeToken)],
        ['tick size', `₹${rupees(instrument.tickSizePaise)} (${instrument.tickSizePaise} paise)`],
        ['lot size', String(instrument.lotSize)],
        ['freeze qty', instrument.freezeQty === null ? 'none' : String(instrument.freezeQty)],
      ];
      if (instrument.expiry !== null) lines.push(['expiry', instrument.expiry]);
      if (instrument.strikePaise !== null) {
        lines.push(['strike', `₹${rupees(instrument.strikePaise)} (${instrument.strikePaise} paise)`]);
      }
      if (instrument.underlying !== null) lines.push(['underlying', instrument.underlying]);
      lines.push(['master', `${namespace}, in force on ${date} (read ${formatIst(Date.now())})`]);
      io.write(`${lines.map(([k, v]) => `${k.padEnd(15)}${v}`).join('\n')}\n`);
    }
    return instrument;
  });
}
