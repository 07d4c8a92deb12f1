import { describe, expect, it } from 'vitest';
import { paise, type Order } from '@kitepilot/core';
import {
  ACC,
  NIFTY,
  RELIANCE,
  harness,
  intent,
  kite,
  report,
  tickOf,
  type Harness,
} from './order-manager-test-kit.ts';

async function working(
  h: Harness,
  venueId: string,
  overrides: Parameters<typeof intent>[0] = {},
): Promise<Order> {
  const i = intent(overrides);
  await h.om.submit(i, 'strategy');
  const order = h.execution.submitted.at(-1)!;
  const k = kite(venueId);
  await h.om.onExecutionReport(report(order, k.submit()));
  await h.om.onExecutionReport(report(order, k.status('OPEN')));
  return (await h.store.getOrder(ACC, order.clientOrderId))!;
}

async function holding(
  h: Harness,
  venueId: string,
  side: 'BUY' | 'SELL',
  qty: number,
  pricePaise: number,
): Promise<Order> {
  const order = await working(h, venueId, {
    side,
    qty,
    limitPricePaise: paise(pricePaise),
    stopLossPaise: null,
  });
  const k = kite(venueId);
  await h.om.onExecutionReport(report(order, k.fill(`${venueId}T`, qty, pricePaise)));
  return (await h.store.getOrder(ACC, order.clientOrderId))!;
}

describe('OrderManager modify and cancel', () => {
  it('sends 25 modifications of one order and refuses the 26th without a broker call', async () => {
    const h = harness();
    const order = await working(h, '2001');
    for (let n = 1; n <= 25; n++) {
      await h.om.modify(ACC, order.intentId, { limitPricePaise: paise(157_370 - n * 10) });
    }
    expect(h.execution.modified).toHaveLength(25);
    expect(h.execution.modified[0]?.command).toMatchObject({
      type: 'ModifyOrder',
      clientOrderId: order.clientOrderId,
      limitPricePaise: 157_360,
      qty: null,
    });
    await h.om.modify(ACC, order.intentId, { limitPricePaise: paise(150_000) });
    expect(h.execution.modified).toHaveLength(25);
    const refusal = h.bus.of('alert').find((a) => a.code === 'modify-refused');
    expect(refusal?.message).toMatch(/25 modifications/);
    expect(h.om.stats().refusedRequests).toBe(1);
  });

  it('refuses to modify an intent without a working order', async () => {
    const h = harness();
    const order = await working(h, '2002');
    await h.om.onExecutionReport(report(order, kite('2002').status('CANCELLED', { cancelledQty: 10 })));
    await h.om.modify(ACC, order.intentId, { qty: 5 });
    expect(h.execution.modified).toHaveLength(0);
    expect(h.bus.alertCodes()).toContain('modify-refused');
  });

  it('cancels the working order of an intent once', async () => {
    const h = harness();
    const order = await working(h, '2003');
    await h.om.cancel(ACC, order.intentId, 'signal gone');
    await h.om.cancel(ACC, order.intentId, 'again');
    expect(h.execution.cancelled).toHaveLength(1);
    expect(h.execution.cancelled[0]?.command).toMatchObject({ type: 'CancelOrder', reason: 'signal gone' });
    expect(h.bus.orderEventTypes().at(-1)).toBe('OrderPendingCancel');
    await h.om.onExecutionReport(report(order, kite('2003').status('CANCELLED', { cancelledQty: 10 })));
    expect(h.bus.orderEventTypes().at(-1)).toBe('OrderCancelled');
    expect(h.om.openOrders(ACC, order.strategyId)).toEqual([]);
  });
});

describe('OrderManager controls', () => {
  it('kill switch: persists, cancels working orders, alerts, and new entries are denied', async () => {
    const h = harness();
    const a = await working(h, '3001');
    const b = await working(h, '3002', {
      instrumentId: NIFTY.id,
      qty: 65,
      limitPricePaise: paise(2_600_000),
      stopLossPaise: paise(2_590_000),
    });
    await h.om.handleCommand({ type: 'KillSwitch', on: true, actor: 'owner', reason: 'panic' });
    expect((await h.store.loadControls()).killSwitch).toBe(true);
    expect(h.execution.cancelled.map((c) => c.order.clientOrderId)).toEqual([
      a.clientOrderId,
      b.clientOrderId,
    ]);
    expect(h.bus.of('controls').at(-1)).toMatchObject({ killSwitch: true });
    expect(h.bus.of('alert').at(-1)).toMatchObject({ level: 'critical', code: 'kill-switch' });
    await h.om.submit(intent(), 'strategy');
    expect(h.execution.submitted).toHaveLength(2);
    expect(h.om.stats().denied).toEqual({ 'kill-switch': 1 });
    expect(h.risk.snapshots.at(-1)?.killSwitch).toBe(true);
    await h.om.handleCommand({ type: 'KillSwitch', on: false, actor: 'owner', reason: 'calm' });
    expect(h.om.controls().killSwitch).toBe(false);
  });

  it('cancels an order sent without a broker reply yet as soon as the broker acknowledges it', async () => {
    const h = harness();
    await h.om.submit(intent(), 'strategy');
    const order = h.execution.submitted[0]!;
    await h.om.handleCommand({ type: 'KillSwitch', on: true, actor: 'owner', reason: 'panic' });
    expect(h.execution.cancelled).toHaveLength(0);
    await h.om.onExecutionReport(report(order, kite('3201').submit()));
    expect(h.execution.cancelled.map((c) => c.order.clientOrderId)).toEqual([order.clientOrderId]);
    expect(h.execution.cancelled[0]?.command.reason).toBe('kill switch: panic');
    await h.om.onExecutionReport(report(order, kite('3201').status('OPEN')));
    expect(h.execution.cancelled).toHaveLength(1);
  });

  it('halt and resume are persisted for the IST day and reach the risk snapshot', async () => {
    const h = harness();
    await h.om.handleCommand({
      type: 'Halt',
      accountId: ACC,
      actor: 'scheduler',
      reason: 'pre-flight failed',
    });
    expect(h.om.controls().halted).toEqual({ [ACC]: 'pre-flight failed' });
    await h.om.submit(intent(), 'strategy');
    expect(h.risk.snapshots.at(-1)?.haltedReason).toBe('pre-flight failed');
    await h.om.handleCommand({
      type: 'Resume',
      accountId: ACC,
      actor: 'scheduler',
      reason: 'pre-flight passed',
    });
    expect(h.om.controls().halted).toEqual({});
    expect(await h.store.loadControls()).toMatchObject({ halted: {}, haltedDay: '2026-11-20' });
  });

  it('cancel all of one strategy leaves the others working', async () => {
    const h = harness();
    await working(h, '3101');
    const other = await working(h, '3102', { strategyId: 'str_other' as Order['strategyId'] });
    await h.om.handleCommand({
      type: 'CancelAll',
      accountId: ACC,
      strategyId: 'str_test' as Order['strategyId'],
      actor: 'owner',
      reason: 'stop',
    });
    expect(h.execution.cancelled).toHaveLength(1);
    expect(h.om.openOrders(ACC, other.strategyId)).toHaveLength(1);
  });
});

describe('OrderManager flatten', () => {
  it("never closes twice: a strategy's exit that fills before its cancel lands leaves nothing to flatten", async () => {
    const h = harness();
    await holding(h, '4101', 'BUY', 10, 157_370);
    const exit = await working(h, '4102', {
      side: 'SELL',
      qty: 10,
      limitPricePaise: paise(157_500),
      stopLossPaise: null,
    });
    await h.om.handleCommand({
      type: 'Flatten',
      accountId: ACC,
      instrumentId: null,
      product: null,
      actor: 'scheduler',
      reason: 'cutoff 15:20',
    });
    expect(h.execution.cancelled.map((c) => c.order.clientOrderId)).toEqual([exit.clientOrderId]);
    const k = kite('4102');
    await h.om.onExecutionReport(report(exit, k.fill('4102T', 10, 157_500)));
    await h.om.onExecutionReport(report(exit, k.status('COMPLETE', { filledQty: 10 })));
    expect(h.execution.submitted.some((o) => o.strategyId === 'str_system')).toBe(false);
    expect(h.om.position(ACC, RELIANCE.id, 'MIS').netQty).toBe(0);
  });

  it('closes with a marketable LIMIT once cancelled orders end, then MARKET for the remainder after the timeout', async () => {
    const h = harness({ overrides: { squareOff: { limitOffsetTicks: 2, timeoutMs: 5000 } } });
    const entry = await working(h, '4001');
    await holding(h, '4002', 'BUY', 10, 157_370);
    expect(h.om.onTick(tickOf(RELIANCE, 157_405))).toBeUndefined();
    await h.om.handleCommand({
      type: 'Flatten',
      accountId: ACC,
      instrumentId: null,
      product: 'MIS',
      actor: 'scheduler',
      reason: 'cutoff 15:20',
    });
    // The other working entry order is cancelled first, and the closing order waits until that cancel is
    // confirmed: the entry could still fill and the position would be closed twice.
    expect(h.execution.cancelled.map((c) => c.order.clientOrderId)).toEqual([entry.clientOrderId]);
    expect(h.execution.submitted.some((o) => o.strategyId === 'str_system')).toBe(false);
    await h.om.onExecutionReport(
      report(entry, kite('4001').status('CANCELLED', { cancelledQty: entry.qty })),
    );
    const limit = h.execution.submitted.at(-1)!;
    // 1 574.05 − 2 ticks of 0.10 = 1 573.85, rounded down onto the grid: 1 573.80.
    expect(limit).toMatchObject({
      side: 'SELL',
      qty: 10,
      orderType: 'LIMIT',
      limitPricePaise: 157_380,
      strategyId: 'str_system',
      runId: 'run_test',
    });
    expect(h.timers.pending.get(`flatten:${limit.clientOrderId}`)).toBe(h.clock.now() + 5000);
    const k = kite('4003');
    await h.om.onExecutionReport(report(limit, k.submit()));
    await h.om.onExecutionReport(report(limit, k.status('OPEN')));
    await h.om.onExecutionReport(report(limit, k.fill('4003T', 4, 157_380)));
    // A second Flatten while one is working sends nothing more.
    await h.om.handleCommand({
      type: 'Flatten',
      accountId: ACC,
      instrumentId: RELIANCE.id,
      product: null,
      actor: 'owner',
      reason: 'again',
    });
    expect(h.execution.submitted.at(-1)).toBe(limit);
    h.clock.advanceBy(5000);
    await h.om.onTimer(`flatten:${limit.clientOrderId}`);
    expect(h.execution.cancelled.at(-1)?.order.clientOrderId).toBe(limit.clientOrderId);
    expect(h.execution.submitted.at(-1)).toBe(limit);
    await h.om.onExecutionReport(report(limit, k.status('CANCELLED', { cancelledQty: 6, filledQty: 4 })));
    const market = h.execution.submitted.at(-1)!;
    expect(market).toMatchObject({
      side: 'SELL',
      qty: 6,
      orderType: 'MARKET',
      limitPricePaise: null,
      strategyId: 'str_system',
    });
    const km = kite('4004');
    await h.om.onExecutionReport(report(market, km.submit()));
    await h.om.onExecutionReport(report(market, km.fill('4004T', 6, 157_300)));
    expect(h.om.position(ACC, RELIANCE.id, 'MIS').netQty).toBe(0);
    expect(h.timers.pending.size).toBe(0);
  });

  it('at the loss cap: alerts, halts for the day, cancels working orders and flattens', async () => {
    const h = harness();
    await holding(h, '5001', 'BUY', 10, 157_370);
    const entry = await working(h, '5002', {
      instrumentId: NIFTY.id,
      qty: 65,
      limitPricePaise: paise(2_600_000),
      stopLossPaise: paise(2_590_000),
    });
    h.risk.monitorPnlWith = (pnl) => {
      return pnl <= -5000
        ? { action: 'flatten-and-halt', reason: `P&L ${pnl} at the cap 5000`, pnlPaise: paise(pnl) }
        : { action: 'none' };
    };
    // A tick of an instrument without a position does not run the monitor and returns no promise.
    const calls = h.risk.monitorCalls;
    expect(h.om.onTick(tickOf(NIFTY, 2_600_000))).toBeUndefined();
    expect(h.risk.monitorCalls).toBe(calls);
    expect(h.om.onTick(tickOf(RELIANCE, 157_000))).toBeUndefined();
    const acting = h.om.onTick(tickOf(RELIANCE, 156_870));
    expect(acting).toBeInstanceOf(Promise);
    await acting;
    expect(h.bus.of('alert').find((a) => a.code === 'loss-cap-hit')?.level).toBe('critical');
    expect(h.om.controls().halted[ACC]).toMatch(/loss cap/);
    expect((await h.store.loadControls()).haltedDay).toBe('2026-11-20');
    expect(h.execution.cancelled.map((c) => c.order.clientOrderId)).toEqual([entry.clientOrderId]);
    expect(h.execution.submitted.at(-1)).toMatchObject({
      side: 'SELL',
      qty: 10,
      orderType: 'LIMIT',
      strategyId: 'str_system',
    });
    // Once acted on, the monitor does not fire again the same day.
    expect(h.om.onTick(tickOf(RELIANCE, 156_000))).toBeUndefined();
  });
});
