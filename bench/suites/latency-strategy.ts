// The strategy of the latency benchmark: a short EMA breakout on every tick of its instruments. Flat, when the
// price crosses `entryTicks` ticks above its EMA (α = 1/20), it signals LONG and buys at the best ask (a marketable
// LIMIT that takes the depth) with a stop `exitTicks` ticks below; long, it signals FLAT and sells at MARKET when
// the price reaches the stop or the target (`exitTicks` above the fill) or after `holdTicks` of its ticks. Every
// signal comes with an order, and positions are closed within a few seconds, so orders, fills and exits flow.
import {
  averageFillPricePaise,
  isTerminalStatus,
  paise,
  type InstrumentId,
  type InstrumentTick,
  type IntentId,
} from '@kitepilot/core';
import type { Strategy, StrategyContext, StrategyOrderUpdate } from '@kitepilot/engine';

const FLAT = 0;
const ENTERING = 1;
const LONG = 2;
const EXITING = 3;
const EMA_ALPHA = 1 / 20;

/** How the latency benchmark's strategy trades. */
export interface LatencyStrategyOptions {
  /** The instruments it subscribes ticks of (no bars). */
  readonly instruments: readonly InstrumentId[];
  /** The tick size of the instruments, in paise. */
  readonly tickSizePaise: number;
  /** An entry when the price crosses this many ticks above its EMA. */
  readonly entryTicks: number;
  /** The stop and the target, in ticks from the entry. */
  readonly exitTicks: number;
  /** An exit after this many ticks of the instrument at the latest. */
  readonly holdTicks: number;
  /** Shares per order. */
  readonly qty: number;
}

/** An EMA breakout over many instruments, its state in typed arrays indexed by the instrument's slot. */
export class LatencyBenchStrategy implements Strategy {
  readonly #options: LatencyStrategyOptions;
  readonly #slotOf = new Map<InstrumentId, number>();
  readonly #intentSlot = new Map<IntentId, number>();
  readonly #ema: Float64Array;
  /** The price's distance above its EMA at the previous tick, in ticks. */
  readonly #above: Float64Array;
  readonly #state: Uint8Array;
  readonly #entryPaise: Int32Array;
  readonly #held: Int32Array;
  readonly #seen: Uint8Array;

  /** Creates the strategy; it subscribes in onStart. */
  constructor(options: LatencyStrategyOptions) {
    this.#options = options;
    const n = options.instruments.length;
    options.instruments.forEach((id, i) => this.#slotOf.set(id, i));
    this.#ema = new Float64Array(n);
    this.#above = new Float64Array(n);
    this.#state = new Uint8Array(n);
    this.#entryPaise = new Int32Array(n);
    this.#held = new Int32Array(n);
    this.#seen = new Uint8Array(n);
  }

  /** Subscribes to the ticks of every instrument. */
  onStart(ctx: StrategyContext): void {
    for (const id of this.#options.instruments) ctx.subscribe(id, { ticks: true, bars: [] });
  }

  /** Updates the instrument's EMA and enters or exits. */
  onTick(ctx: StrategyContext, t: InstrumentTick): void {
    const slot = this.#slotOf.get(t.instrumentId);
    if (slot === undefined) return;
    const price = t.tick.lastPricePaise;
    const { tickSizePaise, entryTicks, exitTicks, holdTicks, qty } = this.#options;
    if (this.#seen[slot] === 0) {
      this.#seen[slot] = 1;
      this.#ema[slot] = price;
      return;
    }
    const ema = (this.#ema[slot] as number) + EMA_ALPHA * (price - (this.#ema[slot] as number));
    this.#ema[slot] = ema;
    const before = this.#above[slot] as number;
    const after = (price - ema) / tickSizePaise;
    this.#above[slot] = after;
    const state = this.#state[slot];
    if (state === FLAT) {
      if (before < entryTicks && after >= entryTicks) {
        const ask = t.tick.depth?.asks[0]?.pricePaise ?? price;
        ctx.signal({ instrumentId: t.instrumentId, direction: 'LONG', strength: 1, reason: 'ema breakout' });
        const intentId = ctx.submit({
          instrumentId: t.instrumentId,
          side: 'BUY',
          qty,
          orderType: 'LIMIT',
          limitPricePaise: paise(ask),
          stopLossPaise: paise(price - exitTicks * tickSizePaise),
          reason: `ema breakout: ${price} is ${after.toFixed(1)} ticks above the EMA`,
        });
        this.#intentSlot.set(intentId, slot);
        this.#state[slot] = ENTERING;
      }
      return;
    }
    if (state !== LONG) return;
    const held = (this.#held[slot] as number) + 1;
    this.#held[slot] = held;
    const entry = this.#entryPaise[slot] as number;
    const band = exitTicks * tickSizePaise;
    if (price <= entry - band || price >= entry + band || held >= holdTicks) {
      ctx.signal({ instrumentId: t.instrumentId, direction: 'FLAT', strength: 0, reason: 'exit' });
      const intentId = ctx.submit({
        instrumentId: t.instrumentId,
        side: 'SELL',
        qty,
        orderType: 'MARKET',
        stopLossPaise: null,
        reason: `exit at ${price} after ${held} ticks (entry ${entry})`,
      });
      this.#intentSlot.set(intentId, slot);
      this.#state[slot] = EXITING;
    }
  }

  /** Moves the instrument to long or flat when its order completes, back when it is denied or rejected. */
  onOrderUpdate(_ctx: StrategyContext, update: StrategyOrderUpdate): void {
    const slot = this.#intentSlot.get(update.intentId);
    if (slot === undefined) return;
    const order = update.order;
    const entering = this.#state[slot] === ENTERING;
    if (order === null || update.event.type === 'OrderDenied') {
      this.#state[slot] = entering ? FLAT : LONG;
      this.#intentSlot.delete(update.intentId);
      return;
    }
    if (!isTerminalStatus(order.status)) return;
    this.#intentSlot.delete(update.intentId);
    if (order.filledQty === 0) {
      this.#state[slot] = entering ? FLAT : LONG;
      return;
    }
    if (entering) {
      this.#state[slot] = LONG;
      this.#entryPaise[slot] = averageFillPricePaise(order) ?? 0;
      this.#held[slot] = 0;
    } else {
      this.#state[slot] = FLAT;
    }
  }
}
