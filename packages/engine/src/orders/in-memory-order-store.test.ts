import { describe, expect, it } from 'vitest';
import {
  aFill,
  anIntent,
  anOrder,
  BUILDER_TS,
  InvariantError,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseVenueOrderId,
  parseVenueTradeId,
} from '@kitepilot/core';
import { InMemoryOrderStore } from './in-memory-order-store.ts';

const ACC = parseAccountId('acc_test');
const OTHER = parseAccountId('acc_other');

describe('InMemoryOrderStore', () => {
  it('inserts an intent once and returns the stored one on a repeat', async () => {
    const store = new InMemoryOrderStore();
    const intent = anIntent();
    expect(await store.insertIntent(intent)).toEqual({ value: intent, created: true });
    const again = await store.insertIntent({ ...intent, qty: 99 });
    expect(again).toEqual({ value: intent, created: false });
    expect(await store.getIntent(ACC, intent.id)).toEqual(intent);
    expect(await store.getIntent(OTHER, intent.id)).toBeNull();
  });

  it('stores a venue trade once per account', async () => {
    const store = new InMemoryOrderStore();
    expect((await store.insertFill(aFill())).created).toBe(true);
    expect((await store.insertFill(aFill({ id: parseFillId('fil_2') }))).created).toBe(false);
    expect((await store.insertFill(aFill({ accountId: OTHER }))).created).toBe(true);
    expect(store.fills(ACC)).toHaveLength(1);
  });

  it('keeps one live order per intent and allows a new one once the first is terminal', async () => {
    const store = new InMemoryOrderStore();
    await store.insertIntent(anIntent());
    const first = anOrder();
    await store.saveOrder(first);
    const second = anOrder({ clientOrderId: parseClientOrderId('ord_0000000002') });
    await expect(store.saveOrder(second)).rejects.toThrow(InvariantError);
    await store.saveOrder({ ...first, status: 'REJECTED' });
    await store.saveOrder(second);
    expect((await store.listOrdersByIntent(ACC, first.intentId)).map((o) => o.status)).toEqual([
      'REJECTED',
      'INITIALIZED',
    ]);
    await expect(store.saveOrder(anOrder({ id: parseIntentId('int_never') }))).rejects.toThrow(
      /never stored/,
    );
  });

  it('finds orders by venue id and loads the state of a day', async () => {
    const store = new InMemoryOrderStore();
    const sent = anIntent();
    const unsent = anIntent({ id: parseIntentId('int_unsent') });
    const yesterday = anIntent({ id: parseIntentId('int_old'), tsEvent: BUILDER_TS - 86_400_000 });
    for (const i of [sent, unsent, yesterday]) await store.insertIntent(i);
    const order = { ...anOrder(), status: 'OPEN' as const, venueOrderId: parseVenueOrderId('55') };
    await store.saveOrder(order);
    await store.insertFill(aFill());
    await store.insertFill(
      aFill({ venueTradeId: parseVenueTradeId('old'), tsEvent: BUILDER_TS - 86_400_000 }),
    );
    expect(await store.getOrderByVenueId(ACC, parseVenueOrderId('55'))).toEqual(order);
    const dayStart = BUILDER_TS - 10 * 3_600_000;
    const state = await store.loadState(ACC, dayStart, dayStart + 86_400_000);
    expect(state.openOrders).toEqual([order]);
    expect(state.intents.map((i) => i.id)).toEqual([sent.id]);
    expect(state.intentsWithoutOrder.map((i) => i.id)).toEqual([unsent.id]);
    expect(state.fillsToday).toHaveLength(1);
    expect(await store.loadState(OTHER, dayStart, dayStart + 86_400_000)).toMatchObject({
      openOrders: [],
      intents: [],
    });
  });

  it('saves and loads controls', async () => {
    const store = new InMemoryOrderStore();
    expect(await store.loadControls()).toMatchObject({ killSwitch: false, haltedDay: null });
    await store.saveControls({
      killSwitch: true,
      halted: { [ACC]: 'x' },
      haltedDay: '2026-11-20',
      liveAcknowledgedDay: null,
    });
    expect(await store.loadControls()).toMatchObject({ killSwitch: true, halted: { [ACC]: 'x' } });
  });
});
