// sma-cross: a long-only simple-moving-average crossover. A golden backtest pins its trade list, so the rules are
// exact and complete here:
// - Data: closed bars of `symbol` at `interval` (default 1m); nothing else (no ticks, no wall time).
// - Indicators: fast = SMA(fast) and slow = SMA(slow) of the bar closes in paise, continuing across days (no session
//   reset). Each SMA is one division of the exact integer sum, so for realistic prices (< 10^12 paise) distinct
//   averages never compare equal by rounding.
// - A cross is evaluated on every bar once both SMAs have a previous value (from bar slow + 1 on):
//     up   = prevFast <= prevSlow && fast > slow
//     down = prevFast >= prevSlow && fast < slow
//   so touching (fast = slow) is not a cross, and a cross completes on the bar that leaves the touch.
// - Entry: on an up-cross while flat (position netQty 0 for `product`, no open order of the strategy in the
//   instrument, no trade held): a LONG signal, then MARKET BUY `qty` with stopLossPaise = close × (1 − stopPct/100)
//   rounded DOWN to the instrument's tick grid (exact decimal arithmetic, no float).
// - Exit, on a later bar while long: a down-cross, or the bar's low <= the stop. Either records a FLAT signal and
//   sends a MARKET SELL of the open quantity (the position's netQty). The entry bar itself is never checked against
//   the stop. An exit condition seen while the entry still works is kept and sent when the entry completes.
// - Several round trips a day are allowed (one per up-cross). A denied or rejected entry is not retried: the next
//   up-cross is a new entry. A failed exit is retried on the first bar at least 60 s later. A position closed by the
//   platform (square-off, flatten) ends the trade; the strategy then waits for the next up-cross.
import { paiseToRupeesString, type Bar, type BarInterval, type Instrument } from '@kitepilot/core';
import {
  pctLevel,
  type Strategy,
  StrategyConfigError,
  type StrategyContext,
  type StrategyOrderUpdate,
  TradeManager,
} from '@kitepilot/engine';
import { Sma } from '@kitepilot/indicators';

/** The validated parameters of sma-cross. */
export interface SmaCrossConfig {
  readonly symbol: string;
  readonly qty: number;
  readonly fast: number;
  readonly slow: number;
  /** Stop distance below the entry bar's close, in percent (0 < stopPct < 100). */
  readonly stopPct: number;
  readonly interval: BarInterval;
  readonly product: 'MIS' | 'CNC' | 'NRML';
}

/** The sma-cross strategy (rules in the file header). */
export class SmaCrossStrategy implements Strategy {
  readonly config: SmaCrossConfig;
  readonly #fast: Sma;
  readonly #slow: Sma;
  #prevFast: number | null = null;
  #prevSlow: number | null = null;
  #trades: TradeManager | null = null;

  /** Creates a strategy with fresh state for `config` (validate it with parseSmaCrossConfig). */
  constructor(config: SmaCrossConfig) {
    this.config = config;
    this.#fast = new Sma(config.fast);
    this.#slow = new Sma(config.slow);
  }

  /** Resolves the instrument (an unknown symbol throws, halting the strategy) and subscribes to its bars. */
  onStart(ctx: StrategyContext): void {
    const instrument = resolveInstrument(ctx, this.config.symbol);
    this.#trades = new TradeManager({ instrument, qty: this.config.qty, product: this.config.product });
    ctx.subscribe(instrument.id, { bars: [this.config.interval] });
  }

  /** Updates both SMAs with the close, then applies the exit and entry rules. */
  onBar(ctx: StrategyContext, bar: Bar): void {
    const trades = this.#trades;
    if (
      trades === null ||
      bar.instrumentId !== trades.instrument.id ||
      bar.interval !== this.config.interval
    ) {
      return;
    }
    const fast = this.#fast.update(bar.closePaise);
    const slow = this.#slow.update(bar.closePaise);
    const prevFast = this.#prevFast;
    const prevSlow = this.#prevSlow;
    this.#prevFast = fast;
    this.#prevSlow = slow;
    trades.sync(ctx);
    const trade = trades.trade;
    // The stop is checked even while the averages warm up (a position taken back after a restart).
    if (trade !== null && (fast === null || slow === null || prevFast === null || prevSlow === null)) {
      if (bar.lowPaise <= trade.stopPaise) {
        trades.requestExit(
          ctx,
          `bar low ₹${paiseToRupeesString(bar.lowPaise)} reached the stop ₹${paiseToRupeesString(trade.stopPaise)}`,
        );
      }
      return;
    }
    if (fast === null || slow === null || prevFast === null || prevSlow === null) return;
    const up = prevFast <= prevSlow && fast > slow;
    const down = prevFast >= prevSlow && fast < slow;
    const { fast: f, slow: s } = this.config;
    if (trade !== null) {
      if (down) {
        trades.requestExit(
          ctx,
          `SMA${f} ${fmt(fast)} crossed below SMA${s} ${fmt(slow)} at close ₹${rs(bar)}`,
        );
      } else if (bar.lowPaise <= trade.stopPaise) {
        trades.requestExit(
          ctx,
          `bar low ₹${paiseToRupeesString(bar.lowPaise)} reached the stop ₹${paiseToRupeesString(trade.stopPaise)}`,
        );
      }
      return;
    }
    if (up && trades.canEnter(ctx)) {
      const stopPaise = pctLevel(
        bar.closePaise,
        this.config.stopPct,
        'below',
        trades.instrument.tickSizePaise,
      );
      trades.enter(ctx, {
        side: 'BUY',
        referencePaise: bar.closePaise,
        stopPaise,
        targetPaise: null,
        reason:
          `SMA${f} ${fmt(fast)} crossed above SMA${s} ${fmt(slow)} at close ₹${rs(bar)}; ` +
          `stop ₹${paiseToRupeesString(stopPaise)} (${this.config.stopPct}%)`,
      });
    }
  }

  /** Passes the update to the trade manager. */
  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.#trades?.onOrderUpdate(ctx, update);
  }
}

/** Returns the instrument of `symbol`; throws StrategyConfigError naming the symbol when it is unknown. */
function resolveInstrument(ctx: StrategyContext, symbol: string): Instrument {
  const instrument = ctx.instrument(symbol);
  if (instrument === null) {
    throw new StrategyConfigError(`sma-cross: unknown instrument ${JSON.stringify(symbol)}`);
  }
  return instrument;
}

function fmt(smaPaise: number): string {
  return `₹${(smaPaise / 100).toFixed(4)}`;
}

function rs(bar: Bar): string {
  return paiseToRupeesString(bar.closePaise);
}
