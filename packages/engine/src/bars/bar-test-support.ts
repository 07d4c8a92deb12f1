// Builders shared by the bar tests: ticks at IST wall times and an aggregator that records what it emits.
import {
  instrumentId,
  istToEpochMs,
  makeTick,
  paise,
  type Bar,
  type BarInterval,
  type InstrumentId,
  type Tick,
} from '@kitepilot/core';
import { BarAggregator, type BarAggregatorOptions, type EmptyBarPolicy } from './bar-aggregator.ts';

/** INFY.NSE, the default instrument of the bar tests. */
export const INFY: InstrumentId = instrumentId('INFY', 'NSE');

/** TCS.NSE, a second instrument for interleaving tests. */
export const TCS: InstrumentId = instrumentId('TCS', 'NSE');

/** Returns the epoch ms of an IST date and `HH:MM[:SS]` time plus `extraMs`. */
export function ist(date: string, time: string, extraMs = 0): number {
  return istToEpochMs(date, time) + extraMs;
}

/** Returns a full-mode tick at exchange time `ts` with the given last price, cumulative volume and OI. */
export function aTick(
  ts: number,
  pricePaise: number,
  volume: number | null = null,
  oi: number | null = null,
): Tick {
  return makeTick({
    token: 408065,
    tradable: true,
    mode: 'full',
    lastPricePaise: paise(pricePaise),
    volume,
    oi,
    exchangeTs: ts,
    tsInit: ts + 7,
  });
}

/** Returns an aggregator over `intervals` that appends every bar to the returned array. */
export function recordingAggregator(
  intervals: readonly BarInterval[],
  emptyBars: EmptyBarPolicy = 'skip',
  extra: Partial<Omit<BarAggregatorOptions, 'intervals' | 'emptyBars' | 'onBar'>> = {},
): { agg: BarAggregator; bars: Bar[] } {
  const bars: Bar[] = [];
  const agg = new BarAggregator({ intervals, emptyBars, onBar: (b) => bars.push(b), ...extra });
  return { agg, bars };
}

/** Returns the bars of one instrument and interval, in emission order. */
export function barsOf(bars: readonly Bar[], id: InstrumentId, interval: BarInterval): Bar[] {
  return bars.filter((b) => b.instrumentId === id && b.interval === interval);
}
