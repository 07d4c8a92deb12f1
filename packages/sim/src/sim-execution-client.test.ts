import {
  aNiftyFuture,
  anInstrument,
  averageFillPricePaise,
  BUILDER_TS,
  instrumentId,
  makeBar,
  makeTick,
  anOrder,
  paise,
  parseClientOrderId,
  parseIntentId,
  type Order,
  type Tick,
  SeededRandom,
  TestClock,
  type Instrument,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { FixedLatency, UniformLatency } from './latency-model.ts';
import { SimExecutionClient } from './sim-execution-client.ts';
import { depthOf, simHarness } from './testing/sim-harness.ts';

const MARKET = { orderType: 'MARKET', limitPricePaise: null } as const;

describe('SimExecutionClient', () => {
  describe('MARKET orders', () => {
    it('walks the visible depth, one fill per level, and completes', () => {
      const h = simHarness();
      h.tick(157370, {
        depth: depthOf([
          [157380, 3],
          [157390, 2],
          [157400, 5],
        ]),
      });
      const id = h.submit({ ...MARKET, qty: 7 });
      expect(h.updates(id)).toEqual([
        'submit',
        'OPEN',
        'fill 3@157380',
        'fill 2@157390',
        'fill 2@157400',
        'COMPLETE',
      ]);
      const o = h.order(id);
      expect(o.status).toBe('FILLED');
      expect(o.filledQty).toBe(7);
      expect(o.filledValuePaise).toBe(3 * 157380 + 2 * 157390 + 2 * 157400);
      expect(o.venueOrderId).toBe('250000000000001');
    });

    it('fills the remainder beyond the visible depth at the last level worsened by one tick', () => {
      const h = simHarness();
      h.tick(157370, {
        depth: depthOf([
          [157380, 3],
          [157390, 2],
        ]),
      });
      const id = h.submit({ ...MARKET, qty: 8 });
      expect(h.updates(id)).toEqual([
        'submit',
        'OPEN',
        'fill 3@157380',
        'fill 2@157390',
        'fill 3@157400',
        'COMPLETE',
      ]);
    });

    it('walks the bids for a sell', () => {
      const h = simHarness();
      h.tick(157370, {
        depth: depthOf(
          [],
          [
            [157360, 1],
            [157350, 4],
          ],
        ),
      });
      const id = h.submit({ ...MARKET, side: 'SELL', qty: 4 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 1@157360', 'fill 3@157350', 'COMPLETE']);
    });

    it('fills at the last price plus the configured slippage when the tick has no depth', () => {
      const h = simHarness({ fill: { slippageTicks: 2 } });
      h.tick(157370);
      const buy = h.submit({ ...MARKET, qty: 5 });
      const sell = h.submit({ ...MARKET, side: 'SELL', qty: 5 });
      expect(h.updates(buy)).toEqual(['submit', 'OPEN', 'fill 5@157390', 'COMPLETE']);
      expect(h.updates(sell)).toEqual(['submit', 'OPEN', 'fill 5@157350', 'COMPLETE']);
    });

    it('lets a second order on the same tick take only what the first left of the depth', () => {
      const h = simHarness();
      h.tick(157370, {
        depth: depthOf([
          [157380, 3],
          [157390, 10],
        ]),
      });
      const first = h.submit({ ...MARKET, qty: 2 });
      const second = h.submit({ ...MARKET, qty: 3 });
      expect(h.updates(first)).toEqual(['submit', 'OPEN', 'fill 2@157380', 'COMPLETE']);
      expect(h.updates(second)).toEqual(['submit', 'OPEN', 'fill 1@157380', 'fill 2@157390', 'COMPLETE']);
      h.tick(157370, { depth: depthOf([[157380, 3]]) });
      const third = h.submit({ ...MARKET, qty: 3 });
      expect(h.updates(third)).toEqual(['submit', 'OPEN', 'fill 3@157380', 'COMPLETE']);
    });

    it('cancels the remainder that market protection (2 % by default) does not allow', () => {
      const h = simHarness();
      h.tick(100_00, {
        depth: depthOf([
          [100_00, 2],
          [103_00, 10],
        ]),
      });
      const id = h.submit({ ...MARKET, qty: 10 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 2@10000', 'CANCELLED']);
      const o = h.order(id);
      expect(o.status).toBe('CANCELLED');
      expect([o.filledQty, o.cancelledQty]).toEqual([2, 8]);
      expect(o.statusMessage).toBe(
        'Remaining quantity 8 could not be filled within the market protection limit 102.00 and was cancelled.',
      );
      expect(h.client.stats()).toMatchObject({ orders: 1, fills: 1, cancels: 1, rejections: 0 });
    });

    it('keeps F&O fills in whole lots', () => {
      const fut = aNiftyFuture();
      const h = simHarness({ instruments: [fut] });
      h.tick(
        2_600_000,
        {
          depth: depthOf([
            [2_600_010, 100],
            [2_600_020, 200],
          ]),
        },
        fut,
      );
      const id = h.submit({ ...MARKET, instrumentId: fut.id, qty: 195, product: 'NRML' });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 65@2600010', 'fill 130@2600020', 'COMPLETE']);
    });
  });

  describe('LIMIT orders', () => {
    it('rests, then fills at its limit when the last price trades through it', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 5 });
      expect(h.order(id).status).toBe('OPEN');
      h.tick(157000);
      expect(h.order(id).filledQty).toBe(0);
      h.tick(156990);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 5@157000', 'COMPLETE']);
      expect(averageFillPricePaise(h.order(id))).toBe(157000);
    });

    it('fills on a touch with limitFillRule touch', () => {
      const h = simHarness({ fill: { limitFillRule: 'touch' } });
      h.tick(157370);
      const id = h.submit({ side: 'SELL', limitPricePaise: paise(157500), qty: 5 });
      h.tick(157500);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 5@157500', 'COMPLETE']);
    });

    it('takes the depth up to its limit on arrival, rests the rest, and fills it later at the limit', () => {
      const h = simHarness();
      h.tick(100_00, {
        depth: depthOf([
          [100_00, 5],
          [101_00, 5],
          [103_00, 5],
        ]),
      });
      const id = h.submit({ limitPricePaise: paise(101_00), qty: 20 });
      expect(h.order(id).status).toBe('PARTIALLY_FILLED');
      expect(h.order(id).filledQty).toBe(10);
      h.tick(100_90);
      expect(h.updates(id)).toEqual([
        'submit',
        'OPEN',
        'fill 5@10000',
        'fill 5@10100',
        'fill 10@10100',
        'COMPLETE',
      ]);
      expect(h.order(id).filledValuePaise).toBe(5 * 100_00 + 15 * 101_00);
    });

    it('never fills the beyond-depth remainder above its limit', () => {
      const h = simHarness();
      h.tick(100_00, { depth: depthOf([[100_00, 5]]) });
      const id = h.submit({ limitPricePaise: paise(100_00), qty: 8 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 5@10000']);
      expect(h.order(id).status).toBe('PARTIALLY_FILLED');
    });

    it('caps each resting fill at volumeParticipation × the last traded quantity', () => {
      const h = simHarness({ fill: { volumeParticipation: 0.5 } });
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 30 });
      h.tick(156900, { lastTradedQty: 40 });
      h.tick(156900, { lastTradedQty: 3 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 20@157000', 'fill 1@157000']);
      h.tick(156900);
      expect(h.order(id).status).toBe('FILLED');
    });

    it('cancels the unfilled remainder of an IOC order right after matching', () => {
      const h = simHarness();
      h.tick(100_00, {
        depth: depthOf([
          [100_00, 4],
          [100_50, 10],
        ]),
      });
      const id = h.submit({ limitPricePaise: paise(100_00), qty: 10, validity: 'IOC' });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 4@10000', 'CANCELLED']);
      const o = h.order(id);
      expect([o.status, o.filledQty, o.cancelledQty]).toEqual(['CANCELLED', 4, 6]);
      expect(o.statusMessage).toBe('IOC order: unfilled quantity 6 was cancelled.');
    });

    it('cancels a TTL order when its minutes run out', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 5, validity: 'TTL', validityTtlMinutes: 2 });
      h.clock.advanceBy(119_999);
      expect(h.order(id).status).toBe('OPEN');
      h.clock.advanceBy(1);
      expect(h.order(id).status).toBe('CANCELLED');
      expect(h.order(id).statusMessage).toBe('TTL of 2 minutes expired.');
    });

    it('keeps a DAY order working until it is cancelled, and then reports the cancelled quantity', () => {
      const h = simHarness({ fill: { volumeParticipation: 1 } });
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 10 });
      h.tick(156900, { lastTradedQty: 4 });
      h.clock.advanceBy(6 * 3_600_000);
      expect(h.order(id).status).toBe('PARTIALLY_FILLED');
      h.cancel(id);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 4@157000', 'CANCELLED']);
      const o = h.order(id);
      expect([o.status, o.filledQty, o.cancelledQty]).toEqual(['CANCELLED', 4, 6]);
      expect(h.reports.at(-1)?.update).toMatchObject({ type: 'venue-status', filledQty: 4, cancelledQty: 6 });
    });
  });

  describe('stop orders', () => {
    it('holds an SL-M in TRIGGER PENDING, then triggers and executes it as MARKET', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({
        side: 'SELL',
        orderType: 'SL-M',
        limitPricePaise: null,
        triggerPricePaise: paise(155000),
        qty: 5,
      });
      expect(h.order(id).status).toBe('TRIGGER_PENDING');
      h.tick(155010);
      expect(h.order(id).status).toBe('TRIGGER_PENDING');
      h.tick(154990, {
        depth: depthOf(
          [],
          [
            [154980, 2],
            [154970, 10],
          ],
        ),
      });
      expect(h.updates(id)).toEqual([
        'submit',
        'TRIGGER PENDING',
        'OPEN',
        'fill 2@154980',
        'fill 3@154970',
        'COMPLETE',
      ]);
      expect(h.order(id).status).toBe('FILLED');
    });

    it('turns a triggered SL into a LIMIT that rests when the market gapped past its limit', () => {
      const h = simHarness();
      h.tick(99_00);
      const id = h.submit({
        orderType: 'SL',
        triggerPricePaise: paise(100_00),
        limitPricePaise: paise(101_00),
        qty: 3,
      });
      h.tick(102_00);
      expect(h.order(id).status).toBe('OPEN');
      h.tick(100_90);
      expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 3@10100', 'COMPLETE']);
    });

    it('fills a triggered SL at once when the market is within its limit', () => {
      const h = simHarness();
      h.tick(99_00);
      const id = h.submit({
        orderType: 'SL',
        triggerPricePaise: paise(100_00),
        limitPricePaise: paise(101_00),
        qty: 3,
      });
      h.tick(100_50);
      expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'OPEN', 'fill 3@10050', 'COMPLETE']);
    });
  });

  describe('modifications', () => {
    it('reports MODIFIED with the new terms, then OPEN, and matches the new price at once', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 5 });
      h.modify(id, { qty: 8, limitPricePaise: paise(157100) });
      const o = h.order(id);
      expect([o.status, o.qty, o.limitPricePaise]).toEqual(['OPEN', 8, 157100]);
      h.modify(id, { limitPricePaise: paise(157400) });
      expect(h.updates(id)).toEqual([
        'submit',
        'OPEN',
        'MODIFIED',
        'OPEN',
        'MODIFIED',
        'OPEN',
        'fill 8@157370',
        'COMPLETE',
      ]);
      expect(h.order(id).status).toBe('FILLED');
      expect(h.client.stats().modifications).toBe(2);
    });

    it('moves a stop trigger and keeps it TRIGGER PENDING', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({
        side: 'SELL',
        orderType: 'SL-M',
        limitPricePaise: null,
        triggerPricePaise: paise(155000),
        qty: 5,
      });
      h.modify(id, { triggerPricePaise: paise(156000) });
      const o = h.order(id);
      expect([o.status, o.triggerPricePaise]).toEqual(['TRIGGER_PENDING', 156000]);
      expect(h.updates(id)).toEqual(['submit', 'TRIGGER PENDING', 'MODIFIED', 'TRIGGER PENDING']);
    });

    it('modifies the quantity of a partially filled order', () => {
      const h = simHarness();
      h.tick(100_00, { depth: depthOf([[100_00, 5]]) });
      const id = h.submit({ limitPricePaise: paise(100_00), qty: 10 });
      h.modify(id, { qty: 7 });
      const o = h.order(id);
      expect([o.status, o.qty, o.filledQty]).toEqual(['PARTIALLY_FILLED', 7, 5]);
    });

    it('refuses the 26th modification and leaves the order working', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(150000), qty: 5 });
      for (let i = 1; i <= 26; i++) h.modify(id, { limitPricePaise: paise(150000 + i * 10) });
      const o = h.order(id);
      expect([o.status, o.limitPricePaise]).toEqual(['OPEN', 150250]);
      expect(o.statusMessage).toBe(
        'modify refused: Maximum allowed order modifications (25) exceeded for order 250000000000001.',
      );
      expect(h.client.stats()).toMatchObject({ modifications: 25, rejections: 1 });
      expect(h.reports.at(-1)?.raw).toMatchObject({ status: 'error', error_type: 'InputException' });
    });

    it('refuses a quantity at or below the filled quantity, and a price on a MARKET-type order', () => {
      const h = simHarness();
      h.tick(100_00, { depth: depthOf([[100_00, 5]]) });
      const id = h.submit({ limitPricePaise: paise(100_00), qty: 10 });
      h.modify(id, { qty: 5 });
      expect(h.order(id).statusMessage).toBe(
        'modify refused: Quantity 5 must exceed the filled quantity 5 of order 250000000000001.',
      );
      const stop = h.submit({
        side: 'SELL',
        orderType: 'SL-M',
        limitPricePaise: null,
        triggerPricePaise: paise(99_00),
        qty: 1,
      });
      h.modify(stop, { limitPricePaise: paise(98_00) });
      expect(h.order(stop).status).toBe('TRIGGER_PENDING');
      expect(h.order(stop).statusMessage).toBe(
        'modify refused: A SL-M order has no price; price 98.00 cannot be set.',
      );
    });

    it('answers a modification or cancellation of a finished order with its final status', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({ ...MARKET, qty: 1 });
      h.modify(id, { qty: 2 });
      h.cancel(id);
      const o = h.order(id);
      expect([o.status, o.qty, o.filledQty]).toEqual(['FILLED', 1, 1]);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 1@157370', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
      expect(o.statusMessage).toBe(
        'cancel refused: Order 250000000000001 cannot be cancelled as it is complete.',
      );
      expect(h.client.stats().rejections).toBe(2);
    });
  });

  describe('rejections', () => {
    it('refuses the placement of an unknown instrument (submit-failed)', () => {
      const h = simHarness();
      const id = h.submit({ instrumentId: instrumentId('NOPE', 'NSE') });
      expect(h.updates(id)).toEqual(['submit-failed']);
      const o = h.order(id);
      expect([o.status, o.venueOrderId, o.cancelledQty]).toEqual(['REJECTED', null, 1]);
      expect(o.statusMessage).toBe('Invalid instrument: NOPE.NSE is not in the instrument list.');
      expect(h.reports[0]?.venueOrderId).toBeNull();
    });

    it('refuses the placement of an index', () => {
      const nifty = anInstrument({
        tradingSymbol: 'NIFTY 50',
        type: 'INDEX',
        token: 256265,
        exchangeToken: 1,
      });
      const h = simHarness({ instruments: [nifty] });
      const id = h.submit({ instrumentId: nifty.id, ...MARKET });
      expect(h.updates(id)).toEqual(['submit-failed']);
      expect(h.order(id).statusMessage).toBe('NIFTY 50 is an index and cannot be traded.');
    });

    it('rejects a MARKET order when no price is known', () => {
      const h = simHarness();
      const id = h.submit({ ...MARKET });
      expect(h.updates(id)).toEqual(['submit', 'REJECTED']);
      expect(h.order(id).status).toBe('REJECTED');
      expect(h.order(id).statusMessage).toContain('No market price is known for RELIANCE');
    });

    it.each<[string, Instrument, Record<string, unknown>, string]>([
      [
        'a quantity that is not a whole lot',
        aNiftyFuture(),
        { qty: 100, limitPricePaise: paise(2_600_000) },
        'quantity 100 is not a multiple of lot size 65 for NIFTY26NOVFUT',
      ],
      [
        'a price off the tick grid',
        anInstrument(),
        { limitPricePaise: paise(157373) },
        'Tick size for this script is 0.10. The price 1573.73 is not a multiple of the tick size for RELIANCE.',
      ],
      [
        'a buy stop triggered below the last price',
        anInstrument(),
        { orderType: 'SL-M', limitPricePaise: null, triggerPricePaise: paise(157000) },
        'Trigger price 1570.00 for a stoploss buy order should be higher than the last traded price 1573.70.',
      ],
    ])('rejects %s with a REJECTED status', (_what, instrument, fields, message) => {
      const h = simHarness({ instruments: [instrument] });
      h.tick(157370, {}, instrument);
      const id = h.submit({ instrumentId: instrument.id, ...fields });
      expect(h.updates(id)).toEqual(['submit', 'REJECTED']);
      expect(h.order(id).statusMessage).toBe(message);
      expect(h.order(id).cancelledQty).toBe(h.order(id).qty);
      expect(h.client.stats().rejections).toBe(1);
    });
  });

  describe('latency', () => {
    it('does nothing before the submit latency and fills at the market of the later time', () => {
      const h = simHarness({ latency: new FixedLatency(100) });
      h.tick(157370);
      const id = h.submit({ ...MARKET, qty: 2 });
      expect(h.reports).toHaveLength(0);
      h.clock.advanceBy(50);
      h.tick(157500);
      h.clock.advanceBy(49);
      expect(h.reports).toHaveLength(0);
      h.clock.advanceBy(1);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 2@157500', 'COMPLETE']);
      expect(h.reports.every((r) => r.tsEvent === BUILDER_TS + 100)).toBe(true);
    });

    it('lets a fill during the cancel latency win; the late cancellation is answered with COMPLETE', () => {
      const h = simHarness({ latency: new FixedLatency(100) });
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 2 });
      h.clock.advanceBy(100);
      h.cancel(id);
      h.clock.advanceBy(99);
      expect(h.order(id).status).toBe('PENDING_CANCEL');
      h.tick(156000);
      expect(h.order(id).status).toBe('FILLED');
      h.clock.advanceBy(1);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 2@157000', 'COMPLETE', 'COMPLETE']);
      expect(h.order(id).status).toBe('FILLED');
    });

    it('never lets a request overtake an earlier one of the same order', () => {
      const latency = { submitMs: () => 100, modifyMs: () => 10, cancelMs: () => 10 };
      const h = simHarness({ latency });
      h.tick(157370);
      const id = h.submit({ limitPricePaise: paise(157000), qty: 2 });
      h.clock.advanceBy(10);
      const order = h.order(id);
      h.client.cancel(
        {
          type: 'CancelOrder',
          accountId: order.accountId,
          clientOrderId: id,
          reason: 'test',
          tsEvent: 0,
          tsInit: 0,
        },
        order,
      );
      h.clock.advanceBy(89);
      expect(h.reports).toHaveLength(0);
      h.clock.advanceBy(1);
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'CANCELLED']);
      expect(h.order(id).status).toBe('CANCELLED');
    });

    it('keeps the terms right when a modification and a cancellation are in flight together', () => {
      const h = simHarness({ latency: new FixedLatency(100) });
      h.tick(157370);
      const id = h.submit({
        orderType: 'SL-M',
        limitPricePaise: null,
        triggerPricePaise: paise(158000),
        qty: 1,
      });
      h.clock.advanceBy(100);
      h.modify(id, { qty: 2 });
      h.cancel(id);
      h.clock.advanceBy(100);
      expect(h.updates(id)).toEqual([
        'submit',
        'TRIGGER PENDING',
        'MODIFIED',
        'TRIGGER PENDING',
        'CANCELLED',
      ]);
      const o = h.order(id);
      expect([o.status, o.qty, o.cancelledQty]).toEqual(['CANCELLED', 2, 2]);
    });

    it('draws uniform latencies deterministically from the seed', () => {
      const run = (): number[] => {
        const clock = new TestClock(BUILDER_TS);
        const latency = new UniformLatency(10, 50, new SeededRandom(42));
        const client = new SimExecutionClient({ clock, instrument: () => anInstrument(), latency });
        const times: number[] = [];
        client.setHandler((r) => times.push(r.tsEvent));
        client.onTick(anInstrument().id, h0tick());
        for (let i = 0; i < 5; i++) {
          client.submit(orderN(i + 1));
        }
        clock.advanceBy(1000);
        return times;
      };
      const a = run();
      expect(a).toEqual(run());
      expect(new Set(a).size).toBeGreaterThan(1);
      expect(a.every((t) => t >= BUILDER_TS + 10 && t <= BUILDER_TS + 50)).toBe(true);
    });
  });

  describe('bars', () => {
    it('reports the stop before the target when one bar touches both (sell: open → low → high → close)', () => {
      const h = simHarness();
      h.tick(157370);
      const target = h.submit({ side: 'SELL', limitPricePaise: paise(158000), qty: 1 });
      const stop = h.submit({
        side: 'SELL',
        orderType: 'SL-M',
        limitPricePaise: null,
        triggerPricePaise: paise(156000),
        qty: 1,
      });
      h.reports.length = 0;
      h.client.onBar(
        makeBar({
          instrumentId: anInstrument().id,
          interval: '1m',
          start: BUILDER_TS,
          openPaise: paise(157400),
          highPaise: paise(158500),
          lowPaise: paise(155500),
          closePaise: paise(158100),
          volume: 1000,
          oi: null,
          origin: 'historical',
        }),
      );
      expect(h.reports.map((r) => `${r.clientOrderId} ${r.update.type}`)).toEqual([
        `${stop} venue-status`,
        `${stop} fill`,
        `${stop} venue-status`,
        `${target} fill`,
        `${target} venue-status`,
      ]);
      expect(h.order(stop).filledValuePaise).toBe(156000);
      expect(h.order(target).filledValuePaise).toBe(158000);
    });

    it('prices a MARKET order sent after a bar at that bar close', () => {
      const h = simHarness();
      h.client.onBar(
        makeBar({
          instrumentId: anInstrument().id,
          interval: '1m',
          start: BUILDER_TS,
          openPaise: paise(157400),
          highPaise: paise(158500),
          lowPaise: paise(155500),
          closePaise: paise(158100),
          volume: 1000,
          oi: null,
          origin: 'historical',
        }),
      );
      const id = h.submit({ ...MARKET, qty: 3 });
      expect(h.updates(id)).toEqual(['submit', 'OPEN', 'fill 3@158100', 'COMPLETE']);
    });
  });

  describe('reports', () => {
    it('carry ids, the intent, unique deterministic event ids and a Kite-shaped raw order', () => {
      const h = simHarness();
      h.tick(157370);
      const id = h.submit({ ...MARKET, qty: 2 });
      const ids = h.reports.map((r) => r.update.id);
      expect(ids).toEqual([
        'sim:250000000000001:1',
        'sim:250000000000001:2',
        'sim:250000000000001:3',
        'sim:250000000000001:4',
      ]);
      const last = h.reports.at(-1);
      expect(last).toMatchObject({
        type: 'OrderUpdateReceived',
        accountId: 'acc_test',
        clientOrderId: id,
        intentId: 'int_0000000001',
        venueOrderId: '250000000000001',
        source: 'websocket',
      });
      expect(last?.raw).toMatchObject({
        order_id: '250000000000001',
        status: 'COMPLETE',
        filled_quantity: 2,
        pending_quantity: 0,
        average_price: 1573.7,
        tag: 'KP0000000001',
        tradingsymbol: 'RELIANCE',
        exchange: 'NSE',
        order_timestamp: '2026-11-20 10:00:00',
      });
      const fill = h.reports[2]?.update;
      expect(fill).toMatchObject({ type: 'fill', venueTradeId: '10000001', qty: 2, pricePaise: 157370 });
    });

    it('lets the handler call back into the client and still delivers reports in order', () => {
      const clock = new TestClock(BUILDER_TS);
      const client = new SimExecutionClient({ clock, instrument: () => anInstrument() });
      const seen: string[] = [];
      const order = anOrder({ qty: 1, limitPricePaise: paise(157000) });
      client.setHandler((r) => {
        if (r.type !== 'OrderUpdateReceived') return;
        const u = r.update;
        seen.push(u.type === 'venue-status' ? u.status : u.type);
        if (u.type === 'venue-status' && u.status === 'OPEN') {
          client.cancel(
            {
              type: 'CancelOrder',
              accountId: order.accountId,
              clientOrderId: order.clientOrderId,
              reason: 'x',
              tsEvent: 0,
              tsInit: 0,
            },
            order,
          );
        }
      });
      client.onTick(anInstrument().id, h0tick());
      client.submit(order);
      expect(seen).toEqual(['submit', 'OPEN', 'CANCELLED']);
    });

    it('throws on a submit before setHandler and on a second submit of one order', () => {
      const client = new SimExecutionClient({ clock: new TestClock(BUILDER_TS), instrument: () => null });
      expect(() => client.submit(orderN(1))).toThrow('submit before setHandler');
      client.setHandler(() => undefined);
      client.submit(orderN(1));
      expect(() => client.submit(orderN(1))).toThrow('already submitted');
    });
  });
});

function h0tick(): Tick {
  return makeTick({
    token: 738561,
    tradable: true,
    mode: 'ltp',
    lastPricePaise: paise(157370),
    tsInit: BUILDER_TS,
  });
}

function orderN(n: number): Order {
  const body = String(n).padStart(10, '0');
  return anOrder({
    id: parseIntentId(`int_${body}`),
    clientOrderId: parseClientOrderId(`ord_${body}`),
    orderType: 'MARKET',
    limitPricePaise: null,
  });
}
