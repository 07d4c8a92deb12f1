import { describe, expect, it } from 'vitest';
import { anInstrument, paise, type IntentId } from '@kitepilot/core';
import {
  aBar,
  aBarSeries,
  FakeStrategyContext,
  istMs,
  StrategyConfigError,
  type StrategyParams,
} from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument(); // tick ₹0.10

function run(params: Partial<StrategyParams> = {}): FakeStrategyContext {
  const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
  const full: Record<string, string | number | boolean> = { symbol: 'NSE:RELIANCE', fast: 1, slow: 3 };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) full[k] = v;
  ctx.start(definition.create(full));
  return ctx;
}

/** Closes in rupees → paise bars from 09:15. */
function feed(ctx: FakeStrategyContext, rupees: readonly number[], time = '09:15'): void {
  ctx.feedBars(
    aBarSeries(
      rupees.map((r) => Math.round(r * 100)),
      { time },
    ),
  );
}

function entryId(ctx: FakeStrategyContext): IntentId {
  const entry = ctx.submits.find((s) => s.request.side === 'BUY');
  if (entry === undefined) throw new Error('no entry');
  return entry.intentId;
}

// With fast = 1 and slow = 3, fast is the close and slow the mean of the last three closes.
describe('SmaCrossStrategy cross rules', () => {
  it('enters on the bar where fast crosses above slow, with a LONG signal recorded first', () => {
    const ctx = run({ qty: 10 });
    feed(ctx, [100, 100, 100, 90, 100]); // bar 4: 90 < 96.67 (flat: ignored); bar 5: 100 > 96.67 after 90 < 96.67
    expect(ctx.submits).toHaveLength(1);
    const { request, at } = ctx.lastSubmit();
    expect(at).toBe(istMs('09:20'));
    expect(request).toMatchObject({
      instrumentId: RELIANCE.id,
      side: 'BUY',
      qty: 10,
      orderType: 'MARKET',
      product: 'MIS',
      stopLossPaise: 98_00, // 100 × 0.98
    });
    expect(ctx.signals.map((s) => s.request.direction)).toEqual(['LONG']);
    expect(ctx.signals[0]!.at).toBe(at);
  });

  it('does not treat a touch (fast = slow) as a cross', () => {
    const ctx = run();
    // bar 4: 90 / 96.67 (below); bar 5: 95 / 95 (touch); bar 6: 90 / 93.33 (below again)
    feed(ctx, [100, 100, 100, 90, 95, 90]);
    expect(ctx.submits).toEqual([]);
  });

  it('completes an up-cross on the bar that leaves a touch upward (prevFast <= prevSlow)', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 95]); // touch at bar 5
    expect(ctx.submits).toEqual([]);
    feed(ctx, [100], '09:20'); // 100 > 95 after 95 = 95
    expect(ctx.submits).toHaveLength(1);
  });

  it('needs a previous value of both SMAs: no cross on the first bar where slow is ready', () => {
    const ctx = run();
    feed(ctx, [90, 90, 120]); // first slow value 100 at bar 3 with fast 120 above: no previous pair yet
    expect(ctx.submits).toEqual([]);
    feed(ctx, [130], '09:18'); // still above: no cross
    expect(ctx.submits).toEqual([]);
  });

  it('exits the whole open quantity on a down-cross, with a FLAT signal', () => {
    const ctx = run({ qty: 10 });
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.fill(entryId(ctx), 100_00);
    feed(ctx, [101, 95], '09:20'); // bar 6: 101 / 97 (above); bar 7: 95 / 98.67 → down-cross
    expect(ctx.submits).toHaveLength(2);
    expect(ctx.lastSubmit().request).toMatchObject({
      side: 'SELL',
      qty: 10,
      orderType: 'MARKET',
      stopLossPaise: null,
    });
    expect(ctx.lastSubmit().request.reason).toMatch(/crossed below/);
    expect(ctx.signals.map((s) => s.request.direction)).toEqual(['LONG', 'FLAT']);
    ctx.fill(ctx.lastSubmit().intentId, 95_00);
    expect(ctx.position(RELIANCE.id).netQty).toBe(0);
  });

  it('re-enters on the next up-cross after a round trip', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.fill(entryId(ctx), 100_00);
    feed(ctx, [101, 95], '09:20');
    ctx.fill(ctx.lastSubmit().intentId, 95_00);
    feed(ctx, [90, 100], '09:22'); // bar 8: 90 / 95.33; bar 9: 100 / 95 → up-cross
    expect(ctx.submits.map((s) => s.request.side)).toEqual(['BUY', 'SELL', 'BUY']);
  });
});

describe('SmaCrossStrategy stop', () => {
  it('rounds the stop DOWN to the tick grid: close ₹100.30, stopPct 2 → ₹98.20 (98.294 exact)', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100.3]);
    expect(ctx.lastSubmit().request.stopLossPaise).toBe(98_20);
  });

  it('computes a fractional stopPct exactly: close ₹100, stopPct 0.7 → ₹99.30', () => {
    const ctx = run({ stopPct: 0.7 });
    feed(ctx, [100, 100, 100, 90, 100]);
    expect(ctx.lastSubmit().request.stopLossPaise).toBe(99_30);
  });

  it("exits when a later closed bar's low reaches the stop, without a cross", () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.fill(entryId(ctx), 100_00);
    // fast 105 > slow 98.33: no cross, but the low touches the ₹98.00 stop exactly
    ctx.feedBar(aBar({ time: '09:20', open: 100_00, high: 105_00, low: 98_00, close: 105_00 }));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 1 });
    expect(ctx.lastSubmit().request.reason).toMatch(/reached the stop ₹98.00/);
  });

  it('does not exit when the low stays one tick above the stop', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.fill(entryId(ctx), 100_00);
    ctx.feedBar(aBar({ time: '09:20', open: 100_00, high: 105_00, low: 98_10, close: 105_00 }));
    expect(ctx.submits).toHaveLength(1);
  });

  it('never triggers a far stop (stopPct 50) on a deep dip; only the down-cross exits', () => {
    const ctx = run({ stopPct: 50 });
    feed(ctx, [100, 100, 100, 90, 100]);
    expect(ctx.lastSubmit().request.stopLossPaise).toBe(50_00);
    ctx.fill(entryId(ctx), 100_00);
    ctx.feedBar(aBar({ time: '09:20', open: 100_00, high: 110_00, low: 51_00, close: 110_00 }));
    ctx.feedBar(aBar({ time: '09:21', open: 110_00, high: 112_00, low: 50_10, close: 112_00 }));
    expect(ctx.submits).toHaveLength(1);
    feed(ctx, [95], '09:22'); // 95 < (100 + 110 + 112 + ...)/3: down-cross
    expect(ctx.submits.map((s) => s.request.side)).toEqual(['BUY', 'SELL']);
    expect(ctx.lastSubmit().request.reason).toMatch(/crossed below/);
  });
});

describe('SmaCrossStrategy order handling', () => {
  it('sends no second entry while the entry works, and none while long', () => {
    const ctx = run({ stopPct: 10 });
    feed(ctx, [100, 100, 100, 90, 100]);
    feed(ctx, [95, 100], '09:20'); // a touch (95 / 95), then another up-cross while the entry still works
    expect(ctx.submits).toHaveLength(1);
    ctx.fill(entryId(ctx), 100_00);
    feed(ctx, [101, 102], '09:22');
    expect(ctx.submits).toHaveLength(1);
  });

  it('keeps an exit condition seen while the entry works and exits once the entry fills', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.feedBar(aBar({ time: '09:20', open: 100_00, high: 101_00, low: 97_00, close: 101_00 })); // low < stop
    expect(ctx.submits).toHaveLength(1);
    ctx.fill(entryId(ctx), 100_00);
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 1 });
  });

  it('does not retry a denied entry; the next up-cross enters again', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.deny(entryId(ctx), 'daily loss cap would be exceeded');
    feed(ctx, [101, 102], '09:20');
    expect(ctx.submits).toHaveLength(1);
    feed(ctx, [90, 105], '09:22'); // down then up-cross
    expect(ctx.submits).toHaveLength(2);
  });

  it('retries a denied exit no sooner than 60 s later, then exits', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.fill(entryId(ctx), 100_00);
    feed(ctx, [101, 95], '09:20'); // down-cross at the 09:22 close
    const exit = ctx.lastSubmit().intentId;
    ctx.deny(exit, 'kill switch is on');
    feed(ctx, [94], '09:22'); // closes 09:23: 60 s after the denial at 09:22
    expect(ctx.submits).toHaveLength(3);
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 1 });
  });

  it('exits only what is open after a partial entry fill and a cancellation', () => {
    const ctx = run({ qty: 10 });
    feed(ctx, [100, 100, 100, 90, 100]);
    const id = entryId(ctx);
    ctx.fill(id, 100_00, 4);
    ctx.cancelled(id, 'IOC remainder');
    feed(ctx, [101, 95], '09:20');
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 4 });
  });

  it('ends the trade when the platform flattens the position, and enters again on the next up-cross', () => {
    const ctx = run();
    feed(ctx, [100, 100, 100, 90, 100]);
    ctx.fill(entryId(ctx), 100_00);
    ctx.flattenExternally(RELIANCE.id, 101_00);
    feed(ctx, [101, 95], '09:20'); // a down-cross: nothing to sell
    expect(ctx.submits).toHaveLength(1);
    feed(ctx, [90, 105], '09:22');
    expect(ctx.submits.map((s) => s.request.side)).toEqual(['BUY', 'BUY']);
  });

  it('uses the configured product and interval', () => {
    const ctx = run({ product: 'CNC', interval: '5m' });
    expect(ctx.subscriptions).toEqual([{ instrumentId: RELIANCE.id, ticks: false, bars: ['5m'] }]);
    feed(ctx, [100, 100, 100, 90, 100]); // 1m bars are not delivered
    expect(ctx.submits).toEqual([]);
    ctx.feedBars(aBarSeries([100_00, 100_00, 100_00, 90_00, 100_00], { interval: '5m', time: '09:40' }));
    expect(ctx.lastSubmit().request.product).toBe('CNC');
  });
});

describe('sma-cross definition', () => {
  it('has the documented defaults', () => {
    expect(definition.name).toBe('sma-cross');
    const defaults = Object.fromEntries(Object.entries(definition.params).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      symbol: null,
      qty: 1,
      fast: 10,
      slow: 30,
      stopPct: 2,
      interval: '1m',
      product: 'MIS',
    });
  });

  it.each([
    [{ fast: 30, slow: 30 }, 'sma-cross: fast (30) must be less than slow (30)'],
    [{ fast: 40 }, 'sma-cross: fast (40) must be less than slow (30)'],
    [{ fast: 2.5 }, 'sma-cross: parameter fast=2.5 is not an integer'],
    [{ stopPct: 0 }, 'sma-cross: parameter stopPct=0 is below the minimum 0.01'],
    [{ stopPct: 100 }, 'sma-cross: parameter stopPct=100 is above the maximum 99.99'],
    [
      { interval: '2m' },
      'sma-cross: parameter interval=2m is not one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 60m, 1d',
    ],
    [{ product: 'MTF' }, 'sma-cross: parameter product=MTF is not one of MIS, CNC, NRML'],
    [{ qty: 0 }, 'sma-cross: parameter qty=0 is below the minimum 1'],
    [
      { symbol: undefined },
      'sma-cross: parameter symbol is required (instrument to trade, e.g. NSE:INFY or INFY.NSE)',
    ],
    [
      { stop: 2 },
      'sma-cross: unknown parameter stop; known: symbol, qty, fast, slow, stopPct, interval, product',
    ],
  ])('refuses %o with a StrategyConfigError', (bad, message) => {
    const params = Object.fromEntries(
      Object.entries({ symbol: 'NSE:RELIANCE', ...bad }).filter(
        (e): e is [string, string | number] => e[1] !== undefined,
      ),
    );
    const create = (): unknown => definition.create(params);
    expect(create).toThrow(StrategyConfigError);
    expect(create).toThrow(message);
  });

  it('halts on an unknown symbol with the symbol in the message', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    const strategy = definition.create({ symbol: 'NSE:NOPE' });
    expect(() => ctx.start(strategy)).toThrow('sma-cross: unknown instrument "NSE:NOPE"');
  });

  it('builds a fresh strategy with its own state on each create', () => {
    expect(definition.create({ symbol: 'NSE:RELIANCE' })).not.toBe(
      definition.create({ symbol: 'NSE:RELIANCE' }),
    );
  });
});

describe('sma-cross with the backtest parameters (fast 10, slow 30, qty 10)', () => {
  it('enters once on the up-cross of a V-shaped day and exits on the down-cross', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    ctx.start(definition.create({ symbol: 'NSE:RELIANCE', fast: 10, slow: 30, qty: 10 }));
    // 40 bars falling by ₹0.10, 40 rising by ₹0.20, 40 falling by ₹0.30 (all on the tick grid)
    const closes: number[] = [];
    let p = 1_500_00;
    for (let i = 0; i < 40; i++) closes.push((p -= 10));
    for (let i = 0; i < 40; i++) closes.push((p += 20));
    for (let i = 0; i < 40; i++) closes.push((p -= 30));
    const bars = aBarSeries(closes);
    let entryBar = -1;
    let exitBar = -1;
    bars.forEach((bar, i) => {
      ctx.feedBar(bar);
      const last = ctx.submits[ctx.submits.length - 1];
      if (last === undefined) return;
      if (last.request.side === 'BUY' && entryBar < 0) {
        entryBar = i;
        ctx.fill(last.intentId, bar.closePaise);
      }
      if (last.request.side === 'SELL' && exitBar < 0) {
        exitBar = i;
        ctx.fill(last.intentId, bar.closePaise);
      }
    });
    expect(ctx.submits.map((s) => [s.request.side, s.request.qty])).toEqual([
      ['BUY', 10],
      ['SELL', 10],
    ]);
    expect(entryBar).toBeGreaterThan(40);
    expect(exitBar).toBeGreaterThan(80);
    const entryClose = bars[entryBar]!.closePaise;
    expect(ctx.submits[0]!.request.stopLossPaise).toBe(
      paise(Math.floor((entryClose * 98) / 100 / 10) * 10), // integer closes: exact here
    );
  });
});

describe('sma-cross parameters from the command line', () => {
  it('reads numbers given as strings (--param fast=10 --param slow=30)', () => {
    const strategy = definition.create({ symbol: 'NSE:RELIANCE', fast: '10', slow: '30', stopPct: '1.5' });
    expect(strategy).toMatchObject({ config: { fast: 10, slow: 30, stopPct: 1.5 } });
    expect(() => definition.create({ symbol: 'NSE:RELIANCE', fast: 'ten' })).toThrow(
      'sma-cross: parameter fast="ten" is not an integer',
    );
  });
});

describe('SmaCrossStrategy after a restart', () => {
  it('takes back the position it opened before the restart and exits at the stop the platform kept', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    // The platform recovered 10 long at ₹100 with the stop ₹98 set by this strategy's entry.
    ctx.restorePosition(RELIANCE.id, 'BUY', 10, 100_00, 98_00);
    ctx.start(definition.create({ symbol: 'NSE:RELIANCE', fast: 1, slow: 3 }));
    feed(ctx, [100, 100.5]);
    expect(ctx.submits).toHaveLength(0);
    feed(ctx, [97.9], '09:17'); // the bar's low reaches the stop
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 10, orderType: 'MARKET' });
  });

  it('leaves alone a position another strategy (or no strategy) opened', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    ctx.restorePosition(RELIANCE.id, 'BUY', 10, 100_00, 98_00, { openedBy: null });
    ctx.start(definition.create({ symbol: 'NSE:RELIANCE', fast: 1, slow: 3 }));
    feed(ctx, [100, 100.5, 97.9, 90]);
    expect(ctx.submits).toHaveLength(0);
  });
});
