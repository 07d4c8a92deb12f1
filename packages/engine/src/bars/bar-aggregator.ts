// Builds OHLCV bars of several intervals from validated ticks, per instrument, in O(1) per tick and interval.
// Rules (docs/decisions/0004-bars-from-ticks.md):
// - Time of a tick: `exchangeTs ?? tsInit`. Bar starts come from core's alignBarStart (intraday grid anchored at
//   09:15 IST, daily bars at 00:00 IST). Time is only what ticks and onTime(nowMs) say: no wall clock.
// - OHLC from the last price: open = price of the earliest tick in the bar, close = price of the latest (equal
//   times: first arrived opens, last arrived closes), so an older tick inside an open bar moves high/low/volume
//   but not the close. OI = the OI of the latest tick in the bar that carries one, else null.
// - Volume = increase of the cumulative day volume, per instrument and IST day, attributed to the bar of the tick
//   that shows the increase; a tick whose cumulative is not above the highest seen that day adds 0.
//   First tick of an IST day: if it arrives before the end of the session's first minute (09:16 IST on a regular
//   day), its whole cumulative counts (the day's trading so far, incl. the pre-open auction, is what the broker's
//   first candle holds); later, it is only the baseline (volume 0) — a start at 11:00 must not put the morning's
//   volume into the 11:00 bar.
// - Late ticks: a tick is late when, for any interval, its bar is already closed — emitted, or ended by the
//   clock (end ≤ the highest onTime), or older than the open bar. A late tick changes no bar and no state (bars
//   are immutable once emitted) and is counted in stats.lateTicks; the ingest path still stores it raw.
// - Closing: a tick in a later bar closes the open bar of that interval; onTime(now) closes every bar whose end
//   ≤ now; flush() emits the open bars. Per instrument, bars are emitted in order of their end (ties: finer
//   interval first); per instrument and interval, in start order with no overlap.
// - Empty intervals: 'skip' emits nothing; 'flat' emits O=H=L=C=last close, volume 0, OI = last known OI, for
//   every empty bar after the instrument's first bar that overlaps a trading session of the SessionSchedule
//   (default: the NSE calendar's cash-equity session) — never through the night, weekends or holidays.
import {
  alignBarStart,
  InvariantError,
  intervalMs,
  isBarInterval,
  makeBar,
  NseCalendar,
  type Bar,
  type BarInterval,
  type BarOrigin,
  type InstrumentId,
  type Tick,
} from '@kitepilot/core';
import { istDayNumber, istDayStartMs, NseSessionSchedule, type SessionSchedule } from './session-schedule.ts';

/** What to emit for an interval without ticks: nothing, or a flat bar at the last close. */
export type EmptyBarPolicy = 'skip' | 'flat';

/** How a BarAggregator is set up. */
export interface BarAggregatorOptions {
  intervals: readonly BarInterval[];
  emptyBars: EmptyBarPolicy;
  /** The origin stamped on every bar; default 'live'. */
  origin?: BarOrigin;
  /** Called once per closed bar, in time order per instrument; it must not call back into the aggregator. */
  onBar: (bar: Bar) => void;
  /** Trading sessions for flat bars and the volume baseline; default NseSessionSchedule(new NseCalendar()). */
  sessions?: SessionSchedule;
}

/** Counters of a BarAggregator. */
export interface BarAggregatorStats {
  /** Ticks that fell into an already closed bar and were applied to no bar. */
  readonly lateTicks: number;
  /** Bars passed to onBar, flat ones included. */
  readonly barsEmitted: number;
  /** Flat bars passed to onBar (emptyBars 'flat'). */
  readonly flatBarsEmitted: number;
  /** Ticks applied to the bars. */
  readonly ticksApplied: number;
}

/** 09:16 IST after IST midnight: the end of the first minute of the regular session (market-rules.md §3.1). */
const DEFAULT_FIRST_MINUTE_END_MS = 33_360_000;
const FIRST_MINUTE_MS = 60_000;

/** The state of one interval of one instrument: the open bar, and where the next bar may start. */
class Slot {
  open = false;
  start = 0;
  end = 0;
  openPaise = 0;
  highPaise = 0;
  lowPaise = 0;
  closePaise = 0;
  openTs = 0;
  closeTs = 0;
  volume = 0;
  oi: number | null = null;
  oiTs = 0;
  /** End of the last emitted bar: no bar may start before it. */
  nextStart = Number.NEGATIVE_INFINITY;
  hasHistory = false;
  lastClosePaise = 0;
  lastOi: number | null = null;
  /** Where the search for the next flat bar resumes, and whether it found one there. */
  flatStart = Number.NEGATIVE_INFINITY;
  flatReady = false;
}

class InstrumentState {
  readonly id: InstrumentId;
  readonly slots: Slot[];
  hasVolume = false;
  volumeDay = 0;
  cumVolume = 0;

  constructor(id: InstrumentId, intervals: number) {
    this.id = id;
    this.slots = Array.from({ length: intervals }, () => new Slot());
  }
}

/** Builds bars of the configured intervals from ticks and closes them on the clock (rules in the file header). */
export class BarAggregator {
  private readonly intervals: readonly BarInterval[];
  private readonly ms: readonly number[];
  private readonly flat: boolean;
  private readonly origin: BarOrigin;
  private readonly onBar: (bar: Bar) => void;
  private readonly sessions: SessionSchedule;
  private readonly instruments = new Map<InstrumentId, InstrumentState>();
  private readonly starts: Float64Array;
  private readonly limits: Float64Array;
  private readonly counters = { lateTicks: 0, barsEmitted: 0, flatBarsEmitted: 0, ticksApplied: 0 };
  /** The highest onTime seen: every bar that ends by then is closed. */
  private clockMs = Number.NEGATIVE_INFINITY;
  /** No open bar or pending flat bar ends before this; onTime does nothing earlier. */
  private nextDueMs = Number.NEGATIVE_INFINITY;
  private emitting = false;

  /** Creates an aggregator; throws RangeError on an empty or unknown interval list. */
  constructor(options: BarAggregatorOptions) {
    const unique = [...new Set(options.intervals)];
    for (const i of unique) {
      if (!isBarInterval(i)) throw new RangeError(`unknown bar interval ${JSON.stringify(i)}`);
    }
    if (unique.length === 0) throw new RangeError('BarAggregator needs at least one interval');
    this.intervals = unique.sort((a, b) => intervalMs(a) - intervalMs(b));
    this.ms = this.intervals.map(intervalMs);
    this.flat = options.emptyBars === 'flat';
    if (options.emptyBars !== 'flat' && options.emptyBars !== 'skip') {
      throw new RangeError(`emptyBars must be 'skip' or 'flat', got ${JSON.stringify(options.emptyBars)}`);
    }
    this.origin = options.origin ?? 'live';
    this.onBar = options.onBar;
    this.sessions = options.sessions ?? new NseSessionSchedule(new NseCalendar());
    this.starts = new Float64Array(this.intervals.length);
    this.limits = new Float64Array(this.intervals.length);
  }

  /** Returns the counters (late ticks, bars emitted, flat bars emitted, ticks applied). */
  get stats(): BarAggregatorStats {
    return this.counters;
  }

  /** Adds a validated tick; its time is tick.exchangeTs ?? tick.tsInit. Volume = change of cumulative day volume. */
  onTick(instrumentId: InstrumentId, tick: Tick): void {
    if (this.emitting) throw new InvariantError('BarAggregator.onTick called from inside onBar');
    const t = tick.exchangeTs ?? tick.tsInit;
    if (!Number.isSafeInteger(t)) {
      throw new InvariantError(
        `tick of token ${tick.token} for ${instrumentId}: time ${t} is not integer epoch ms`,
      );
    }
    let st = this.instruments.get(instrumentId);
    if (st === undefined) {
      st = new InstrumentState(instrumentId, this.intervals.length);
      this.instruments.set(instrumentId, st);
    }
    const n = this.intervals.length;
    const slots = st.slots;
    const starts = this.starts;
    let needsClose = false;
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as Slot;
      const s = alignBarStart(t, this.intervals[i] as BarInterval);
      const floor = slot.open ? slot.start : slot.nextStart;
      if (s < floor || s + (this.ms[i] as number) <= this.clockMs) {
        this.counters.lateTicks++;
        return;
      }
      if (s > floor && (slot.open || (this.flat && slot.hasHistory))) needsClose = true;
      starts[i] = s;
    }
    if (needsClose) this.closeUpTo(st, starts);
    const delta = this.volumeDelta(st, tick.volume, t);
    const price = tick.lastPricePaise;
    const oi = tick.oi;
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as Slot;
      const s = starts[i] as number;
      if (!slot.open) {
        this.openBar(slot, s, this.ms[i] as number, t, price, delta, oi);
        continue;
      }
      if (slot.start !== s) {
        throw new InvariantError(
          `${instrumentId} ${this.intervals[i]}: open bar @${slot.start} ≠ tick bar @${s}`,
        );
      }
      if (price > slot.highPaise) slot.highPaise = price;
      if (price < slot.lowPaise) slot.lowPaise = price;
      if (t < slot.openTs) {
        slot.openPaise = price;
        slot.openTs = t;
      }
      if (t >= slot.closeTs) {
        slot.closePaise = price;
        slot.closeTs = t;
      }
      slot.volume += delta;
      if (oi !== null && t >= slot.oiTs) {
        slot.oi = oi;
        slot.oiTs = t;
      }
    }
    this.counters.ticksApplied++;
  }

  /** Closes (and emits) every open bar whose end <= nowMs — bars close on the clock even without ticks. */
  onTime(nowMs: number): void {
    if (this.emitting) throw new InvariantError('BarAggregator.onTime called from inside onBar');
    if (!Number.isSafeInteger(nowMs)) throw new InvariantError(`onTime(${nowMs}): not integer epoch ms`);
    if (nowMs <= this.clockMs) return;
    this.clockMs = nowMs;
    if (nowMs < this.nextDueMs) return;
    // Until the pass completes (onBar may throw), make the next call do a full pass.
    this.nextDueMs = Number.NEGATIVE_INFINITY;
    this.limits.fill(nowMs);
    let due = Number.POSITIVE_INFINITY;
    for (const st of this.instruments.values()) {
      this.closeUpTo(st, this.limits);
      const d = this.dueOf(st);
      if (d < due) due = d;
    }
    this.nextDueMs = due;
  }

  /** Emits every open bar (end of session / shutdown); later ticks for those bars are late. */
  flush(): void {
    if (this.emitting) throw new InvariantError('BarAggregator.flush called from inside onBar');
    this.nextDueMs = Number.NEGATIVE_INFINITY;
    for (const st of this.instruments.values()) {
      for (;;) {
        let best: Slot | null = null;
        let bestI = -1;
        for (let i = 0; i < st.slots.length; i++) {
          const slot = st.slots[i] as Slot;
          if (slot.open && (best === null || slot.end < best.end)) {
            best = slot;
            bestI = i;
          }
        }
        if (best === null) break;
        this.emitOpen(st, best, bestI);
      }
    }
  }

  private openBar(
    slot: Slot,
    s: number,
    ms: number,
    t: number,
    price: number,
    volume: number,
    oi: number | null,
  ): void {
    slot.open = true;
    slot.start = s;
    slot.end = s + ms;
    slot.openPaise = price;
    slot.highPaise = price;
    slot.lowPaise = price;
    slot.closePaise = price;
    slot.openTs = t;
    slot.closeTs = t;
    slot.volume = volume;
    slot.oi = oi;
    slot.oiTs = oi === null ? Number.NEGATIVE_INFINITY : t;
    if (slot.end < this.nextDueMs) this.nextDueMs = slot.end;
  }

  private volumeDelta(st: InstrumentState, cumulative: number | null, t: number): number {
    if (cumulative === null) return 0;
    const day = istDayNumber(t);
    if (!st.hasVolume || day > st.volumeDay) {
      st.hasVolume = true;
      st.volumeDay = day;
      st.cumVolume = cumulative;
      return t < this.firstMinuteEnd(day) ? cumulative : 0;
    }
    // A tick of an earlier IST day can still be applied to a bar spanning midnight; that day's count is over.
    if (day < st.volumeDay || cumulative <= st.cumVolume) return 0;
    const delta = cumulative - st.cumVolume;
    st.cumVolume = cumulative;
    return delta;
  }

  private firstMinuteEnd(day: number): number {
    const dayStart = istDayStartMs(day);
    const session = this.sessions.sessionOf(dayStart);
    return session === null ? dayStart + DEFAULT_FIRST_MINUTE_END_MS : session.openMs + FIRST_MINUTE_MS;
  }

  /** Emits, in order of end, every bar of `st` (open or flat) whose end ≤ limits[interval]. */
  private closeUpTo(st: InstrumentState, limits: Float64Array): void {
    const slots = st.slots;
    const n = slots.length;
    for (;;) {
      let best = -1;
      let bestEnd = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const slot = slots[i] as Slot;
        const limit = limits[i] as number;
        let end = Number.POSITIVE_INFINITY;
        if (slot.open) {
          if (slot.end <= limit) end = slot.end;
        } else if (this.flat && slot.hasHistory) {
          end = this.flatEnd(slot, i, limit);
        }
        if (end < bestEnd) {
          best = i;
          bestEnd = end;
        }
      }
      if (best < 0) return;
      const slot = slots[best] as Slot;
      if (slot.open) this.emitOpen(st, slot, best);
      else this.emitFlat(st, slot, best);
    }
  }

  /** Returns the end of the next flat bar of the slot if it ends by `limit`, else +∞. */
  private flatEnd(slot: Slot, i: number, limit: number): number {
    const ms = this.ms[i] as number;
    if (!slot.flatReady) this.seekFlat(slot, i, limit);
    return slot.flatReady && slot.flatStart + ms <= limit ? slot.flatStart + ms : Number.POSITIVE_INFINITY;
  }

  /** Moves slot.flatStart to the first bar that overlaps a session, searching no further than `limit`. */
  private seekFlat(slot: Slot, i: number, limit: number): void {
    const interval = this.intervals[i] as BarInterval;
    const ms = this.ms[i] as number;
    let s = slot.flatStart;
    while (s + ms <= limit) {
      const session = this.sessions.sessionOf(s);
      if (session !== null && s < session.closeMs) {
        if (s + ms > session.openMs) {
          slot.flatStart = s;
          slot.flatReady = true;
          return;
        }
        // Before the open: the next candidate is the bar holding the open (≥ s + ms, both on the grid).
        s = alignBarStart(session.openMs, interval);
        continue;
      }
      // After the close, or no session that day: on to the next IST day (a bar spanning midnight moves by ms).
      s = Math.max(alignBarStart(istDayStartMs(istDayNumber(s) + 1), interval), s + ms);
    }
    slot.flatStart = s;
  }

  private emitOpen(st: InstrumentState, slot: Slot, i: number): void {
    const bar = makeBar({
      instrumentId: st.id,
      interval: this.intervals[i] as BarInterval,
      start: slot.start,
      openPaise: slot.openPaise as Bar['openPaise'],
      highPaise: slot.highPaise as Bar['highPaise'],
      lowPaise: slot.lowPaise as Bar['lowPaise'],
      closePaise: slot.closePaise as Bar['closePaise'],
      volume: slot.volume,
      oi: slot.oi,
      origin: this.origin,
    });
    slot.open = false;
    slot.hasHistory = true;
    slot.lastClosePaise = slot.closePaise;
    if (slot.oi !== null) slot.lastOi = slot.oi;
    this.advance(slot, slot.end);
    this.emit(bar);
  }

  private emitFlat(st: InstrumentState, slot: Slot, i: number): void {
    const price = slot.lastClosePaise as Bar['openPaise'];
    const bar = makeBar({
      instrumentId: st.id,
      interval: this.intervals[i] as BarInterval,
      start: slot.flatStart,
      openPaise: price,
      highPaise: price,
      lowPaise: price,
      closePaise: price,
      volume: 0,
      oi: slot.lastOi,
      origin: this.origin,
    });
    this.advance(slot, slot.flatStart + (this.ms[i] as number));
    this.counters.flatBarsEmitted++;
    this.emit(bar);
  }

  private advance(slot: Slot, nextStart: number): void {
    slot.nextStart = nextStart;
    slot.flatStart = nextStart;
    slot.flatReady = false;
  }

  private emit(bar: Bar): void {
    this.counters.barsEmitted++;
    this.emitting = true;
    try {
      this.onBar(bar);
    } finally {
      this.emitting = false;
    }
  }

  /** Returns the earliest end of an open or pending flat bar of `st` (a lower bound for an unresolved flat search). */
  private dueOf(st: InstrumentState): number {
    let due = Number.POSITIVE_INFINITY;
    for (let i = 0; i < st.slots.length; i++) {
      const slot = st.slots[i] as Slot;
      let end = Number.POSITIVE_INFINITY;
      if (slot.open) end = slot.end;
      else if (this.flat && slot.hasHistory) end = slot.flatStart + (this.ms[i] as number);
      if (end < due) due = end;
    }
    return due;
  }
}
