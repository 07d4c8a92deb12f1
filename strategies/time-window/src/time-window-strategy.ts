// time-window: enter at a fixed IST time, leave at another, with a percentage stop and target in between.
// - Timers: at `buyTime` and `sellTime` IST of the current trading day (NSE calendar); after sellTime the next
//   trading day's timers are set. Started after buyTime, the strategy skips that day's entry (it still exits at
//   sellTime a trade it holds).
// - Entry, at buyTime (one per day): reference = the last trade of the day (last tick), else the close of the day's
//   last 1m bar; with neither yet, the entry waits for the first tick or bar before sellTime. A LONG (side BUY) or
//   SHORT (side SELL) signal, then MARKET `side` `qty` with stop = reference × (1 ∓ stopLossPct/100) and target =
//   reference × (1 ± targetPct/100), both on the tick grid and rounded away from the reference (a BUY's stop down and
//   target up; a SELL's stop up and target down). The stop goes with the intent as stopLossPaise.
// - Exit: on every tick, a long exits when last ≤ stop or last ≥ target (a short when last ≥ stop or last ≤ target);
//   on each closed 1m bar the same levels are checked against the bar's low and high (the stop first), so a run
//   without ticks still exits. At sellTime: a working entry is cancelled and the open quantity is sold (bought back).
// - Orders: see trade-manager.ts (no second entry while anything works; a failed entry is not retried that day).
import {
  istDate,
  paiseToRupeesString,
  type Bar,
  type Instrument,
  type InstrumentTick,
  type Paise,
  type Side,
} from '@kitepilot/core';
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

/** The validated parameters of time-window. */
export interface TimeWindowConfig {
  readonly symbol: string;
  readonly qty: number;
  readonly side: Side;
  readonly buyTime: TimeParam;
  readonly sellTime: TimeParam;
  readonly stopLossPct: number;
  readonly targetPct: number;
  readonly product: 'MIS' | 'CNC' | 'NRML';
}

const ENTRY_TIMER = 'entry';
const EXIT_TIMER = 'exit';

/** The time-window strategy (rules in the file header). */
export class TimeWindowStrategy implements Strategy {
  readonly config: TimeWindowConfig;
  #trades: TradeManager | null = null;
  /** The IST date the timers are set for. */
  #day = '';
  #entryDue = false;

  /** Creates a strategy with fresh state for `config` (validate it with parseTimeWindowConfig). */
  constructor(config: TimeWindowConfig) {
    this.config = config;
  }

  /** Resolves the instrument, subscribes to its ticks and 1m bars, and sets the day's timers. */
  onStart(ctx: StrategyContext): void {
    const instrument = ctx.instrument(this.config.symbol);
    if (instrument === null) {
      throw new StrategyConfigError(`time-window: unknown instrument ${JSON.stringify(this.config.symbol)}`);
    }
    this.#trades = new TradeManager({ instrument, qty: this.config.qty, product: this.config.product });
    ctx.subscribe(instrument.id, { ticks: true, bars: ['1m'] });
    this.#schedule(ctx);
    if (ctx.now() >= istAt(this.#day, this.config.buyTime.msOfDay)) {
      ctx.log.info(
        { day: this.#day, buyTime: this.config.buyTime.text },
        'started after buyTime: no entry today',
      );
    }
  }

  /** Enters at buyTime, exits at sellTime. */
  onTimer(ctx: StrategyContext, name: string): void {
    const trades = this.#trades;
    if (trades === null) return;
    if (name === ENTRY_TIMER) {
      this.#entryDue = true;
      this.#tryEnter(ctx, trades, this.#referencePrice(ctx, trades.instrument));
    } else if (name === EXIT_TIMER) {
      this.#entryDue = false;
      trades.cancelEntry(ctx, `sell time ${this.config.sellTime.text}`);
      trades.requestExit(ctx, `sell time ${this.config.sellTime.text}`);
      this.#schedule(ctx);
    }
  }

  /** Checks the stop and target against the last price; a pending entry uses it as its reference. */
  onTick(ctx: StrategyContext, tick: InstrumentTick): void {
    const trades = this.#trades;
    if (trades === null || tick.instrumentId !== trades.instrument.id) return;
    const last = tick.tick.lastPricePaise;
    trades.sync(ctx);
    if (this.#entryDue) this.#tryEnter(ctx, trades, last);
    else this.#checkLevels(ctx, trades, last, last, `last ₹${paiseToRupeesString(last)}`);
  }

  /** Checks the stop and target against the bar's low and high; a pending entry may use its close. */
  onBar(ctx: StrategyContext, bar: Bar): void {
    const trades = this.#trades;
    if (trades === null || bar.instrumentId !== trades.instrument.id || bar.interval !== '1m') return;
    trades.sync(ctx);
    if (this.#entryDue) this.#tryEnter(ctx, trades, this.#referencePrice(ctx, trades.instrument));
    else
      this.#checkLevels(
        ctx,
        trades,
        bar.lowPaise,
        bar.highPaise,
        `1m bar low ₹${paiseToRupeesString(bar.lowPaise)} high ₹${paiseToRupeesString(bar.highPaise)}`,
      );
  }

  /** Passes the update to the trade manager. */
  onOrderUpdate(ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.#trades?.onOrderUpdate(ctx, update);
  }

  #schedule(ctx: StrategyContext): void {
    const { buyTime, sellTime } = this.config;
    this.#day = nextTradingDayAt(ctx, sellTime.msOfDay);
    const entryAt = istAt(this.#day, buyTime.msOfDay);
    if (ctx.now() < entryAt) ctx.setTimer(ENTRY_TIMER, entryAt);
    ctx.setTimer(EXIT_TIMER, istAt(this.#day, sellTime.msOfDay));
  }

  /** Returns the day's last trade price, else the close of its last 1m bar, else null. */
  #referencePrice(ctx: StrategyContext, instrument: Instrument): Paise | null {
    const tick = ctx.lastTick(instrument.id);
    if (tick !== null && istDate(tick.exchangeTs ?? tick.tsInit) === this.#day) return tick.lastPricePaise;
    const bar = ctx.bars(instrument.id, '1m', 1)[0];
    if (bar !== undefined && istDate(bar.start) === this.#day) return bar.closePaise;
    return null;
  }

  #tryEnter(ctx: StrategyContext, trades: TradeManager, reference: Paise | null): void {
    if (reference === null) return;
    this.#entryDue = false;
    if (!trades.canEnter(ctx)) {
      ctx.log.warn(
        { instrumentId: trades.instrument.id, netQty: trades.netQty(ctx), working: trades.working },
        'buy time reached while not flat or with an order working: no entry today',
      );
      return;
    }
    const { side, stopLossPct, targetPct, qty, buyTime } = this.config;
    const tick = trades.instrument.tickSizePaise;
    const stopPaise = pctLevel(reference, stopLossPct, side === 'BUY' ? 'below' : 'above', tick);
    const targetPaise = pctLevel(reference, targetPct, side === 'BUY' ? 'above' : 'below', tick);
    trades.enter(ctx, {
      side,
      referencePaise: reference,
      stopPaise,
      targetPaise,
      reason:
        `buy time ${buyTime.text}: ${side} ${qty} at about ₹${paiseToRupeesString(reference)}; ` +
        `stop ₹${paiseToRupeesString(stopPaise)} (${stopLossPct}%), target ₹${paiseToRupeesString(targetPaise)} (${targetPct}%)`,
    });
  }

  #checkLevels(ctx: StrategyContext, trades: TradeManager, low: Paise, high: Paise, seen: string): void {
    const trade = trades.trade;
    if (trade === null || trades.exiting) return;
    const long = trade.side === 'BUY';
    const stopHit = long ? low <= trade.stopPaise : high >= trade.stopPaise;
    const target = trade.targetPaise;
    const targetHit = target !== null && (long ? high >= target : low <= target);
    if (stopHit) {
      trades.requestExit(ctx, `${seen} reached the stop ₹${paiseToRupeesString(trade.stopPaise)}`);
    } else if (targetHit) {
      trades.requestExit(ctx, `${seen} reached the target ₹${paiseToRupeesString(target)}`);
    }
  }
}
