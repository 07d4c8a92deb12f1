import { InvariantError, type Bar } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bar-aggregator.ts';
import { aTick, barsOf, INFY, ist, recordingAggregator, TCS } from './bar-test-support.ts';
import { DailySessionSchedule } from './session-schedule.ts';

const FRI = '2026-11-20';
const MON = '2026-11-23';
/** Guru Nanak Jayanti, an NSE trading holiday. */
const TUE_HOLIDAY = '2026-11-24';
const WED = '2026-11-25';

function ohlcv(b: Bar | undefined): [number, number, number, number, number, number | null] | undefined {
  return b === undefined ? undefined : [b.openPaise, b.highPaise, b.lowPaise, b.closePaise, b.volume, b.oi];
}

describe('BarAggregator', () => {
  it('aligns intraday bars to the 09:15 IST grid and opens the session with a 09:15 bar', () => {
    const { agg, bars } = recordingAggregator(['1s', '1m', '3m', '10m', '60m']);
    agg.onTick(INFY, aTick(ist(MON, '09:14:59', 500), 150_000, 0));
    agg.onTick(INFY, aTick(ist(MON, '09:15:20'), 150_100, 10));
    agg.flush();
    const starts = (interval: Bar['interval']) => barsOf(bars, INFY, interval).map((b) => b.start);
    expect(starts('1s')).toEqual([ist(MON, '09:14:59'), ist(MON, '09:15:20')]);
    expect(starts('1m')).toEqual([ist(MON, '09:14'), ist(MON, '09:15')]);
    expect(starts('3m')).toEqual([ist(MON, '09:12'), ist(MON, '09:15')]);
    expect(starts('10m')).toEqual([ist(MON, '09:05'), ist(MON, '09:15')]);
    expect(starts('60m')).toEqual([ist(MON, '08:15'), ist(MON, '09:15')]);
  });

  it('builds OHLC from last prices, volume from the cumulative change and closes on the clock', () => {
    const { agg, bars } = recordingAggregator(['1m']);
    agg.onTick(INFY, aTick(ist(MON, '09:15:01'), 150_000, 1_000));
    agg.onTick(INFY, aTick(ist(MON, '09:15:10'), 150_500, 1_300));
    agg.onTick(INFY, aTick(ist(MON, '09:15:30'), 149_800, 1_350));
    agg.onTick(INFY, aTick(ist(MON, '09:15:59', 999), 150_200, 1_400));
    agg.onTime(ist(MON, '09:15:59', 999));
    expect(bars).toEqual([]);
    agg.onTime(ist(MON, '09:16'));
    expect(bars).toEqual([
      {
        instrumentId: INFY,
        interval: '1m',
        start: ist(MON, '09:15'),
        openPaise: 150_000,
        highPaise: 150_500,
        lowPaise: 149_800,
        closePaise: 150_200,
        volume: 1_400,
        oi: null,
        origin: 'live',
      },
    ]);
    expect(agg.stats).toEqual({ lateTicks: 0, barsEmitted: 1, flatBarsEmitted: 0, ticksApplied: 4 });
  });

  it('uses tsInit when a tick has no exchange timestamp and stamps the configured origin', () => {
    const { agg, bars } = recordingAggregator(['1m'], 'skip', { origin: 'repaired' });
    agg.onTick(INFY, { ...aTick(0, 150_000, 5), exchangeTs: null, tsInit: ist(MON, '10:00:30') });
    agg.flush();
    expect(bars.map((b) => [b.start, b.origin])).toEqual([[ist(MON, '10:00'), 'repaired']]);
  });

  it('takes the first tick after the first session minute as the volume baseline', () => {
    const { agg, bars } = recordingAggregator(['1m']);
    agg.onTick(INFY, aTick(ist(MON, '11:00:05'), 150_000, 2_000_000));
    agg.onTick(INFY, aTick(ist(MON, '11:00:40'), 150_100, 2_000_150));
    agg.onTick(INFY, aTick(ist(MON, '11:01:02'), 150_100, 2_000_400));
    agg.flush();
    expect(bars.map((b) => b.volume)).toEqual([150, 250]);
  });

  it('counts the whole cumulative volume of a first tick inside the first session minute', () => {
    const { agg, bars } = recordingAggregator(['1m']);
    agg.onTick(INFY, aTick(ist(MON, '09:15:59'), 150_000, 80_000));
    agg.onTick(INFY, aTick(ist(MON, '09:16:01'), 150_000, 80_020));
    agg.flush();
    expect(bars.map((b) => b.volume)).toEqual([80_000, 20]);
  });

  it('restarts the volume count at the IST day boundary and starts daily bars at 00:00 IST', () => {
    const { agg, bars } = recordingAggregator(['1m', '1d']);
    agg.onTick(INFY, aTick(ist(FRI, '15:29:30'), 150_000, 4_000_000));
    agg.onTick(INFY, aTick(ist(FRI, '15:29:50'), 150_300, 4_000_500));
    // Monday's cumulative restarts below Friday's: the new IST day counts from its own first tick.
    agg.onTick(INFY, aTick(ist(MON, '09:15:02'), 151_000, 3_000));
    agg.onTick(INFY, aTick(ist(MON, '09:15:40'), 151_500, 3_100));
    agg.flush();
    const daily = barsOf(bars, INFY, '1d');
    expect(daily.map((b) => b.start)).toEqual([ist(FRI, '00:00'), ist(MON, '00:00')]);
    // 00:00 IST is 18:30 UTC of the day before.
    expect(new Date(daily[1]?.start ?? 0).toISOString()).toBe('2026-11-22T18:30:00.000Z');
    expect(daily.map(ohlcv)).toEqual([
      [150_000, 150_300, 150_000, 150_300, 500, null],
      [151_000, 151_500, 151_000, 151_500, 3_100, null],
    ]);
    expect(barsOf(bars, INFY, '1m').map((b) => b.volume)).toEqual([500, 3_100]);
  });

  it('closes a daily bar at the next IST midnight and not before', () => {
    const { agg, bars } = recordingAggregator(['1d']);
    agg.onTick(INFY, aTick(ist(MON, '09:15:00'), 150_000, 100));
    agg.onTick(INFY, aTick(ist(MON, '12:00:00'), 152_000, 900));
    agg.onTick(INFY, aTick(ist(MON, '15:29:59'), 149_000, 1_500));
    agg.onTime(ist(MON, '23:59:59', 999));
    expect(bars).toEqual([]);
    agg.onTime(ist('2026-11-24', '00:00'));
    expect(bars.map(ohlcv)).toEqual([[150_000, 152_000, 149_000, 149_000, 1_500, null]]);
  });

  it('applies an older tick inside an open bar to high, low and volume but not to the close', () => {
    const { agg, bars } = recordingAggregator(['1m']);
    agg.onTick(INFY, aTick(ist(MON, '09:20:10'), 150_000, 10));
    agg.onTick(INFY, aTick(ist(MON, '09:20:40'), 150_200, 30));
    agg.onTick(INFY, aTick(ist(MON, '09:20:20'), 151_000, 40));
    agg.onTick(INFY, aTick(ist(MON, '09:20:05'), 149_000, 40));
    agg.flush();
    // The 09:20:05 tick is the earliest, so it opens the bar; 09:20:40 stays the close. The first tick (after
    // 09:16) is the volume baseline; the older tick's cumulative 40 is not above the highest seen, so it adds 0.
    expect(bars.map(ohlcv)).toEqual([[149_000, 151_000, 149_000, 150_200, 30, null]]);
    expect(agg.stats.lateTicks).toBe(0);
  });

  it('counts a tick for a bar closed by a later tick as late and changes no bar', () => {
    const { agg, bars } = recordingAggregator(['1m', '5m']);
    agg.onTick(INFY, aTick(ist(MON, '09:20:10'), 150_000, 10));
    agg.onTick(INFY, aTick(ist(MON, '09:21:05'), 150_100, 20));
    // 09:20:50 is in the closed 09:20 1m bar (still inside the open 09:20 5m bar): late for every interval.
    agg.onTick(INFY, aTick(ist(MON, '09:20:50'), 160_000, 30));
    agg.flush();
    expect(agg.stats.lateTicks).toBe(1);
    expect(barsOf(bars, INFY, '1m').map(ohlcv)).toEqual([
      [150_000, 150_000, 150_000, 150_000, 0, null],
      [150_100, 150_100, 150_100, 150_100, 10, null],
    ]);
    expect(barsOf(bars, INFY, '5m').map(ohlcv)).toEqual([[150_000, 150_100, 150_000, 150_100, 10, null]]);
  });

  it('counts a tick for a bar that the clock has closed as late, even without an emitted bar', () => {
    const { agg, bars } = recordingAggregator(['1m']);
    agg.onTime(ist(MON, '09:17'));
    agg.onTick(TCS, aTick(ist(MON, '09:16:30'), 150_000, 10));
    agg.onTick(INFY, aTick(ist(MON, '09:17:00'), 150_000, 10));
    agg.onTime(ist(MON, '09:18'));
    agg.onTick(INFY, aTick(ist(MON, '09:17:59'), 150_000, 20));
    agg.flush();
    expect(agg.stats.lateTicks).toBe(2);
    expect(bars.map((b) => [b.instrumentId, b.start])).toEqual([[INFY, ist(MON, '09:17')]]);
  });

  it('emits nothing for empty intervals with emptyBars skip', () => {
    const { agg, bars } = recordingAggregator(['1m'], 'skip');
    agg.onTick(INFY, aTick(ist(MON, '09:15:10'), 150_000, 10));
    agg.onTick(INFY, aTick(ist(MON, '09:18:10'), 150_500, 30));
    agg.onTime(ist(MON, '09:22'));
    expect(bars.map((b) => b.start)).toEqual([ist(MON, '09:15'), ist(MON, '09:18')]);
    expect(agg.stats.flatBarsEmitted).toBe(0);
  });

  it('fills empty intervals with flat bars at the last close, volume 0 and the last OI with emptyBars flat', () => {
    const { agg, bars } = recordingAggregator(['1m', '5m'], 'flat');
    agg.onTick(INFY, aTick(ist(MON, '09:15:10'), 150_000, 10, 5_000));
    agg.onTick(INFY, aTick(ist(MON, '09:15:50'), 150_400, 30, 5_200));
    agg.onTick(INFY, aTick(ist(MON, '09:18:10'), 150_500, 35, 5_300));
    agg.onTime(ist(MON, '09:21'));
    expect(barsOf(bars, INFY, '1m').map((b) => [b.start, ...(ohlcv(b) ?? [])])).toEqual([
      [ist(MON, '09:15'), 150_000, 150_400, 150_000, 150_400, 30, 5_200],
      [ist(MON, '09:16'), 150_400, 150_400, 150_400, 150_400, 0, 5_200],
      [ist(MON, '09:17'), 150_400, 150_400, 150_400, 150_400, 0, 5_200],
      [ist(MON, '09:18'), 150_500, 150_500, 150_500, 150_500, 5, 5_300],
      [ist(MON, '09:19'), 150_500, 150_500, 150_500, 150_500, 0, 5_300],
      [ist(MON, '09:20'), 150_500, 150_500, 150_500, 150_500, 0, 5_300],
    ]);
    expect(barsOf(bars, INFY, '5m').map(ohlcv)).toEqual([[150_000, 150_500, 150_000, 150_500, 35, 5_300]]);
    agg.onTime(ist(MON, '09:24:59', 999));
    expect(barsOf(bars, INFY, '5m')).toHaveLength(1);
    agg.onTime(ist(MON, '09:25'));
    expect(barsOf(bars, INFY, '5m').map(ohlcv)).toEqual([
      [150_000, 150_500, 150_000, 150_500, 35, 5_300],
      [150_500, 150_500, 150_500, 150_500, 0, 5_300],
    ]);
    expect(agg.stats.flatBarsEmitted).toBe(4 + 4 + 1);
  });

  it('emits no flat bar before an instrument’s first tick', () => {
    const { agg, bars } = recordingAggregator(['1m'], 'flat');
    agg.onTime(ist(MON, '09:20'));
    agg.onTick(INFY, aTick(ist(MON, '09:20:30'), 150_000, 10));
    agg.onTime(ist(MON, '09:22'));
    expect(bars.map((b) => b.start)).toEqual([ist(MON, '09:20'), ist(MON, '09:21')]);
  });

  it('emits flat bars only inside sessions: not through the night, the weekend or a holiday', () => {
    const { agg, bars } = recordingAggregator(['1m', '60m', '1d'], 'flat');
    agg.onTick(INFY, aTick(ist(MON, '15:28:30'), 150_000, 10));
    agg.onTime(ist(WED, '09:17'));
    expect(barsOf(bars, INFY, '1m').map((b) => b.start)).toEqual([
      ist(MON, '15:28'),
      ist(MON, '15:29'),
      ist(WED, '09:15'),
      ist(WED, '09:16'),
    ]);
    // The 15:15 60m bar overlaps the session (it holds the tick); nothing else until Wednesday 09:15.
    expect(barsOf(bars, INFY, '60m').map((b) => b.start)).toEqual([ist(MON, '15:15')]);
    expect(barsOf(bars, INFY, '1d').map((b) => b.start)).toEqual([ist(MON, '00:00')]);
    expect(bars.some((b) => b.start >= ist(TUE_HOLIDAY, '00:00') && b.start < ist(WED, '00:00'))).toBe(false);
    agg.onTime(ist('2026-11-26', '00:00'));
    expect(barsOf(bars, INFY, '1d').map((b) => b.start)).toEqual([ist(MON, '00:00'), ist(WED, '00:00')]);
    expect(barsOf(bars, INFY, '60m').map((b) => b.start)).toEqual([
      ist(MON, '15:15'),
      ...['09:15', '10:15', '11:15', '12:15', '13:15', '14:15', '15:15'].map((t) => ist(WED, t)),
    ]);
  });

  it('fills the gap before a late-arriving session tick with flat bars in time order', () => {
    const { agg, bars } = recordingAggregator(['1m'], 'flat', { sessions: new DailySessionSchedule() });
    agg.onTick(INFY, aTick(ist(MON, '15:29:10'), 150_000, 10));
    agg.onTick(INFY, aTick(ist('2026-11-24', '09:16:10'), 150_500, 30));
    agg.flush();
    expect(bars.map((b) => [b.start, b.volume])).toEqual([
      [ist(MON, '15:29'), 0],
      [ist('2026-11-24', '09:15'), 0],
      [ist('2026-11-24', '09:16'), 0],
    ]);
  });

  it('keeps the OI of the latest tick in the bar that carries one', () => {
    const { agg, bars } = recordingAggregator(['1m']);
    agg.onTick(INFY, aTick(ist(MON, '10:00:01'), 150_000, 10, 1_000));
    agg.onTick(INFY, aTick(ist(MON, '10:00:30'), 150_000, 11, 1_200));
    agg.onTick(INFY, aTick(ist(MON, '10:00:20'), 150_000, 12, 900));
    agg.onTick(INFY, aTick(ist(MON, '10:00:40'), 150_000, 13, null));
    agg.onTick(INFY, aTick(ist(MON, '10:01:05'), 150_000, 14, null));
    agg.flush();
    expect(bars.map((b) => b.oi)).toEqual([1_200, null]);
  });

  it('keeps instruments apart when their ticks interleave and emits each one’s bars in time order', () => {
    const { agg, bars } = recordingAggregator(['1m', '3m']);
    const feed: [typeof INFY, string, number, number][] = [
      [INFY, '09:15:01', 150_000, 100],
      [TCS, '09:15:02', 400_000, 50],
      [INFY, '09:15:30', 150_200, 120],
      [TCS, '09:16:10', 401_000, 70],
      [INFY, '09:17:05', 149_900, 160],
      [TCS, '09:17:06', 399_500, 75],
      [INFY, '09:18:00', 150_100, 200],
    ];
    for (const [id, time, price, cum] of feed) agg.onTick(id, aTick(ist(MON, time), price, cum));
    agg.onTime(ist(MON, '09:21'));
    expect(barsOf(bars, INFY, '1m').map((b) => [b.start, ...(ohlcv(b) ?? [])])).toEqual([
      [ist(MON, '09:15'), 150_000, 150_200, 150_000, 150_200, 120, null],
      [ist(MON, '09:17'), 149_900, 149_900, 149_900, 149_900, 40, null],
      [ist(MON, '09:18'), 150_100, 150_100, 150_100, 150_100, 40, null],
    ]);
    expect(barsOf(bars, TCS, '1m').map((b) => [b.start, ...(ohlcv(b) ?? [])])).toEqual([
      [ist(MON, '09:15'), 400_000, 400_000, 400_000, 400_000, 50, null],
      [ist(MON, '09:16'), 401_000, 401_000, 401_000, 401_000, 20, null],
      [ist(MON, '09:17'), 399_500, 399_500, 399_500, 399_500, 5, null],
    ]);
    expect(barsOf(bars, INFY, '3m').map(ohlcv)).toEqual([
      [150_000, 150_200, 149_900, 149_900, 160, null],
      [150_100, 150_100, 150_100, 150_100, 40, null],
    ]);
    expect(barsOf(bars, TCS, '3m').map(ohlcv)).toEqual([[400_000, 401_000, 399_500, 399_500, 75, null]]);
    for (const id of [INFY, TCS]) {
      const ends = bars
        .filter((b) => b.instrumentId === id)
        .map((b) => b.start + (b.interval === '1m' ? 60_000 : 180_000));
      expect(ends).toEqual([...ends].sort((a, b) => a - b));
    }
  });

  it('emits the open bars on flush and treats later ticks for them as late', () => {
    const { agg, bars } = recordingAggregator(['1s', '1m']);
    agg.onTick(INFY, aTick(ist(MON, '10:00:00', 100), 150_000, 10));
    agg.flush();
    expect(bars.map((b) => b.interval)).toEqual(['1s', '1m']);
    agg.onTick(INFY, aTick(ist(MON, '10:00:00', 900), 150_000, 12));
    expect(agg.stats.lateTicks).toBe(1);
    agg.flush();
    expect(bars).toHaveLength(2);
  });

  it('refuses to be called back from inside onBar', () => {
    const agg: BarAggregator = new BarAggregator({
      intervals: ['1m'],
      emptyBars: 'skip',
      onBar: () => agg.onTime(ist(MON, '11:00')),
    });
    agg.onTick(INFY, aTick(ist(MON, '10:00:00'), 150_000, 10));
    expect(() => agg.onTime(ist(MON, '10:01'))).toThrow(InvariantError);
  });

  it('rejects an empty or unknown interval list', () => {
    expect(() => recordingAggregator([])).toThrow(/at least one interval/);
    expect(() => recordingAggregator(['2m' as Bar['interval']])).toThrow(/unknown bar interval "2m"/);
  });
});
