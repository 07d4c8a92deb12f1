// Reconciliation after a crash, against the simulator: orders placed at the broker directly (with our tag, with an
// unknown KP tag, without a tag) and local orders left INITIALIZED, SUBMITTED (uncertain) and OPEN.
import {
  anOrder,
  applyOrderEvent,
  instrumentId,
  intentTag,
  istToEpochMs,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parseVenueOrderId,
  TestClock,
  type Order,
  type Paise,
} from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { SystemClock } from '@kitepilot/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiteRestClient } from '../http/kite-rest-client.ts';
import type { KitePlaceOrderParams } from '../http/order-params.ts';
import { reconcileWithBroker } from './reconcile.ts';
import { OrderKeeper } from './testing/order-keeper.ts';

const ACCOUNT = parseAccountId('acc_test');

describe('reconcileWithBroker after a crash', () => {
  let sim: KiteSim;
  let rest: KiteRestClient;

  beforeAll(async () => {
    sim = await startKiteSim({
      clock: new TestClock(istToEpochMs('2026-11-23', '10:00:30')),
      enforceRateLimits: false,
    });
    rest = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken: sim.createAccessToken(),
      clock: new SystemClock({ keepAlive: true }),
    });
  });
  afterAll(() => sim.close());

  it('plans statuses and fills for our orders, declares absent ones not placed, and flags the rest', async () => {
    const q = (await rest.getQuote(['NSE:SIMSBIN'])).get('NSE:SIMSBIN');
    const ask = (q?.depth.sell[0]?.pricePaise ?? 0) as Paise;
    const low = (Math.round(((q?.lastPricePaise ?? 0) * 0.96) / 5) * 5) as Paise;
    const now = Date.now();
    const local = (n: string, limit: Paise, createdAt = now - 60_000): Order =>
      anOrder({
        id: parseIntentId(`int_rec${n}`),
        clientOrderId: parseClientOrderId(`ord_rec${n}`),
        instrumentId: instrumentId('SIMSBIN', 'NSE'),
        qty: 5,
        limitPricePaise: limit,
        createdAt,
      });
    const place = async (tag: string | null, price: Paise): Promise<string> => {
      const p: KitePlaceOrderParams = {
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'SIMSBIN',
        transactionType: 'BUY',
        quantity: 5,
        product: 'MIS',
        orderType: 'LIMIT',
        pricePaise: price,
        ...(tag === null ? {} : { tag }),
      };
      return (await rest.placeOrder(p)).orderId;
    };

    // A: placed and filled, but the crash came before the reply was stored (local INITIALIZED).
    const a = local('A', ask);
    await place(intentTag(a.intentId), ask);
    // B: resting at the broker after an uncertain placement (local SUBMITTED, no venue id).
    const b = applyOrderEvent(local('B', low), {
      type: 'submit-uncertain',
      id: 'u-b',
      ts: now - 50_000,
      reason: 'timeout',
    });
    await place(intentTag(b.intentId), low);
    // C: OPEN locally, cancelled at the broker while we were down.
    const cVenue = await place(intentTag(parseIntentId('int_recC')), low);
    let c = local('C', low);
    c = applyOrderEvent(c, {
      type: 'submit',
      id: 's-c',
      ts: now - 50_000,
      venueOrderId: parseVenueOrderId(cVenue),
    });
    c = applyOrderEvent(c, {
      type: 'venue-status',
      id: 'open-c',
      ts: now - 50_000,
      status: 'OPEN',
      venueOrderId: parseVenueOrderId(cVenue),
      filledQty: 0,
      cancelledQty: 0,
      message: null,
      amendment: null,
    });
    await rest.cancelOrder('regular', cVenue);
    // D and H never reached the broker; E was created a moment ago (its request may still be in flight).
    const d = local('D', ask);
    const h = applyOrderEvent(local('H', ask), {
      type: 'submit-uncertain',
      id: 'u-h',
      ts: now - 30_000,
      reason: '503',
    });
    const e = local('E', ask, now);
    // F carries a KitePilot tag of an intent we never made; G was placed outside KitePilot.
    const fVenue = await place('KPunknownintent', low);
    const gVenue = await place(null, low);

    const orders = [a, b, c, d, e, h];
    const plan = await reconcileWithBroker(rest, { accountId: ACCOUNT, nowMs: now, orders, positions: [] });

    const keeper = new OrderKeeper();
    for (const o of orders) keeper.add(o);
    for (const r of plan.reports) keeper.handle(r);
    expect(keeper.unmatched).toEqual([]);

    const filledA = keeper.get(a.clientOrderId);
    expect(filledA).toMatchObject({ status: 'FILLED', filledQty: 5 });
    const trades = await rest.getOrderTrades(filledA.venueOrderId ?? '');
    expect(filledA.filledValuePaise).toBe(trades.reduce((s, t) => s + t.quantity * t.averagePricePaise, 0));
    expect(keeper.get(b.clientOrderId)).toMatchObject({ status: 'OPEN', filledQty: 0 });
    expect(keeper.get(b.clientOrderId).venueOrderId).not.toBeNull();
    expect(keeper.get(c.clientOrderId)).toMatchObject({ status: 'CANCELLED', cancelledQty: 5 });
    expect(keeper.get(d.clientOrderId)).toMatchObject({ status: 'REJECTED' });
    expect(keeper.get(d.clientOrderId).statusMessage).toMatch(/^not found at the broker after restart/);
    expect(keeper.get(h.clientOrderId).status).toBe('REJECTED');
    expect(keeper.get(e.clientOrderId).status).toBe('INITIALIZED');

    expect(plan.notPlaced.map((o) => o.clientOrderId)).toEqual([d.clientOrderId, h.clientOrderId]);
    expect(plan.pending).toEqual([{ order: e, recheckAtMs: now + 10_000 }]);
    expect(plan.flagged.map((f) => [f.kind, f.brokerOrder?.orderId])).toEqual([['unknown-intent', fVenue]]);
    expect(plan.external.map((x) => x.venueOrderId)).toEqual([gVenue]);
    expect(plan.positionMismatches).toEqual([
      { exchange: 'NSE', tradingsymbol: 'SIMSBIN', product: 'MIS', ourQty: 0, brokerQty: 5 },
    ]);

    // Reconciling the applied state again plans nothing new for the orders still open.
    const again = await reconcileWithBroker(rest, {
      accountId: ACCOUNT,
      nowMs: now,
      orders: [...keeper.orders.values()].filter((o) => o.status === 'OPEN'),
      knownIntentIds: orders.map((o) => o.intentId),
    });
    expect(again.reports).toEqual([]);
    expect(again.flagged.map((f) => f.kind)).toEqual(['unknown-intent']);
  });
});
