// Composition of a backfill for the CLI and the API: the symbol through the instruments master, the Kite session
// from the encrypted store, the broker's candles through KiteCandleSource.
import { randomInt } from 'node:crypto';
import {
  instrumentId,
  istDate,
  istToEpochMs,
  isBarInterval,
  isExchange,
  SeededRandom,
  TimeRandomIdGenerator,
  type BarInterval,
  type Clock,
  type DataNamespace,
  type IdGenerator,
  type Instrument,
  type InstrumentRepository,
  type JobRunId,
} from '@kitepilot/core';
import type { KiteRestClient } from '@kitepilot/kite';
import { chunkDaysOf, findUnfinishedBackfill, type BackfillOptions } from '@kitepilot/market-data';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import {
  KiteSessionUnavailableError,
  kiteRestClientFor,
  loadStoredKiteSession,
} from '../secrets/stored-kite-session.ts';
import { KiteCandleSource } from './kite-candle-source.ts';

/** A backfill as the trader asks for it (CLI flags or the API body). */
export interface BackfillRequest {
  /** `EXCHANGE:SYMBOL`, e.g. `NSE:INFY`. */
  readonly symbol: string;
  /** Kite's name (`minute`, `5minute`, `day`, …) or ours (`1m`, `5m`, `1d`, …). */
  readonly interval: string;
  /** `YYYY-MM-DD` (from 00:00 IST) or ISO 8601 with an offset. */
  readonly from: string;
  /** `YYYY-MM-DD` (through 23:59:59 IST) or ISO 8601 with an offset. */
  readonly to: string;
}

/** A request that failed validation (`invalid`) or cannot run now (`unavailable`); its message says what to do. */
export class BackfillRequestError extends Error {
  readonly kind: 'invalid' | 'unavailable';

  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions & { readonly kind?: 'invalid' | 'unavailable' }) {
    super(message, options);
    this.name = 'BackfillRequestError';
    this.kind = options?.kind ?? 'invalid';
  }
}

/** Kite's interval names (`minute`, `5minute`, …, `day`) as bar intervals. */
export const KITE_INTERVAL_NAMES: Readonly<Record<string, BarInterval>> = {
  minute: '1m',
  '3minute': '3m',
  '5minute': '5m',
  '10minute': '10m',
  '15minute': '15m',
  '30minute': '30m',
  '60minute': '60m',
  day: '1d',
};

/** Returns the bar interval of `s` (Kite's or our name); throws BackfillRequestError for others and for 1s. */
export function parseBackfillInterval(s: string): BarInterval {
  const interval = KITE_INTERVAL_NAMES[s] ?? (isBarInterval(s) ? s : undefined);
  if (interval === undefined) {
    throw new BackfillRequestError(
      `unknown interval ${JSON.stringify(s)}: use minute, 3minute, 5minute, 10minute, 15minute, 30minute, ` +
        `60minute or day (or 1m … 60m, 1d)`,
    );
  }
  try {
    chunkDaysOf(interval);
  } catch (error) {
    throw new BackfillRequestError(`${(error as Error).message}; 1s bars come only from ticks`, {
      cause: error,
    });
  }
  return interval;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Returns epoch ms of a date (00:00 IST, or 23:59:59 IST when `end`) or an ISO time with offset (whole seconds). */
export function parseBackfillTime(s: string, end: boolean, what: string): number {
  let ms: number;
  if (DATE.test(s)) {
    try {
      ms = istToEpochMs(s, end ? '23:59:59' : '00:00');
    } catch (error) {
      throw new BackfillRequestError(`${what} ${s} is not a calendar date`, { cause: error });
    }
    if (istDate(ms) !== s) throw new BackfillRequestError(`${what} ${s} is not a calendar date`);
  } else if (ISO_WITH_OFFSET.test(s)) {
    ms = Date.parse(s);
  } else {
    throw new BackfillRequestError(
      `${what} ${JSON.stringify(s)} must be YYYY-MM-DD (IST) or ISO 8601 with an offset (2026-01-05T09:15:00+05:30)`,
    );
  }
  if (!Number.isSafeInteger(ms) || ms % 1000 !== 0) {
    throw new BackfillRequestError(`${what} ${s} must be a valid time in whole seconds`);
  }
  return ms;
}

/** Returns the instrument of `EXCHANGE:SYMBOL` in the master in force on `onDate`; throws what to run when missing. */
export async function resolveBackfillInstrument(
  instruments: InstrumentRepository,
  namespace: DataNamespace,
  symbol: string,
  onDate: string,
): Promise<Instrument> {
  const colon = symbol.indexOf(':');
  const exchange = colon < 0 ? '' : symbol.slice(0, colon);
  const tradingSymbol = symbol.slice(colon + 1);
  if (colon < 0 || !isExchange(exchange) || tradingSymbol === '') {
    throw new BackfillRequestError(`symbol ${JSON.stringify(symbol)} must be EXCHANGE:SYMBOL, e.g. NSE:INFY`);
  }
  let id;
  try {
    id = instrumentId(tradingSymbol, exchange);
  } catch (error) {
    throw new BackfillRequestError(`symbol ${symbol}: ${(error as Error).message}`, { cause: error });
  }
  const instrument = await instruments.get(namespace, id, onDate);
  if (instrument !== null) return instrument;
  const latest = await instruments.latestVersion(namespace);
  throw new BackfillRequestError(
    latest === null
      ? `unknown instrument ${symbol}: the ${namespace} instruments master is empty; run \`kitepilot instruments sync\` first`
      : `unknown instrument ${symbol} in the ${namespace} instruments master of ${onDate} (latest version ${latest}); ` +
          'run `kitepilot instruments sync` first',
  );
}

/** What opening the Kite REST client from the stored session needs. */
export interface StoredKiteClientOptions {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  /** Default `acc_default`. */
  readonly accountId?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Returns a Kite REST client on the session `kitepilot kite login` stored encrypted; throws BackfillRequestError
 * saying to log in when there is no master key, no session, or the session has expired.
 */
export async function openStoredKiteClient(o: StoredKiteClientOptions): Promise<KiteRestClient> {
  try {
    const session = await loadStoredKiteSession({
      config: o.config,
      sql: o.store.driver,
      clock: o.clock,
      ...(o.accountId !== undefined ? { accountId: o.accountId } : {}),
      ...(o.env !== undefined ? { env: o.env } : {}),
    });
    return kiteRestClientFor(session, o.config, o.clock);
  } catch (error) {
    if (error instanceof KiteSessionUnavailableError) {
      throw new BackfillRequestError(error.message, { kind: 'unavailable', cause: error });
    }
    throw error;
  }
}

/** What `prepareBackfill` needs. */
export interface PrepareBackfillOptions extends StoredKiteClientOptions {
  readonly request: BackfillRequest;
  /** Default a TimeRandomIdGenerator on the clock. */
  readonly ids?: IdGenerator;
}

/** A validated backfill ready to run, with its job id chosen (an unfinished run of the same parameters, or new). */
export interface PreparedBackfill {
  readonly options: BackfillOptions & { readonly jobRunId: JobRunId };
  /** True when the job id is that of an earlier unfinished run, which this one resumes. */
  readonly resumes: boolean;
}

/**
 * Validates the request, resolves the instrument in the 'real' master (as of today, IST), opens the Kite session
 * and picks the job id: the latest unfinished backfill with the same parameters, else a new one.
 */
export async function prepareBackfill(o: PrepareBackfillOptions): Promise<PreparedBackfill> {
  const interval = parseBackfillInterval(o.request.interval);
  const fromMs = parseBackfillTime(o.request.from, false, 'from');
  const toMs = parseBackfillTime(o.request.to, true, 'to');
  if (fromMs > toMs) {
    throw new BackfillRequestError(`from ${o.request.from} is after to ${o.request.to}`);
  }
  const namespace: DataNamespace = 'real';
  const instrument = await resolveBackfillInstrument(
    o.store.instruments,
    namespace,
    o.request.symbol,
    istDate(o.clock.now()),
  );
  const client = await openStoredKiteClient(o);
  const ids = o.ids ?? new TimeRandomIdGenerator(o.clock, new SeededRandom(randomInt(2 ** 31)));
  const chunkDays = chunkDaysOf(interval);
  const unfinished = await findUnfinishedBackfill(o.store.jobRuns, {
    namespace,
    instrumentId: instrument.id,
    interval,
    fromMs,
    toMs,
    chunkDays,
  });
  return {
    resumes: unfinished !== null,
    options: {
      source: new KiteCandleSource(client),
      bars: o.store.bars,
      jobRuns: o.store.jobRuns,
      clock: o.clock,
      ids,
      namespace,
      instrument,
      interval,
      fromMs,
      toMs,
      chunkDays,
      jobRunId: unfinished ?? ids.next('jobRun'),
    },
  };
}
