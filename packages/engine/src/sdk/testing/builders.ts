// Builders for strategy tests: bars at IST wall times of a fixed trading day, built through core's makeBar.
import {
  anInstrument,
  intervalMs,
  istToEpochMs,
  makeBar,
  paise,
  type Bar,
  type BarInterval,
  type InstrumentId,
} from '@kitepilot/core';

export { anInstrument } from '@kitepilot/core';

/** Friday 20 Nov 2026, an NSE trading day: the default date of the strategy test builders. */
export const TEST_DAY = '2026-11-20';

/** Monday 23 Nov 2026, the trading day after TEST_DAY. */
export const NEXT_TEST_DAY = '2026-11-23';

/** The id of core's default test instrument (RELIANCE.NSE, tick ₹0.10). */
export const TEST_INSTRUMENT_ID: InstrumentId = anInstrument().id;

/** Returns the epoch ms of an IST wall time `HH:MM[:SS]` on `date` (default TEST_DAY). */
export function istMs(time: string, date: string = TEST_DAY): number {
  return istToEpochMs(date, time);
}

/** What aBar takes: prices in paise; open defaults to close, high/low to the max/min of open and close. */
export interface BarSpec {
  readonly close: number;
  readonly open?: number;
  readonly high?: number;
  readonly low?: number;
  readonly volume?: number;
  readonly instrumentId?: InstrumentId;
  readonly interval?: BarInterval;
  /** IST start time `HH:MM` on `date`; ignored when `start` is given. Default 09:15. */
  readonly time?: string;
  readonly date?: string;
  /** Start in epoch ms. */
  readonly start?: number;
}

/** Returns a validated live bar (RELIANCE.NSE, 1m, 09:15 IST on TEST_DAY, volume 1,000 by default). */
export function aBar(spec: BarSpec): Bar {
  const open = spec.open ?? spec.close;
  return makeBar({
    instrumentId: spec.instrumentId ?? TEST_INSTRUMENT_ID,
    interval: spec.interval ?? '1m',
    start: spec.start ?? istMs(spec.time ?? '09:15', spec.date ?? TEST_DAY),
    openPaise: paise(open),
    highPaise: paise(spec.high ?? Math.max(open, spec.close)),
    lowPaise: paise(spec.low ?? Math.min(open, spec.close)),
    closePaise: paise(spec.close),
    volume: spec.volume ?? 1000,
    oi: null,
    origin: 'live',
  });
}

/** Options of aBarSeries. */
export interface BarSeriesOptions {
  readonly instrumentId?: InstrumentId;
  readonly interval?: BarInterval;
  /** IST start of the first bar (default 09:15). */
  readonly time?: string;
  readonly date?: string;
  readonly volume?: number;
}

/** Returns consecutive flat bars (open = high = low = close) with the given closes, one interval apart. */
export function aBarSeries(closes: readonly number[], options: BarSeriesOptions = {}): Bar[] {
  const interval = options.interval ?? '1m';
  const first = istMs(options.time ?? '09:15', options.date ?? TEST_DAY);
  return closes.map((close, i) =>
    aBar({
      close,
      interval,
      start: first + i * intervalMs(interval),
      ...(options.instrumentId === undefined ? {} : { instrumentId: options.instrumentId }),
      ...(options.volume === undefined ? {} : { volume: options.volume }),
    }),
  );
}
