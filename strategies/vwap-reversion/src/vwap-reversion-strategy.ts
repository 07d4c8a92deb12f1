// vwap-reversion: fade a stretch away from the session VWAP, on closed 1m bars.
// - VWAP: session = the IST date of the bar start; each 1m bar adds its typical price round((high + low + close) / 3)
//   (integer paise, half-up) weighted by its volume. The VWAP is updated with a bar before the bar is judged, and is
//   undefined (no trading) while the session volume is 0.
// - Entry window: bars closing in [startTime, endTime). While flat, with nothing working and no entry yet that day:
//   close < VWAP × (1 − entryDevPct/100) → LONG: MARKET BUY `qty`; close > VWAP × (1 + entryDevPct/100) → SHORT:
//   MARKET SELL `qty`. (The VWAP is a ratio, so this comparison is in floating point: close × 100 against
//   VWAP × (100 ∓ entryDevPct).) The stop is close × (1 ∓ stopPct/100), on the tick grid rounded away from the close.
//   One entry per day: a denied or rejected entry is not retried.
// - Exit, on each later closed 1m bar: the stop first (a long's low ≤ stop, a short's high ≥ stop), then the cross
//   back to VWAP (a long's close ≥ VWAP, a short's close ≤ VWAP); and at endTime (timer; also any bar closing at or
//   after it): a working entry is cancelled and the open quantity is closed with a MARKET order.
import { divRound, istDate, istMillisOfDay, paiseToRupeesString, type Bar } from '@kitepilot/core';
import {
  istAt,
  nextTradingDayAt,
  pctLevel,
  type Strategy,
  StrategyConfigError,
  type StrategyContext,
  type StrategyOrderUpdate,
  type TimeParam,
  TradeManager,
} from '@kitepilot/engine';
import { SessionVwap } from '@kitepilot/indicators';

/** The validated parameters of vwap-reversion. */
export interface VwapReversionConfig {
  readonly symbol: string;
  readonly qty: number;
  readonly entryDevPct: number;
  readonly stopPct: number;
  readonly startTime: TimeParam;
  readonly endTime: TimeParam;
  readonly product: 'MIS' | 'CNC' | 'NRML';
}

/** Returns round((high + low + close) / 3) of a bar in paise, half-up. */
export function typicalPricePaise(bar: Bar): number {
  return Number(
    divRound(BigInt(bar.highPaise) + BigInt(bar.lowPaise) + BigInt(bar.closePaise), 3n, 'half-up'),
  );
}

const MINUTE_MS = 60_000;
const END_TIMER = 'end';

/** The VWAP mean-reversion strategy (rules in the file header). */
export class VwapReversionStrategy implements Strategy {
  readonly config: VwapReversionConfig;
  readonly #vwap = new SessionVwap();
  #trades: TradeManager | null = null;
  #day = '';
  /** True once the day's entry was sent, or the end time passed. */
  #done = false;

  /** Creates a strategy with fresh state for `config` (validate it with parseVwapReversionConfig). */
  constructor(config: VwapReversionConfig) {
    this.config = config;
  }

  /** Resolves the instrument, subscribes to its 1m bars and sets the end-time timer. */
  onStart(ctx: StrategyContext): void {
    const instrument = ctx.instrument(this.config.symbol);
    if (instrument === null) {
      throw new StrategyConfigError(
        `vwap-reversion: unknown instrument ${JSON.stringify(this.config.symbol)}`,
      );
    }
    this.#trades = new TradeManager({ instrument, qty: this.config.qty, product: this.config.product });
    ctx.subscribe(instrument.id, { bars: ['1m'] });
    this.#scheduleEnd(ctx);
  }

  /** Updates the VWAP with the bar, then manages the trade or looks for an entry. */
  onBar(ctx: StrategyContext, bar: Bar): void {
    const trades = this.#trades;
    if (trades === null || bar.instrumentId !== trades.instrument.id || bar.interval !== '1m') return;
    const day = istDate(bar.start);
    if (day !== this.#day) {
      this.#day = day;
      this.#done = false;
    }
    const vwap = this.#vwap.update(typicalPricePaise(bar), bar.volume, day);
    trades.sync(ctx);
    const endMs = istMillisOfDay(bar.start) + MINUTE_MS;
    const { startTime, endTime } = this.config;
    if (endMs >= endTime.msOfDay) {
      this.#done = true;
      trades.requestExit(ctx, `end time ${endTime.text}`);
      return;
    }
    const trade = trades.trade;
    const rs = paiseToRupeesString;
    if (trade !== null) {
      const long = trade.side === 'BUY';
      if (long ? bar.lowPaise <= trade.stopPaise : bar.highPaise >= trade.stopPaise) {
        trades.requestExit(ctx, `1m bar reached the stop ₹${rs(trade.stopPaise)}`);
      } else if (vwap !== null && (long ? bar.closePaise >= vwap : bar.closePaise <= vwap)) {
        trades.requestExit(ctx, `close ₹${rs(bar.closePaise)} is back at the VWAP ₹${fmt(vwap)}`);
      }
      return;
    }
    if (this.#done || vwap === null || endMs < startTime.msOfDay) return;
    const close = bar.closePaise;
    const dev = this.config.entryDevPct;
    const long = close * 100 < vwap * (100 - dev);
    if (!long && !(close * 100 > vwap * (100 + dev))) return;
    this.#done = true;
    if (!trades.canEnter(ctx)) {
      ctx.log.warn(
        { instrumentId: trades.instrument.id, netQty: trades.netQty(ctx), working: trades.working },
        'VWAP stretch while not flat or with an order working: no entry today',
      );
      return;
    }
    const { stopPct } = this.config;
    const stopPaise = pctLevel(close, stopPct, long ? 'below' : 'above', trades.instrument.tickSizePaise);
    trades.enter(ctx, {
      side: long ? 'BUY' : 'SELL',
      referencePaise: close,
      stopPaise,
      targetPaise: null,
      reason:
        `close ₹${rs(close)} is more than ${dev}% ${long ? 'below' : 'above'} the VWAP ₹${fmt(vwap)}; ` +
        `stop ₹${rs(stopPaise)} (${stopPct}%)`,
    });
  }

  /** At endTime: cancels a working entry, closes the trade, and sets the next day's timer. */
  onTimer(ctx: StrategyContext, name: string): void {
    const trades = this.#trades;
    if (trades === null || name !== END_TIMER) return;
    if (istDate(ctx.now()) === this.#day) this.#done = true;
    const reason = `end time ${this.config.endTime.text}`;
    trades.cancelEntry(ctx, reason);
    trades.requestExit(ctx, reason);
    this.#scheduleEnd(ctx);
  }

  /** Passes the update to the trade manager. */
  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.#trades?.onOrderUpdate(ctx, update);
  }

  #scheduleEnd(ctx: StrategyContext): void {
    const day = nextTradingDayAt(ctx, this.config.endTime.msOfDay);
    ctx.setTimer(END_TIMER, istAt(day, this.config.endTime.msOfDay));
  }
}

function fmt(vwapPaise: number): string {
  return (vwapPaise / 100).toFixed(2);
}
