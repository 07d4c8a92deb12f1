import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import {
  aBar,
  FakeStrategyContext,
  istMs,
  NEXT_TEST_DAY,
  StrategyConfigError,
  type StrategyParams,
} from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument(); // tick ₹0.10
const ID = RELIANCE.id;

function run(params: StrategyParams = {}, startMs = istMs('09:00')): FakeStrategyContext {
  const ctx = new FakeStrategyContext({ instruments: [RELIANCE], startMs });
  ctx.start(definition.create({ symbol: 'NSE:RELIANCE', ...params }));
  return ctx;
}

/** Runs to the 09:30 entry with a last trade at `pricePaise` and fills it there; returns the context. */
function entered(params: StrategyParams = {}, pricePaise = 1_500_00): FakeStrategyContext {
  const ctx = run(params);
  ctx.feedTick(ID, pricePaise, istMs('09:29:30'));
  ctx.advanceTo(istMs('09:30'));
  ctx.fill(ctx.lastSubmit().intentId, pricePaise);
  return ctx;
}

describe('TimeWindowStrategy entry', () => {
  it('sets the entry and exit timers of the trading day and subscribes to ticks', () => {
    const ctx = run();
    expect(ctx.pendingTimers()).toEqual([
      { name: 'entry', atMs: istMs('09:30') },
      { name: 'exit', atMs: istMs('15:00') },
    ]);
    expect(ctx.subscriptions).toEqual([{ instrumentId: ID, ticks: true, bars: ['1m'] }]);
  });

  it('buys at buyTime with the stop rounded down and the target rounded up to the tick', () => {
    const ctx = run({ qty: 5 });
    ctx.feedTick(ID, 1_500_50, istMs('09:29:59'));
    expect(ctx.submits).toEqual([]);
    ctx.advanceTo(istMs('09:30'));
    expect(ctx.submits).toHaveLength(1);
    const { request, at } = ctx.lastSubmit();
    expect(at).toBe(istMs('09:30'));
    // 1500.50 × 0.99 = 1485.495 → 1485.40; 1500.50 × 1.02 = 1530.51 → 1530.60
    expect(request).toMatchObject({ side: 'BUY', qty: 5, orderType: 'MARKET', stopLossPaise: 1_485_40 });
    expect(request.reason).toContain('target ₹1530.60');
    expect(ctx.signals.map((s) => [s.request.direction, s.at])).toEqual([['LONG', istMs('09:30')]]);
  });

  it('sells at buyTime for side SELL with the stop rounded up and the target rounded down', () => {
    const ctx = run({ side: 'SELL' });
    ctx.feedTick(ID, 1_500_50, istMs('09:29'));
    ctx.advanceTo(istMs('09:30'));
    // 1500.50 × 1.01 = 1515.505 → 1515.60; 1500.50 × 0.98 = 1470.49 → 1470.40
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', stopLossPaise: 1_515_60 });
    expect(ctx.lastSubmit().request.reason).toContain('target ₹1470.40');
    expect(ctx.signals[0]!.request.direction).toBe('SHORT');
  });

  it('waits for the first price after buyTime when none is known yet', () => {
    const ctx = run();
    ctx.advanceTo(istMs('09:30'));
    expect(ctx.submits).toEqual([]);
    ctx.feedTick(ID, 1_490_00, istMs('09:31'));
    expect(ctx.lastSubmit().request.stopLossPaise).toBe(1_475_10); // 1490 × 0.99
  });

  it('uses the close of the last 1m bar when there are no ticks', () => {
    const ctx = run();
    ctx.feedBar(aBar({ time: '09:29', close: 1_500_00 }));
    ctx.advanceTo(istMs('09:30'));
    expect(ctx.lastSubmit().request.stopLossPaise).toBe(1_485_00);
  });

  it('enters once a day: further ticks send nothing while the trade is open', () => {
    const ctx = entered();
    ctx.feedTick(ID, 1_501_00, istMs('09:40'));
    ctx.feedTick(ID, 1_502_00, istMs('09:50'));
    expect(ctx.submits).toHaveLength(1);
  });

  it('sends no second entry while the first is still working', () => {
    const ctx = run();
    ctx.feedTick(ID, 1_500_00, istMs('09:29'));
    ctx.advanceTo(istMs('09:30'));
    ctx.feedTick(ID, 1_500_00, istMs('09:31'));
    expect(ctx.submits).toHaveLength(1);
  });

  it('does not retry a denied entry that day, and enters again the next trading day', () => {
    const ctx = run();
    ctx.feedTick(ID, 1_500_00, istMs('09:29'));
    ctx.advanceTo(istMs('09:30'));
    ctx.deny(ctx.lastSubmit().intentId, 'outside the entry window');
    ctx.feedTick(ID, 1_500_00, istMs('09:35'));
    ctx.advanceTo(istMs('15:00'));
    expect(ctx.submits).toHaveLength(1);
    ctx.feedTick(ID, 1_510_00, istMs('09:29', NEXT_TEST_DAY));
    ctx.advanceTo(istMs('09:30', NEXT_TEST_DAY));
    expect(ctx.submits).toHaveLength(2);
  });

  it('skips the entry when started after buyTime but still exits at sellTime', () => {
    const ctx = run({}, istMs('10:00'));
    expect(ctx.pendingTimers()).toEqual([{ name: 'exit', atMs: istMs('15:00') }]);
    ctx.feedTick(ID, 1_500_00, istMs('10:01'));
    expect(ctx.submits).toEqual([]);
  });

  it('schedules the next trading day across a holiday (Tue 24 Nov 2026)', () => {
    const ctx = run({}, istMs('16:00', NEXT_TEST_DAY));
    expect(ctx.pendingTimers().map((t) => t.atMs)).toEqual([
      istMs('09:30', '2026-11-25'),
      istMs('15:00', '2026-11-25'),
    ]);
  });
});

describe('TimeWindowStrategy exits', () => {
  it('exits on the tick that reaches the stop, not one tick above it', () => {
    const ctx = entered({ qty: 3 }); // stop ₹1485.00, target ₹1530.00
    ctx.feedTick(ID, 1_485_10, istMs('10:00'));
    expect(ctx.submits).toHaveLength(1);
    ctx.feedTick(ID, 1_485_00, istMs('10:01'));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 3, stopLossPaise: null });
    expect(ctx.lastSubmit().request.reason).toMatch(/stop ₹1485.00/);
    expect(ctx.signals.map((s) => s.request.direction)).toEqual(['LONG', 'FLAT']);
  });

  it('exits on the tick that reaches the target', () => {
    const ctx = entered();
    ctx.feedTick(ID, 1_529_90, istMs('10:00'));
    expect(ctx.submits).toHaveLength(1);
    ctx.feedTick(ID, 1_530_00, istMs('10:01'));
    expect(ctx.lastSubmit().request.reason).toMatch(/target ₹1530.00/);
  });

  it('exits a short when the price rises to its stop', () => {
    const ctx = entered({ side: 'SELL' }); // stop ₹1515.00
    ctx.feedTick(ID, 1_515_00, istMs('10:00'));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'BUY', qty: 1 });
  });

  it("checks the levels against a 1m bar's low and high, the stop first", () => {
    const ctx = entered();
    ctx.feedBar(aBar({ time: '10:00', open: 1_500_00, high: 1_531_00, low: 1_484_00, close: 1_500_00 }));
    expect(ctx.lastSubmit().request.reason).toMatch(/reached the stop/);
  });

  it('sends one exit only, however many ticks cross the stop while it works', () => {
    const ctx = entered();
    ctx.feedTick(ID, 1_480_00, istMs('10:00'));
    ctx.feedTick(ID, 1_470_00, istMs('10:01'));
    expect(ctx.submits).toHaveLength(2);
  });

  it('exits at sellTime and sets the next trading day timers', () => {
    const ctx = entered({ qty: 2 });
    ctx.advanceTo(istMs('15:00'));
    expect(ctx.lastSubmit()).toMatchObject({ at: istMs('15:00'), request: { side: 'SELL', qty: 2 } });
    expect(ctx.lastSubmit().request.reason).toBe('sell time 15:00');
    expect(ctx.pendingTimers()).toEqual([
      { name: 'entry', atMs: istMs('09:30', NEXT_TEST_DAY) },
      { name: 'exit', atMs: istMs('15:00', NEXT_TEST_DAY) },
    ]);
  });

  it('cancels an entry still working at sellTime', () => {
    const ctx = run();
    ctx.feedTick(ID, 1_500_00, istMs('09:29'));
    ctx.advanceTo(istMs('09:30'));
    const entry = ctx.lastSubmit().intentId;
    ctx.advanceTo(istMs('15:00'));
    expect(ctx.cancels.map((c) => c.intentId)).toEqual([entry]);
    ctx.cancelled(entry);
    expect(ctx.submits).toHaveLength(1);
  });

  it('retries an exit the broker rejected a minute later, on the next tick', () => {
    const ctx = entered();
    ctx.feedTick(ID, 1_480_00, istMs('10:00'));
    ctx.reject(ctx.lastSubmit().intentId, 'RMS: blocked');
    ctx.feedTick(ID, 1_480_00, istMs('10:00:30'));
    expect(ctx.submits).toHaveLength(2);
    ctx.feedTick(ID, 1_480_00, istMs('10:01'));
    expect(ctx.submits).toHaveLength(3);
    expect(ctx.lastSubmit().request.side).toBe('SELL');
  });

  it('does nothing at sellTime when the platform already flattened the position', () => {
    const ctx = entered();
    ctx.flattenExternally(ID, 1_501_00);
    ctx.feedTick(ID, 1_470_00, istMs('14:00')); // below the stop, but nothing is held
    ctx.advanceTo(istMs('15:00'));
    expect(ctx.submits).toHaveLength(1);
  });
});

describe('time-window definition', () => {
  it('has the documented defaults', () => {
    const defaults = Object.fromEntries(Object.entries(definition.params).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      symbol: null,
      qty: 1,
      side: 'BUY',
      buyTime: '09:30',
      sellTime: '15:00',
      stopLossPct: 1,
      targetPct: 2,
      product: 'MIS',
    });
  });

  it.each([
    [{ buyTime: '15:00', sellTime: '09:30' }, 'time-window: buyTime 15:00 must be before sellTime 09:30'],
    [{ buyTime: '09:00' }, 'time-window: buyTime 09:00 is before the 09:15 market open'],
    [{ sellTime: '15:45' }, 'time-window: sellTime 15:45 is after the 15:30 market close'],
    [{ buyTime: '9:30' }, 'time-window: parameter buyTime="9:30" is not an HH:MM time (00:00–23:59)'],
    [{ side: 'SHORT' }, 'time-window: parameter side=SHORT is not one of BUY, SELL'],
    [{ stopLossPct: -1 }, 'time-window: parameter stopLossPct=-1 is below the minimum 0.01'],
    [{ side: 'SELL', targetPct: 100 }, 'time-window: targetPct 100 must be below 100 for a SELL entry'],
  ])('refuses %o with a StrategyConfigError', (bad, message) => {
    const create = (): unknown => definition.create({ symbol: 'NSE:RELIANCE', ...bad });
    expect(create).toThrow(StrategyConfigError);
    expect(create).toThrow(message);
  });

  it('halts on an unknown symbol', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    expect(() => ctx.start(definition.create({ symbol: 'NSE:INFY' }))).toThrow(
      'time-window: unknown instrument "NSE:INFY"',
    );
  });
});
