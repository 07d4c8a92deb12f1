import { describe, expect, it } from 'vitest';
import { parseClientOrderId, parseVenueOrderId, type OrderEvent } from '@kitepilot/core';
import { ACC, RELIANCE, harness, intent, kite, report, type Harness } from './order-manager-test-kit.ts';

async function sent(h: Harness, qty = 10) {
  const i = intent({ qty });
  await h.om.submit(i, 'strategy');
  const order = h.execution.submitted.at(-1)!;
  return { i, order };
}

async function feed(h: Harness, order: Parameters<typeof report>[0], ...events: OrderEvent[]) {
  for (const e of events) await h.om.onExecutionReport(report(order, e, { source: 'websocket' }));
}

describe('OrderManager execution reports', () => {
  it('applies partial fills to the order and the position with exact average prices', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1001');
    await feed(
      h,
      order,
      k.submit(),
      k.status('OPEN'),
      k.fill('T1', 4, 157_370),
      k.fill('T2', 6, 157_365),
      k.status('COMPLETE', { filledQty: 10 }),
    );
    const stored = await h.store.getOrder(ACC, order.clientOrderId);
    expect(stored).toMatchObject({
      status: 'FILLED',
      filledQty: 10,
      filledValuePaise: 4 * 157_370 + 6 * 157_365,
    });
    // Σ cost 1 573 670, 10 units: average ₹1,573.67 exactly.
    expect(h.om.position(ACC, RELIANCE.id, 'MIS')).toMatchObject({ netQty: 10, averagePricePaise: 157_367 });
    expect(h.store.positions(ACC)[0]).toMatchObject({ netQty: 10, costBasisPaise: 1_573_670 });
    expect(h.store.fills(ACC).map((f) => f.venueTradeId)).toEqual(['T1', 'T2']);
    expect(h.bus.orderEventTypes()).toEqual([
      'OrderInitialized',
      'OrderSubmitted',
      'OrderAccepted',
      'OrderFilled',
      'OrderFilled',
    ]);
    expect(h.bus.of('fill')).toHaveLength(2);
    expect(h.bus.of('position').map((p) => p.netQty)).toEqual([4, 10]);
    expect(h.om.openOrders(ACC, order.strategyId)).toEqual([]);
    // The position's stop comes from the entry intent.
    expect(h.risk.snapshots).toHaveLength(1);
    expect(h.portfolio.stopPaise(RELIANCE.id, 'MIS')).toBe(155_000);
  });

  it('applies a trade reported twice (WebSocket, then the orderbook poll with another event id) once', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1002');
    await feed(h, order, k.submit(), k.status('OPEN'), k.fill('T9', 5, 157_000, 'ws:T9'));
    await h.om.onExecutionReport(
      report(order, k.fill('T9', 5, 157_000, 'trade:T9'), { source: 'orderbook' }),
    );
    await h.om.onExecutionReport(report(order, k.fill('T9', 5, 157_000, 'ws:T9'), { source: 'websocket' }));
    expect((await h.store.getOrder(ACC, order.clientOrderId))?.filledQty).toBe(5);
    expect(h.om.position(ACC, RELIANCE.id, 'MIS').netQty).toBe(5);
    expect(h.store.fills(ACC)).toHaveLength(1);
    expect(h.om.stats()).toMatchObject({ fills: 1, duplicateFills: 2 });
    // Every raw message is stored, duplicates included.
    expect(h.store.orderEvents(ACC).map((e) => e.source)).toEqual([
      'websocket',
      'websocket',
      'websocket',
      'orderbook',
      'websocket',
    ]);
  });

  it('ignores a stale status that arrives after a later one and counts a repeated event id as a duplicate', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1003');
    await feed(h, order, k.submit(), k.fill('T1', 3, 157_370));
    await feed(h, order, k.status('OPEN PENDING'), k.status('OPEN'));
    await feed(h, order, k.fill('T1', 3, 157_370));
    const stored = await h.store.getOrder(ACC, order.clientOrderId);
    expect(stored).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 3 });
    expect(h.om.stats().duplicateFills).toBe(1);
  });

  it('resolves a report by venue order id and by the intent id of the tag', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1004');
    await h.om.onExecutionReport({ ...report(order, k.submit()), clientOrderId: null, venueOrderId: null });
    await h.om.onExecutionReport(report(order, k.status('OPEN'), { byVenueOnly: true }));
    expect((await h.store.getOrder(ACC, order.clientOrderId))?.status).toBe('OPEN');
  });

  it('stores and alerts an illegal transition or unknown status without applying it or crashing', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1005');
    // A status for an order the broker never acknowledged: illegal in INITIALIZED.
    await feed(h, order, k.status('OPEN'));
    expect((await h.store.getOrder(ACC, order.clientOrderId))?.status).toBe('INITIALIZED');
    await feed(h, order, k.submit(), k.status('OPEN'), k.status('CANCELLED', { cancelledQty: 10 }));
    // A late trigger after the cancellation is a documented no-op, not an error.
    await feed(h, order, k.status('TRIGGER PENDING', { id: 'late-trigger' }));
    await feed(h, order, k.status('GONE FISHING'));
    expect((await h.store.getOrder(ACC, order.clientOrderId))?.status).toBe('CANCELLED');
    const alerts = h.bus.of('alert').filter((a) => a.code === 'order-update-rejected');
    expect(alerts.map((a) => a.level)).toEqual(['warning', 'warning']);
    expect(alerts[0]?.message).toMatch(/not allowed in state INITIALIZED/);
    expect(alerts[1]?.message).toMatch(/GONE FISHING/);
    expect(h.store.orderEvents(ACC).at(-1)).toMatchObject({
      venueStatus: 'GONE FISHING',
      clientOrderId: order.clientOrderId,
    });
    expect(h.om.stats().rejectedReports).toBe(2);
  });

  it('reports impossible quantities from the broker as a critical alert, not a crash', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1006');
    await feed(h, order, k.submit(), k.status('OPEN'), k.fill('T1', 11, 157_370));
    expect((await h.store.getOrder(ACC, order.clientOrderId))?.filledQty).toBe(0);
    expect(h.bus.of('alert').find((a) => a.code === 'order-update-rejected')?.level).toBe('critical');
  });

  it('alerts an update for an unknown order and stores it raw', async () => {
    const h = harness();
    await h.om.onExecutionReport({
      type: 'OrderUpdateReceived',
      accountId: ACC,
      clientOrderId: parseClientOrderId('ord_nobody'),
      intentId: null,
      venueOrderId: parseVenueOrderId('999'),
      update: kite('999').status('OPEN'),
      source: 'postback',
      raw: { order_id: '999', status: 'OPEN' },
      tsEvent: 1,
      tsInit: 1,
    });
    expect(h.bus.alertCodes()).toEqual(['unknown-order']);
    expect(h.store.orderEvents(ACC)).toMatchObject([
      { source: 'postback', payload: { order_id: '999', status: 'OPEN' } },
    ]);
    expect(h.om.stats().unknownReports).toBe(1);
  });

  it('counts orderbook-poll updates that no push update reported as missed', async () => {
    const h = harness();
    const { order } = await sent(h);
    const k = kite('1007');
    await h.om.onExecutionReport(report(order, k.submit(), { source: 'rest' }));
    // The WebSocket OPEN was lost: the poll finds it.
    await h.om.onExecutionReport(report(order, k.status('OPEN'), { source: 'orderbook' }));
    // A push update says 4 filled; the poll then brings that trade: not missed.
    await h.om.onExecutionReport(
      report(order, k.status('OPEN', { filledQty: 4, id: 'ws-4' }), { source: 'websocket' }),
    );
    await h.om.onExecutionReport(report(order, k.fill('T1', 4, 157_370), { source: 'orderbook' }));
    // A trade no push update mentioned: missed.
    await h.om.onExecutionReport(report(order, k.fill('T2', 6, 157_370), { source: 'orderbook' }));
    // The poll repeating a known status changes nothing: not missed.
    await h.om.onExecutionReport(
      report(order, k.status('COMPLETE', { filledQty: 10 }), { source: 'orderbook' }),
    );
    expect(h.om.stats().missedUpdates).toBe(2);
    expect(h.bus.alertCodes().filter((c) => c === 'missed-order-update')).toHaveLength(2);
  });

  it('alerts broker disconnection and session expiry', async () => {
    const h = harness();
    await h.om.onExecutionReport({
      type: 'BrokerDisconnected',
      accountId: ACC,
      link: 'order-updates',
      gapStartMs: 1,
      gapEndMs: null,
      reason: 'socket closed',
      tsEvent: 1,
      tsInit: 1,
    });
    await h.om.onExecutionReport({ type: 'SessionExpired', accountId: ACC, tsEvent: 2, tsInit: 2 });
    expect(h.bus.of('alert').map((a) => [a.level, a.code])).toEqual([
      ['warning', 'broker-disconnected'],
      ['critical', 'session-expired'],
    ]);
  });

  it('turns a broker rejection into OrderRejected with the broker message', async () => {
    const h = harness();
    const { order } = await sent(h);
    await feed(h, order, {
      type: 'submit-failed',
      id: 'rej',
      ts: 1,
      reason: 'Insufficient funds. Required margin is 95000',
    });
    const last = h.bus.of('order').at(-1)!;
    expect(last.event).toMatchObject({
      type: 'OrderRejected',
      reason: 'Insufficient funds. Required margin is 95000',
    });
    expect(last.order?.status).toBe('REJECTED');
  });
});
