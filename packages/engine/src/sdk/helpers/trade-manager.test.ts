import { describe, expect, it } from 'vitest';
import { anInstrument, paise, type IntentId, type SignalId } from '@kitepilot/core';
import type { IntentRequest, SignalRequest } from '../strategy.ts';
import { FakeStrategyContext, istMs } from '../testing/index.ts';
import { TradeManager } from './trade-manager.ts';

const RELIANCE = anInstrument();
const ID = RELIANCE.id;

/** Records the order of signal and submit calls. */
class CallLog extends FakeStrategyContext {
  readonly calls: string[] = [];
  override signal(request: SignalRequest): SignalId {
    this.calls.push(`signal ${request.direction}`);
    return super.signal(request);
  }
  override submit(request: IntentRequest): IntentId {
    this.calls.push(`submit ${request.side}`);
    return super.submit(request);
  }
}

function setup(qty = 10): { ctx: CallLog; tm: TradeManager } {
  const ctx = new CallLog({ instruments: [RELIANCE], startMs: istMs('10:00') });
  const tm = new TradeManager({ instrument: RELIANCE, qty, product: 'MIS' });
  ctx.start({ onOrderUpdate: (c, u) => tm.onOrderUpdate(c, u) });
  return { ctx, tm };
}

const LONG = {
  side: 'BUY' as const,
  referencePaise: paise(1_000_00),
  stopPaise: paise(990_00),
  targetPaise: null,
  reason: 'test entry',
};

describe('TradeManager', () => {
  it('records the signal before each submit', () => {
    const { ctx, tm } = setup();
    ctx.fill(tm.enter(ctx, LONG), 1_000_00);
    tm.requestExit(ctx, 'test exit');
    expect(ctx.calls).toEqual(['signal LONG', 'submit BUY', 'signal FLAT', 'submit SELL']);
  });

  it('refuses to enter while something works, while not flat, or while holding a trade', () => {
    const { ctx, tm } = setup();
    expect(tm.canEnter(ctx)).toBe(true);
    const id = tm.enter(ctx, LONG);
    expect(tm.canEnter(ctx)).toBe(false);
    ctx.fill(id, 1_000_00);
    expect(tm.working).toBeNull();
    expect(tm.canEnter(ctx)).toBe(false);
  });

  it('retries the remainder of a partly filled, cancelled exit after the retry delay', () => {
    const { ctx, tm } = setup();
    ctx.fill(tm.enter(ctx, LONG), 1_000_00);
    tm.requestExit(ctx, 'stop');
    const exit = ctx.lastSubmit().intentId;
    ctx.fill(exit, 991_00, 6);
    ctx.cancelled(exit, 'market protection');
    tm.sync(ctx);
    expect(ctx.submits).toHaveLength(2);
    ctx.advanceTo(istMs('10:01') - 1);
    tm.sync(ctx);
    expect(ctx.submits).toHaveLength(2);
    ctx.advanceTo(istMs('10:01'));
    tm.sync(ctx);
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 4 });
    ctx.fill(ctx.lastSubmit().intentId, 990_00);
    expect(tm.trade).toBeNull();
  });

  it('ends the trade when someone else reverses the position', () => {
    const { ctx, tm } = setup(5);
    ctx.fill(tm.enter(ctx, LONG), 1_000_00);
    ctx.externalFill(ID, 'SELL', 8, 1_001_00);
    tm.sync(ctx);
    expect(tm.trade).toBeNull();
    tm.requestExit(ctx, 'too late');
    expect(ctx.submits).toHaveLength(1);
  });

  it('never exits a position it did not open', () => {
    const { ctx, tm } = setup();
    ctx.externalFill(ID, 'BUY', 3, 1_000_00);
    tm.requestExit(ctx, 'exit time');
    tm.sync(ctx);
    expect(ctx.submits).toEqual([]);
    expect(tm.canEnter(ctx)).toBe(false);
  });

  it('cancels only a working entry', () => {
    const { ctx, tm } = setup();
    tm.cancelEntry(ctx, 'nothing to cancel');
    const id = tm.enter(ctx, LONG);
    tm.cancelEntry(ctx, 'exit time');
    expect(ctx.cancels.map((c) => c.intentId)).toEqual([id]);
    ctx.cancelled(id);
    expect(tm.trade).toBeNull();
    expect(tm.working).toBeNull();
  });

  it('ignores updates of intents it does not track', () => {
    const { ctx, tm } = setup();
    const other = ctx.submit({
      instrumentId: ID,
      side: 'BUY',
      qty: 1,
      orderType: 'MARKET',
      stopLossPaise: paise(900_00),
      reason: 'another strategy part',
    });
    const entry = tm.enter(ctx, LONG);
    ctx.deny(other, 'not ours');
    expect(tm.working).toBe('entry');
    ctx.fill(entry, 1_000_00);
    expect(tm.working).toBeNull();
    expect(tm.trade).not.toBeNull();
  });
});
