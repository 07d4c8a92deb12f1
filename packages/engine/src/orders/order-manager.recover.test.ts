import { describe, expect, it } from 'vitest';
import { BUILDER_TS, paise, TestClock } from '@kitepilot/core';
import { proportionalFeeModel } from '../portfolio/portfolio-test-kit.ts';
import {
  ACC,
  RELIANCE,
  RecordingStore,
  allow,
  deny,
  harness,
  intent,
  kite,
  report,
} from './order-manager-test-kit.ts';

describe('OrderManager.recover', () => {
  it('reports an intent stored without an order as abandoned and never resends it', async () => {
    const store = new RecordingStore([]);
    const i = intent();
    await store.insertIntent(i); // crash right after persisting the intent
    const h = harness({ store });
    await h.om.recover();
    expect(h.bus.of('alert')).toMatchObject([{ code: 'intent-abandoned', strategyId: i.strategyId }]);
    expect(h.bus.of('alert')[0]?.message).toContain(i.id);
    expect(h.execution.submitted).toHaveLength(0);
    // Submitting the same intent again (e.g. a strategy retry) is idempotent: still nothing is sent.
    await h.om.submit(i, 'strategy');
    expect(h.execution.submitted).toHaveLength(0);
  });

  it('does not report denied intents or the parents of slices as abandoned', async () => {
    const first = harness();
    first.risk.checkWith = (i, s) =>
      i.qty === 7 ? deny(i, s, 'margin', 'no margin') : i.qty === 20 ? allow(i, s, [10, 10]) : allow(i, s);
    await first.om.submit(intent({ qty: 7 }), 'strategy');
    await first.om.submit(intent({ qty: 20 }), 'strategy');
    const h = harness({ store: first.store });
    await h.om.recover();
    expect(h.bus.alertCodes()).toEqual([]);
  });

  it('leaves an INITIALIZED order (crash around the broker call) for reconciliation, unsent', async () => {
    const first = harness();
    await first.om.submit(intent(), 'strategy');
    const order = first.execution.submitted[0]!;
    const h = harness({ store: first.store });
    await h.om.recover();
    expect(h.om.ordersAwaitingReconciliation().map((o) => o.clientOrderId)).toEqual([order.clientOrderId]);
    expect(h.execution.submitted).toHaveLength(0);
    expect(h.om.openOrders(ACC, order.strategyId)).toHaveLength(1);
    // Reconciliation finds it at the broker: the report settles it like any other.
    await h.om.onExecutionReport(report(order, kite('7001').submit(), { source: 'orderbook' }));
    expect(h.om.ordersAwaitingReconciliation()[0]?.status).toBe('SUBMITTED');
    await h.om.onExecutionReport(report(order, kite('7001').status('OPEN'), { source: 'orderbook' }));
    expect(h.om.ordersAwaitingReconciliation()).toEqual([]);
    expect(h.execution.submitted).toHaveLength(0);
  });

  it('restores a partially filled order, its position, stop, fills and charges after a crash', async () => {
    const clock = new TestClock(BUILDER_TS);
    const fees = proportionalFeeModel(10);
    const first = harness({ clock, feeModel: fees });
    await first.om.submit(intent({ qty: 10, stopLossPaise: paise(155_000) }), 'strategy');
    const order = first.execution.submitted[0]!;
    const k = kite('8001');
    for (const e of [k.submit(), k.status('OPEN'), k.fill('T1', 4, 157_370)]) {
      await first.om.onExecutionReport(report(order, e, { source: 'websocket' }));
    }
    const before = first.portfolio.chargesTodayPaise();
    expect(before).toBe(629); // 10 bps of 6 294.80 rupees, half-up to the paisa

    clock.advanceBy(60_000);
    const h = harness({ store: first.store, clock, feeModel: fees });
    await h.om.recover();
    expect(h.om.position(ACC, RELIANCE.id, 'MIS')).toMatchObject({
      netQty: 4,
      averagePricePaise: 157_370,
      stopPaise: 155_000,
      openedBy: order.strategyId,
    });
    expect(h.portfolio.stopPaise(RELIANCE.id, 'MIS')).toBe(155_000);
    expect(h.portfolio.chargesTodayPaise()).toBe(before);
    expect(h.om.openOrders(ACC, order.strategyId)).toMatchObject([
      { clientOrderId: order.clientOrderId, status: 'PARTIALLY_FILLED', filledQty: 4 },
    ]);
    expect(h.om.ordersAwaitingReconciliation()).toEqual([]);
    // The poll re-reports the known trade (another event id): ignored; the rest of the order fills normally.
    await h.om.onExecutionReport(report(order, k.fill('T1', 4, 157_370, 'poll:T1'), { source: 'orderbook' }));
    await h.om.onExecutionReport(report(order, k.fill('T2', 6, 157_380), { source: 'websocket' }));
    expect(h.om.position(ACC, RELIANCE.id, 'MIS').netQty).toBe(10);
    expect(h.store.fills(ACC)).toHaveLength(2);
    expect(h.om.stats().duplicateFills).toBe(1);
    // Orders sent today count the recovered order (rate and per-day limits stay right after a restart).
    await h.om.submit(intent(), 'strategy');
    expect(h.risk.snapshots.at(-1)?.ordersToday).toBe(1);
  });

  it('restores the kill switch and today’s halt', async () => {
    const first = harness();
    await first.om.handleCommand({ type: 'KillSwitch', on: true, actor: 'owner', reason: 'test' });
    await first.om.handleCommand({ type: 'Halt', accountId: ACC, actor: 'owner', reason: 'lunch' });
    const h = harness({ store: first.store });
    await h.om.recover();
    expect(h.om.controls()).toMatchObject({ killSwitch: true, halted: { [ACC]: 'lunch' } });
    // A halt of an earlier day is void.
    const later = harness({ store: first.store, clock: new TestClock(BUILDER_TS + 86_400_000) });
    await later.om.recover();
    expect(later.om.controls().halted).toEqual({});
  });
});
