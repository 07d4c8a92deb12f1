import { describe, expect, it } from 'vitest';
import { paise } from '@kitepilot/core';
import { NIFTY, allow, deny, harness, intent, kite, report } from './order-manager-test-kit.ts';

describe('OrderManager.submit', () => {
  it('stores the intent, the decision and the INITIALIZED order before the execution call', async () => {
    const h = harness();
    const i = intent();
    await h.om.submit(i, 'strategy');
    const order = h.execution.submitted[0]!;
    expect(h.log).toEqual([
      `store.insertIntent ${i.id}`,
      `store.insertRiskDecision ${i.id} allow`,
      `store.saveOrder ${order.clientOrderId} INITIALIZED`,
      `execution.submit ${order.clientOrderId}`,
    ]);
    expect(order).toMatchObject({ intentId: i.id, status: 'INITIALIZED', qty: 10, variety: 'regular' });
    expect(h.bus.of('intent')).toEqual([i]);
    expect(h.bus.of('risk-decision')).toHaveLength(1);
    expect(h.bus.orderEventTypes()).toEqual(['OrderInitialized']);
    expect(h.om.stats()).toMatchObject({ intents: 1, allowed: 1, ordersSent: 1 });
  });

  it('sends nothing for a second submission of the same intent id', async () => {
    const h = harness();
    const i = intent();
    await h.om.submit(i, 'strategy');
    await h.om.submit(i, 'strategy');
    expect(h.execution.submitted).toHaveLength(1);
    expect(h.store.riskDecisions(i.accountId)).toHaveLength(1);
    expect(h.om.stats()).toMatchObject({ intents: 1, duplicateIntents: 1, ordersSent: 1 });
  });

  it('records a denial with its reason and publishes OrderDenied without any order', async () => {
    const h = harness();
    h.risk.checkWith = (i, s) => deny(i, s, 'daily-loss-cap', 'worst case −₹6,000 exceeds the cap ₹5,000');
    const i = intent();
    await h.om.submit(i, 'strategy');
    expect(h.execution.submitted).toHaveLength(0);
    expect(h.store.orders(i.accountId)).toHaveLength(0);
    expect(h.store.riskDecisions(i.accountId)).toMatchObject([
      { intentId: i.id, decision: 'deny', code: 'daily-loss-cap' },
    ]);
    const [update] = h.bus.of('order');
    expect(update).toEqual({
      order: null,
      event: expect.objectContaining({
        type: 'OrderDenied',
        intentId: i.id,
        strategyId: i.strategyId,
        reason: 'worst case −₹6,000 exceeds the cap ₹5,000',
      }),
    });
    expect(h.om.stats().denied).toEqual({ 'daily-loss-cap': 1 });
  });

  it('denies with a hand-written "deny if qty > N" engine', async () => {
    const h = harness();
    h.risk.checkWith = (i, s) => (i.qty > 50 ? deny(i, s, 'order-value', `qty ${i.qty} > 50`) : allow(i, s));
    await h.om.submit(intent({ qty: 50 }), 'strategy');
    await h.om.submit(intent({ qty: 51 }), 'strategy');
    expect(h.execution.submitted.map((o) => o.qty)).toEqual([50]);
    expect(h.om.stats().denied).toEqual({ 'order-value': 1 });
  });

  it('slices into child intents, each stored, checked and sent', async () => {
    const h = harness();
    h.risk.checkWith = (i, s) => (i.qty > 1800 ? allow(i, s, [1755, 1755, 390]) : allow(i, s));
    const parent = intent({
      instrumentId: NIFTY.id,
      qty: 3900,
      product: 'NRML',
      limitPricePaise: paise(2_600_000),
      stopLossPaise: paise(2_590_000),
    });
    await h.om.submit(parent, 'strategy');
    expect(h.execution.submitted.map((o) => o.qty)).toEqual([1755, 1755, 390]);
    const children = h.bus.of('intent').slice(1);
    expect(children.map((c) => c.reason)).toEqual([
      `slice 1/3 of ${parent.id}: test entry`,
      `slice 2/3 of ${parent.id}: test entry`,
      `slice 3/3 of ${parent.id}: test entry`,
    ]);
    expect(new Set(h.execution.submitted.map((o) => o.intentId))).toEqual(new Set(children.map((c) => c.id)));
    // Each child is checked with the earlier children already counted as working orders.
    expect(h.risk.snapshots.map((s) => s.openOrders.length)).toEqual([0, 0, 1, 2]);
    expect(h.om.stats()).toMatchObject({ intents: 4, allowed: 4, ordersSent: 3 });
    // Cancelling the parent cancels every working slice.
    for (const [n, o] of h.execution.submitted.entries())
      await h.om.onExecutionReport(report(o, kite(`90${n}`).submit()));
    await h.om.cancel(parent.accountId, parent.id, 'done');
    expect(h.execution.cancelled.map((c) => c.order.intentId)).toEqual(children.map((c) => c.id));
  });

  it('holds the first strategy orders of the day until AcknowledgeLive in manual-ack mode; denials never wait', async () => {
    const h = harness({ overrides: { manualAck: true } });
    const held = intent();
    await h.om.submit(held, 'strategy');
    expect(h.execution.submitted).toHaveLength(0);
    expect(h.store.orders(held.accountId)[0]?.status).toBe('INITIALIZED');
    expect(h.bus.alertCodes()).toContain('awaiting-acknowledgement');
    h.risk.checkWith = (i, s) => deny(i, s, 'trading-window', 'outside the entry window');
    await h.om.submit(intent(), 'strategy');
    expect(h.bus.orderEventTypes()).toContain('OrderDenied');
    await h.om.handleCommand({ type: 'AcknowledgeLive', accountId: held.accountId, actor: 'owner' });
    expect(h.execution.submitted.map((o) => o.intentId)).toEqual([held.id]);
    expect((await h.store.loadControls()).liveAcknowledgedDay).toBe('2026-11-20');
    h.risk.checkWith = allow;
    await h.om.submit(intent(), 'strategy');
    expect(h.execution.submitted).toHaveLength(2);
  });
});
