import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import {
  aBar,
  FakeStrategyContext,
  istMs,
  NEXT_TEST_DAY,
  StrategyConfigError,
  TEST_DAY,
  type StrategyParams,
} from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument(); // tick ₹0.10
const ID = RELIANCE.id;

function run(params: StrategyParams = {}): FakeStrategyContext {
  const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
  ctx.start(definition.create({ symbol: 'NSE:RELIANCE', rangeMinutes: 3, ...params }));
  return ctx;
}

/** A bar in rupees at `time` on `date`. */
function bar(time: string, open: number, high: number, low: number, close: number, date = TEST_DAY) {
  const p = (r: number): number => Math.round(r * 100);
  return aBar({ time, date, open: p(open), high: p(high), low: p(low), close: p(close) });
}

/** The 3-minute range 09:15–09:18: high ₹1508, low ₹1496 (width ₹12). */
function feedRange(ctx: FakeStrategyContext, date = TEST_DAY): void {
  ctx.feedBar(bar('09:15', 1500, 1505, 1498, 1504, date));
  ctx.feedBar(bar('09:16', 1504, 1508, 1500, 1507, date)); // closes above the running high: still the range
  ctx.feedBar(bar('09:17', 1507, 1507, 1496, 1501, date));
}

/** Range, long breakout at 09:18 (close ₹1509), filled at ₹1509. */
function long(params: StrategyParams = {}): FakeStrategyContext {
  const ctx = run(params);
  feedRange(ctx);
  ctx.feedBar(bar('09:18', 1501, 1510, 1501, 1509));
  ctx.fill(ctx.lastSubmit().intentId, 1_509_00);
  return ctx;
}

describe('OrbStrategy breakout', () => {
  it('builds the range from the bars of the first rangeMinutes and goes long on a close above it', () => {
    const ctx = run({ qty: 4 });
    feedRange(ctx);
    expect(ctx.submits).toEqual([]);
    ctx.feedBar(bar('09:18', 1501, 1510, 1501, 1509));
    const { request, at } = ctx.lastSubmit();
    expect(at).toBe(istMs('09:19'));
    expect(request).toMatchObject({ side: 'BUY', qty: 4, orderType: 'MARKET', stopLossPaise: 1_496_00 });
    expect(request.reason).toContain('target ₹1533.00'); // 1509 + 2 × 12
    expect(ctx.signals.map((s) => s.request.direction)).toEqual(['LONG']);
  });

  it('goes short on a close below the range low with the stop at the range high', () => {
    const ctx = run();
    feedRange(ctx);
    ctx.feedBar(bar('09:18', 1500, 1500, 1494, 1495));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', stopLossPaise: 1_508_00 });
    expect(ctx.lastSubmit().request.reason).toContain('target ₹1471.00'); // 1495 − 24
    expect(ctx.signals[0]!.request.direction).toBe('SHORT');
  });

  it('rounds a fractional R target away from the close, onto the tick grid', () => {
    const ctx = run({ targetR: 0.33 });
    feedRange(ctx);
    ctx.feedBar(bar('09:18', 1501, 1510, 1501, 1509));
    expect(ctx.lastSubmit().request.reason).toContain('target ₹1513.00'); // 1509 + 3.96 → 1513.00
  });

  it('needs a close strictly beyond the range: a close at the range high is not a breakout', () => {
    const ctx = run();
    feedRange(ctx);
    ctx.feedBar(bar('09:18', 1501, 1512, 1501, 1508));
    ctx.feedBar(bar('09:19', 1508, 1508, 1496, 1496));
    expect(ctx.submits).toEqual([]);
  });

  it('ignores pre-open bars and uses the default 15-minute range', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    ctx.start(definition.create({ symbol: 'NSE:RELIANCE' }));
    ctx.feedBar(bar('09:10', 1500, 1600, 1400, 1500)); // pre-open: not in the range
    ctx.feedBar(bar('09:15', 1500, 1505, 1495, 1500));
    ctx.feedBar(bar('09:29', 1500, 1510, 1500, 1510)); // last range bar: no entry
    expect(ctx.submits).toEqual([]);
    ctx.feedBar(bar('09:30', 1510, 1512, 1509, 1511));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'BUY', stopLossPaise: 1_495_00 });
  });

  it('does not trade a zero-width range', () => {
    const ctx = run({ rangeMinutes: 1 });
    ctx.feedBar(bar('09:15', 1500, 1500, 1500, 1500));
    ctx.feedBar(bar('09:16', 1500, 1510, 1500, 1510));
    expect(ctx.submits).toEqual([]);
  });

  it('trades once a day: no second entry after the first trade ends, a new one the next day', () => {
    const ctx = long();
    ctx.feedBar(bar('09:19', 1509, 1509, 1495, 1497)); // stop
    ctx.fill(ctx.lastSubmit().intentId, 1_496_00);
    ctx.feedBar(bar('09:20', 1497, 1520, 1497, 1515)); // another breakout
    expect(ctx.submits).toHaveLength(2);
    feedRange(ctx, NEXT_TEST_DAY);
    ctx.feedBar(bar('09:18', 1501, 1510, 1501, 1509, NEXT_TEST_DAY));
    expect(ctx.submits.map((s) => s.request.side)).toEqual(['BUY', 'SELL', 'BUY']);
  });

  it('does not retry a denied entry', () => {
    const ctx = run();
    feedRange(ctx);
    ctx.feedBar(bar('09:18', 1501, 1510, 1501, 1509));
    ctx.deny(ctx.lastSubmit().intentId, 'max open positions reached');
    ctx.feedBar(bar('09:19', 1509, 1512, 1508, 1511));
    expect(ctx.submits).toHaveLength(1);
  });

  it('does not enter on a bar closing at or after exitTime', () => {
    const ctx = run({ exitTime: '09:30' });
    feedRange(ctx);
    ctx.feedBar(bar('09:29', 1501, 1510, 1501, 1509)); // closes 09:30
    expect(ctx.submits).toEqual([]);
  });
});

describe('OrbStrategy exits', () => {
  it('exits a long when a bar low reaches the range low', () => {
    const ctx = long({ qty: 2 });
    ctx.feedBar(bar('09:19', 1509, 1509, 1496.1, 1497));
    expect(ctx.submits).toHaveLength(1);
    ctx.feedBar(bar('09:20', 1497, 1497, 1496, 1497));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 2, stopLossPaise: null });
    expect(ctx.lastSubmit().request.reason).toMatch(/stop ₹1496.00/);
  });

  it('exits a long at the target', () => {
    const ctx = long();
    ctx.feedBar(bar('09:19', 1509, 1533, 1509, 1530));
    expect(ctx.lastSubmit().request.reason).toMatch(/target ₹1533.00/);
  });

  it('checks the stop first when one bar reaches both levels', () => {
    const ctx = long();
    ctx.feedBar(bar('09:19', 1509, 1540, 1490, 1500));
    expect(ctx.lastSubmit().request.reason).toMatch(/stop/);
  });

  it('exits a short when a bar high reaches the range high', () => {
    const ctx = run();
    feedRange(ctx);
    ctx.feedBar(bar('09:18', 1500, 1500, 1494, 1495));
    ctx.fill(ctx.lastSubmit().intentId, 1_495_00);
    ctx.feedBar(bar('09:19', 1495, 1508, 1495, 1500));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'BUY', qty: 1 });
  });

  it('closes the trade at exitTime and sets the next trading day timer', () => {
    const ctx = long();
    expect(ctx.pendingTimers()).toEqual([{ name: 'exit', atMs: istMs('15:10') }]);
    ctx.advanceTo(istMs('15:10'));
    expect(ctx.lastSubmit()).toMatchObject({ at: istMs('15:10'), request: { side: 'SELL', qty: 1 } });
    expect(ctx.lastSubmit().request.reason).toBe('exit time 15:10');
    expect(ctx.pendingTimers()).toEqual([{ name: 'exit', atMs: istMs('15:10', NEXT_TEST_DAY) }]);
  });

  it('cancels a working entry at exitTime', () => {
    const ctx = run();
    feedRange(ctx);
    ctx.feedBar(bar('09:18', 1501, 1510, 1501, 1509));
    ctx.advanceTo(istMs('15:10'));
    expect(ctx.cancels.map((c) => c.intentId)).toEqual([ctx.lastSubmit().intentId]);
  });

  it('leaves a position the platform flattened alone', () => {
    const ctx = long();
    ctx.flattenExternally(ID, 1_510_00);
    ctx.feedBar(bar('09:19', 1509, 1509, 1490, 1495));
    ctx.advanceTo(istMs('15:10'));
    expect(ctx.submits).toHaveLength(1);
  });
});

describe('orb definition', () => {
  it('has the documented defaults', () => {
    const defaults = Object.fromEntries(Object.entries(definition.params).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      symbol: null,
      qty: 1,
      rangeMinutes: 15,
      exitTime: '15:10',
      targetR: 2,
      product: 'MIS',
    });
  });

  it.each([
    [{ rangeMinutes: 0 }, 'orb: parameter rangeMinutes=0 is below the minimum 1'],
    [{ exitTime: '15:31' }, 'orb: exitTime 15:31 is after the 15:30 market close'],
    [{ exitTime: '09:30' }, 'orb: a 15-minute range from 09:15 leaves no 1m bar before exitTime 09:30'],
    [{ targetR: 0 }, 'orb: parameter targetR=0 is below the minimum 0.1'],
    [{ symbol: 7 }, 'orb: parameter symbol=7 is not a non-empty string'],
  ])('refuses %o with a StrategyConfigError', (bad, message) => {
    const create = (): unknown => definition.create({ symbol: 'NSE:RELIANCE', ...bad });
    expect(create).toThrow(StrategyConfigError);
    expect(create).toThrow(message);
  });

  it('halts on an unknown symbol', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    expect(() => ctx.start(definition.create({ symbol: 'NSE:INFY' }))).toThrow(
      'orb: unknown instrument "NSE:INFY"',
    );
  });
});
