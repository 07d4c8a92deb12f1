// The synthetic market of the latency benchmark: equity instruments on NSE (tick size 5 paise, lot 1) and a
// deterministic tick path per instrument, computed before the run into typed arrays (price, last traded quantity,
// cumulative volume, day high and low, 5 + 5 depth quantities). Full-mode Tick objects with depth are built from
// them just before each is pushed, outside the timed interval: a decoder builds them the same way, and they stay
// short-lived as live ticks are, instead of ~1 KB each held in the old generation for the whole run.
import {
  makeInstrument,
  makeTick,
  paise,
  type DepthLevel,
  type Instrument,
  type InstrumentTick,
} from '@kitepilot/core';

/** Depth levels on each side of a full-mode tick. */
const DEPTH_LEVELS = 5;
const TICK_SIZE_PAISE = 5;

/** The instruments and every tick of a run, in feed order (round robin over the instruments). */
export interface LatencyMarket {
  readonly instruments: readonly Instrument[];
  readonly ticks: number;
  readonly pricePaise: Int32Array;
  readonly lastTradedQty: Int32Array;
  readonly volume: Float64Array;
  readonly highPaise: Int32Array;
  readonly lowPaise: Int32Array;
  readonly openPaise: Int32Array;
  /** Per tick: 5 bid quantities then 5 ask quantities. */
  readonly depthQty: Int32Array;
}

/** Returns `count` instruments SIM0.NSE … with Kite-shaped tokens (exchange token << 8 | 1 for NSE). */
export function latencyInstruments(count: number): Instrument[] {
  return Array.from({ length: count }, (_, i) =>
    makeInstrument({
      exchange: 'NSE',
      type: 'EQ',
      tradingSymbol: `SIM${i}`,
      name: `SIMULATED ${i}`,
      token: (20_000 + i) * 256 + 1,
      exchangeToken: 20_000 + i,
      tickSizePaise: paise(TICK_SIZE_PAISE),
      lotSize: 1,
      freezeQty: null,
      expiry: null,
      strikePaise: null,
      underlying: null,
    }),
  );
}

/**
 * Returns a deterministic market of `instrumentCount` instruments and `ticks` ticks: each instrument takes every
 * `instrumentCount`-th tick; its price starts between ₹200 and ₹2000 and moves by −1, 0 or +1 tick (30/40/30 %).
 */
export function buildLatencyMarket(instrumentCount: number, ticks: number): LatencyMarket {
  let s = 18_002_026;
  const next = (mod: number): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % mod;
  };
  const instruments = latencyInstruments(instrumentCount);
  const price = Array.from({ length: instrumentCount }, () => 20_000 + TICK_SIZE_PAISE * next(36_000));
  const open = price.slice();
  const high = price.slice();
  const low = price.slice();
  const cumulative = new Array<number>(instrumentCount).fill(0);
  const market: LatencyMarket = {
    instruments,
    ticks,
    pricePaise: new Int32Array(ticks),
    lastTradedQty: new Int32Array(ticks),
    volume: new Float64Array(ticks),
    highPaise: new Int32Array(ticks),
    lowPaise: new Int32Array(ticks),
    openPaise: new Int32Array(ticks),
    depthQty: new Int32Array(ticks * DEPTH_LEVELS * 2),
  };
  for (let n = 0; n < ticks; n++) {
    const i = n % instrumentCount;
    const r = next(10);
    const step = r < 3 ? -1 : r < 7 ? 0 : 1;
    const p = Math.max(1_000, (price[i] as number) + step * TICK_SIZE_PAISE);
    price[i] = p;
    high[i] = Math.max(high[i] as number, p);
    low[i] = Math.min(low[i] as number, p);
    const ltq = 1 + next(200);
    cumulative[i] = (cumulative[i] as number) + ltq;
    market.pricePaise[n] = p;
    market.lastTradedQty[n] = ltq;
    market.volume[n] = cumulative[i] as number;
    market.highPaise[n] = high[i] as number;
    market.lowPaise[n] = low[i] as number;
    market.openPaise[n] = open[i] as number;
    for (let k = 0; k < DEPTH_LEVELS * 2; k++) market.depthQty[n * DEPTH_LEVELS * 2 + k] = 50 + next(2_000);
  }
  return market;
}

function depthSide(market: LatencyMarket, n: number, side: 0 | 1, pricePaise: number): DepthLevel[] {
  const levels: DepthLevel[] = [];
  const sign = side === 0 ? -1 : 1;
  for (let k = 0; k < DEPTH_LEVELS; k++) {
    const qty = market.depthQty[n * DEPTH_LEVELS * 2 + side * DEPTH_LEVELS + k] as number;
    levels.push({
      pricePaise: paise(pricePaise + sign * TICK_SIZE_PAISE * (k + 1)),
      qty,
      orders: 1 + (qty % 37),
    });
  }
  return levels;
}

/** Returns tick `n` of the market as a full-mode tick with depth, received at `nowMs`. */
export function latencyTick(market: LatencyMarket, n: number, nowMs: number): InstrumentTick {
  const instrument = market.instruments[n % market.instruments.length] as Instrument;
  const p = market.pricePaise[n] as number;
  const open = market.openPaise[n] as number;
  const volume = market.volume[n] as number;
  return {
    instrumentId: instrument.id,
    tick: makeTick({
      token: instrument.token,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(p),
      lastTradedQty: market.lastTradedQty[n] as number,
      avgTradedPricePaise: paise(open),
      volume,
      totalBuyQty: 3 * volume,
      totalSellQty: 2 * volume,
      openPaise: paise(open),
      highPaise: paise(market.highPaise[n] as number),
      lowPaise: paise(market.lowPaise[n] as number),
      closePaise: paise(open),
      lastTradeTime: nowMs - 1,
      oi: null,
      oiDayHigh: null,
      oiDayLow: null,
      exchangeTs: nowMs - 1,
      depth: { bids: depthSide(market, n, 0, p), asks: depthSide(market, n, 1, p) },
      tsInit: nowMs,
    }),
  };
}
