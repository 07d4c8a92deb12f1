// orb: opening-range breakout on closed 1m bars.
// - Range of a day (IST date of the bar start): the highest high and lowest low of the 1m bars starting in
//   [09:15, 09:15 + rangeMinutes). Bars before 09:15 (pre-open) are ignored. A day with no range bar, or a range
//   of zero width (high = low), is not traded.
// - Breakout: a 1m bar starting at or after the range end and closing before exitTime, while flat with nothing
//   working and no trade yet that day. close > range high → LONG: MARKET BUY `qty`, stop = range low; close < range
//   low → SHORT: MARKET SELL `qty`, stop = range high. Target = close ± targetR × (high − low), on the tick grid
//   rounded away from the close (a long's up, a short's down; a short target at or below zero means no target).
//   One trade per day, taken or not: a denied or rejected breakout entry is not retried.
// - Exit, on each later closed 1m bar: a long when low ≤ stop or high ≥ target (a short when high ≥ stop or low ≤
//   target; the stop is checked first), and at exitTime (timer; also any bar closing at or after it): a working
//   entry is cancelled and the open quantity is closed with a MARKET order.
import {
  istDate,
  istMillisOfDay,
  paiseToRupeesString,
  subPaise,
  type Bar,
  type Paise,
} from '@kitepilot/core';
import {
  istAt,
  multipleLevel,
  nextTradingDayAt,
  type Strategy,
  StrategyConfigError,
  type StrategyContext,
  type StrategyOrderUpdate,
  type TimeParam,
  TradeManager,
} from '@kitepilot/engine';

/** The validated parameters of orb. */
export interface OrbConfig {
  readonly symbol: string;
  readonly qty: number;
  readonly rangeMinutes: number;
  readonly exitTime: TimeParam;
  readonly targetR: number;
  readonly product: 'MIS' | 'CNC' | 'NRML';
}

/** 09:15 IST, the NSE open and the start of the opening range, as ms after IST midnight. */
export const RANGE_START_MS = 33_300_000;

const MINUTE_MS = 60_000;
const EXIT_TIMER = 'exit';

/** The opening-range breakout strategy (rules in the file header). */
export class OrbStrategy implements Strategy {
  readonly config: OrbConfig;
  readonly #rangeEndMs: number;
  #trades: TradeManager | null = null;
  #day = '';
  #high: Paise | null = null;
  #low: Paise | null = null;
  /** True once the day's entry was sent, or the exit time passed. */
  #done = false;

  /** Creates a strategy with fresh state for `config` (validate it with parseOrbConfig). */
  constructor(config: OrbConfig) {
    this.config = config;
    this.#rangeEndMs = RANGE_START_MS + config.rangeMinutes * MINUTE_MS;
  }

  /** Resolves the instrument, subscribes to its 1m bars and sets the exit timer. */
  onStart(ctx: StrategyContext): void {
    const instrument = ctx.instrument(this.config.symbol);
    if (instrument === null) {
      throw new StrategyConfigError(`orb: unknown instrument ${JSON.stringify(this.config.symbol)}`);
    }
    this.#trades = new TradeManager({ instrument, qty: this.config.qty, product: this.config.product });
    ctx.subscribe(instrument.id, { bars: ['1m'] });
    this.#scheduleExit(ctx);
  }

  /** Builds the range, then looks for the breakout and manages the trade. */
  onBar(ctx: StrategyContext, bar: Bar): void {
    const trades = this.#trades;
    if (trades === null || bar.instrumentId !== trades.instrument.id || bar.interval !== '1m') return;
    const day = istDate(bar.start);
    if (day !== this.#day) this.#newDay(day);
    trades.sync(ctx);
    const startMs = istMillisOfDay(bar.start);
    if (startMs < RANGE_START_MS) return;
    if (startMs < this.#rangeEndMs) {
      this.#high = this.#high === null || bar.highPaise > this.#high ? bar.highPaise : this.#high;
      this.#low = this.#low === null || bar.lowPaise < this.#low ? bar.lowPaise : this.#low;
      return;
    }
    const endMs = startMs + MINUTE_MS;
    if (endMs >= this.config.exitTime.msOfDay) {
      this.#done = true;
      trades.requestExit(ctx, `exit time ${this.config.exitTime.text}`);
      return;
    }
    const trade = trades.trade;
    if (trade !== null) {
      const long = trade.side === 'BUY';
      const target = trade.targetPaise;
      if (long ? bar.lowPaise <= trade.stopPaise : bar.highPaise >= trade.stopPaise) {
        trades.requestExit(ctx, `1m bar reached the stop ₹${paiseToRupeesString(trade.stopPaise)}`);
      } else if (target !== null && (long ? bar.highPaise >= target : bar.lowPaise <= target)) {
        trades.requestExit(ctx, `1m bar reached the target ₹${paiseToRupeesString(target)}`);
      }
      return;
    }
    if (!this.#done) this.#tryBreakout(ctx, trades, bar);
  }

  /** At exitTime: cancels a working entry, closes the trade, and sets the next day's timer. */
  onTimer(ctx: StrategyContext, name: string): void {
    const trades = this.#trades;
    if (trades === null || name !== EXIT_TIMER) return;
    if (istDate(ctx.now()) === this.#day) this.#done = true;
    const reason = `exit time ${this.config.exitTime.text}`;
    trades.cancelEntry(ctx, reason);
    trades.requestExit(ctx, reason);
    this.#scheduleExit(ctx);
  }

  /** Passes the update to the trade manager. */
  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.#trades?.onOrderUpdate(ctx, update);
  }

  #newDay(day: string): void {
    this.#day = day;
    this.#high = null;
    this.#low = null;
    this.#done = false;
  }

  #scheduleExit(ctx: StrategyContext): void {
    const day = nextTradingDayAt(ctx, this.config.exitTime.msOfDay);
    ctx.setTimer(EXIT_TIMER, istAt(day, this.config.exitTime.msOfDay));
  }

  #tryBreakout(ctx: StrategyContext, trades: TradeManager, bar: Bar): void {
    const high = this.#high;
    const low = this.#low;
    if (high === null || low === null || high === low) return;
    const close = bar.closePaise;
    const long = close > high;
    if (!long && close >= low) return;
    this.#done = true;
    if (!trades.canEnter(ctx)) {
      ctx.log.warn(
        { instrumentId: trades.instrument.id, netQty: trades.netQty(ctx), working: trades.working },
        'breakout while not flat or with an order working: no trade today',
      );
      return;
    }
    const range = subPaise(high, low);
    const tick = trades.instrument.tickSizePaise;
    const rawTarget = multipleLevel(close, range, this.config.targetR, long ? 'above' : 'below', tick);
    const targetPaise = rawTarget > 0 ? rawTarget : null;
    const stopPaise = long ? low : high;
    const rs = paiseToRupeesString;
    trades.enter(ctx, {
      side: long ? 'BUY' : 'SELL',
      referencePaise: close,
      stopPaise,
      targetPaise,
      reason:
        `close ₹${rs(close)} broke the ${this.config.rangeMinutes}-minute range ` +
        `${long ? 'high' : 'low'} (₹${rs(low)}–₹${rs(high)}); stop ₹${rs(stopPaise)}, ` +
        `target ${targetPaise === null ? 'none' : `₹${rs(targetPaise)}`} (${this.config.targetR} R)`,
    });
  }
}
