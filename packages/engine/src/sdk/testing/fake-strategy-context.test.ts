import { describe, expect, it } from 'vitest';
import { paise, type Bar, type IntentId } from '@kitepilot/core';
import type { Strategy, StrategyContext, StrategyOrderUpdate } from '../strategy.ts';
import { aBar, aBarSeries, anInstrument, istMs, TEST_INSTRUMENT_ID } from './builders.ts';
import { FakeStrategyContext } from './fake-strategy-context.ts';

const RELIANCE = anInstrument();

/** A strategy that records what it is given and buys once on its first bar. */
class Recorder implements Strategy {
  readonly bars: Bar[] = [];
  readonly ticks: number[] = [];
  readonly timers: { name: string; at: number }[] = [];
  readonly updates: string[] = [];
  intentId: IntentId | null = null;

  onStart(ctx: StrategyContext): void {
    ctx.subscribe(RELIANCE.id, { ticks: true, bars: ['1m'] });
    ctx.setTimer('exit', istMs('15:00'));
  }
  onBar(ctx: StrategyContext, bar: Bar): void {
    this.bars.push(bar);
    if (this.intentId === null) {
      this.intentId = ctx.submit({
        instrumentId: RELIANCE.id,
        side: 'BUY',
        qty: 5,
        orderType: 'MARKET',
        stopLossPaise: paise(1_400_00),
        reason: 'test',
      });
    }
  }
  onTick(_ctx: StrategyContext, tick: { tick: { lastPricePaise: number } }): void {
    this.ticks.push(tick.tick.lastPricePaise);
  }
  onTimer(ctx: StrategyContext, name: string): void {
    this.timers.push({ name, at: ctx.now() });
  }
  onOrderUpdate(_ctx: StrategyContext, update: StrategyOrderUpdate): void {
    this.updates.push(update.event.type);
  }
}

function started(): { ctx: FakeStrategyContext; s: Recorder } {
  const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
  const s = new Recorder();
  ctx.start(s);
  return { ctx, s };
}

describe('FakeStrategyContext', () => {
  it('resolves instruments written NSE:SYMBOL, SYMBOL.NSE or as an id, and null otherwise', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    expect(ctx.instrument('NSE:RELIANCE')).toBe(RELIANCE);
    expect(ctx.instrument('RELIANCE.NSE')).toBe(RELIANCE);
    expect(ctx.instrument(RELIANCE.id)).toBe(RELIANCE);
    expect(ctx.instrument('NSE:INFY')).toBeNull();
  });

  it('moves the clock to each bar close, keeps the history and delivers only subscribed intervals', () => {
    const { ctx, s } = started();
    const bars = aBarSeries([1_500_00, 1_501_00]);
    ctx.feedBars(bars);
    expect(ctx.now()).toBe(istMs('09:17'));
    expect(ctx.feedBar(aBar({ close: 1_500_00, interval: '5m' }))).toBe(false);
    expect(s.bars).toEqual(bars);
    expect(ctx.bars(TEST_INSTRUMENT_ID, '1m')).toEqual(bars);
    expect(ctx.bars(TEST_INSTRUMENT_ID, '1m', 1)).toEqual([bars[1]]);
  });

  it('fires timers through onTimer at their time and lists the pending ones', () => {
    const { ctx, s } = started();
    expect(ctx.pendingTimers()).toEqual([{ name: 'exit', atMs: istMs('15:00') }]);
    ctx.advanceTo(istMs('15:30'));
    expect(s.timers).toEqual([{ name: 'exit', at: istMs('15:00') }]);
    expect(ctx.pendingTimers()).toEqual([]);
  });

  it('delivers ticks to tick subscribers and remembers the last one', () => {
    const { ctx, s } = started();
    ctx.feedTick(RELIANCE.id, 1_500_10, istMs('09:20'));
    expect(s.ticks).toEqual([1_500_10]);
    expect(ctx.lastTick(RELIANCE.id)?.lastPricePaise).toBe(1_500_10);
    expect(ctx.now()).toBe(istMs('09:20'));
  });

  it('turns a fill into OrderAccepted and OrderFilled updates and a position', () => {
    const { ctx, s } = started();
    ctx.feedBar(aBar({ close: 1_500_00 }));
    const id = ctx.lastSubmit().intentId;
    expect(ctx.openOrders(RELIANCE.id).map((o) => o.intentId)).toEqual([id]);
    ctx.fill(id, 1_500_50, 2);
    ctx.fill(id, 1_501_00);
    expect(s.updates).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(ctx.order(id).status).toBe('FILLED');
    expect(ctx.openOrders()).toEqual([]);
    const pos = ctx.position(RELIANCE.id);
    expect(pos.netQty).toBe(5);
    // (2 × 150050 + 3 × 150100) / 5 = 150080
    expect(pos.averagePricePaise).toBe(1_500_80);
  });

  it('removes a denied intent and delivers OrderDenied without an order', () => {
    const { ctx } = started();
    ctx.feedBar(aBar({ close: 1_500_00 }));
    const id = ctx.lastSubmit().intentId;
    ctx.deny(id, 'outside the entry window');
    expect(ctx.updates).toEqual([expect.objectContaining({ intentId: id, order: null })]);
    expect(ctx.updates[0]?.event).toMatchObject({ type: 'OrderDenied', reason: 'outside the entry window' });
    expect(ctx.openOrders()).toEqual([]);
    expect(() => ctx.order(id)).toThrow(/has no order/);
  });

  it('reports rejections and venue cancellations as terminal updates', () => {
    const { ctx, s } = started();
    ctx.feedBar(aBar({ close: 1_500_00 }));
    const id = ctx.lastSubmit().intentId;
    ctx.reject(id, 'RMS: margin exceeds');
    expect(s.updates).toEqual(['OrderRejected']);
    expect(ctx.order(id).statusMessage).toBe('RMS: margin exceeds');
  });

  it('records cancel requests and confirms them with cancelled()', () => {
    const { ctx, s } = started();
    ctx.feedBar(aBar({ close: 1_500_00 }));
    const id = ctx.lastSubmit().intentId;
    ctx.accept(id);
    ctx.cancel(id, 'exit time');
    expect(ctx.order(id).status).toBe('PENDING_CANCEL');
    ctx.cancelled(id);
    expect(ctx.cancels).toEqual([{ intentId: id, at: ctx.now(), reason: 'exit time' }]);
    expect(s.updates).toEqual(['OrderAccepted', 'OrderPendingCancel', 'OrderCancelled']);
  });

  it('changes the position without any order update on an external flatten', () => {
    const { ctx, s } = started();
    ctx.feedBar(aBar({ close: 1_500_00 }));
    ctx.fill(ctx.lastSubmit().intentId, 1_500_00);
    s.updates.length = 0;
    ctx.flattenExternally(RELIANCE.id, 1_510_00);
    expect(ctx.position(RELIANCE.id)).toMatchObject({ netQty: 0, realisedPnlPaise: 5 * 10_00 });
    expect(s.updates).toEqual([]);
  });

  it('refuses an invalid intent as the kernel does (makeIntent throws)', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    expect(() =>
      ctx.submit({
        instrumentId: RELIANCE.id,
        side: 'BUY',
        qty: 0,
        orderType: 'MARKET',
        stopLossPaise: null,
        reason: 'bad',
      }),
    ).toThrow(/quantity 0/);
  });
});
