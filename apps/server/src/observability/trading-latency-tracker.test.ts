import { anOrder, type Order, type OrderLifecycleEvent } from '@kitepilot/core';
import type { OrderUpdate } from '@kitepilot/engine';
import { describe, expect, it } from 'vitest';
import { TradingLatencyTracker } from './trading-latency-tracker.ts';

function harness(maxPending?: number) {
  let nowMs = 0;
  let seq = 0;
  const seen = { signal: [] as number[], order: [] as number[], ack: [] as number[] };
  const tracker = new TradingLatencyTracker({
    now: () => nowMs,
    inputSeq: () => seq,
    sink: {
      tickToSignal: (s) => seen.signal.push(s),
      tickToOrder: (s) => seen.order.push(s),
      tickToAck: (s) => seen.ack.push(s),
    },
    ...(maxPending === undefined ? {} : { maxPending }),
  });
  return {
    tracker,
    seen,
    at: (ms: number) => (nowMs = ms),
    /** The kernel takes up the next input. */
    input: () => (seq += 1),
  };
}

const order = (status: Order['status'], id = 'ord_1'): Order => ({
  ...anOrder({ clientOrderId: id as Order['clientOrderId'] }),
  status,
});
const update = (event: OrderLifecycleEvent, o: Order | null): OrderUpdate => ({ event, order: o });
const base = (o: Order) => ({
  accountId: o.accountId,
  clientOrderId: o.clientOrderId,
  tsEvent: 0,
  tsInit: 0,
});

describe('TradingLatencyTracker', () => {
  it('measures signals and orders of the tick being handled, and the first acknowledgement of the order', () => {
    const h = harness();
    h.input();
    h.at(100);
    h.tracker.onTick();
    h.at(100.5);
    h.tracker.onSignal();
    const created = order('INITIALIZED');
    h.at(101);
    h.tracker.onOrder(update({ type: 'OrderInitialized', order: created, tsEvent: 0, tsInit: 0 }, created));
    expect(h.tracker.pending).toBe(1);
    h.input(); // the execution report
    h.at(130);
    const submitted = order('SUBMITTED');
    h.tracker.onOrder(update({ type: 'OrderSubmitted', ...base(submitted), venueOrderId: null }, submitted));
    h.tracker.onOrder(
      update({ type: 'OrderAccepted', ...base(submitted), venueOrderId: '1' as never }, submitted),
    );
    expect(h.seen).toEqual({ signal: [0.0005], order: [0.001], ack: [0.03] });
    expect(h.tracker.pending).toBe(0);
  });

  it('ignores signals and orders of a later input (a timer after the tick), and forgets orders that end unacknowledged', () => {
    const h = harness();
    h.input();
    h.tracker.onTick();
    h.input(); // a timer: what it causes is not the tick's
    h.tracker.onSignal();
    const o = order('INITIALIZED');
    h.tracker.onOrder(update({ type: 'OrderInitialized', order: o, tsEvent: 0, tsInit: 0 }, o));
    expect(h.seen.signal).toEqual([]);
    expect(h.seen.order).toEqual([]);

    h.input();
    h.tracker.onTick();
    h.tracker.onOrder(update({ type: 'OrderInitialized', order: o, tsEvent: 0, tsInit: 0 }, o));
    const rejected = order('REJECTED');
    h.tracker.onOrder(update({ type: 'OrderRejected', ...base(rejected), reason: 'RMS' }, rejected));
    expect(h.tracker.pending).toBe(0);
    expect(h.seen.ack).toEqual([]);
  });

  it('remembers at most maxPending orders, forgetting the oldest', () => {
    const h = harness(2);
    h.input();
    h.tracker.onTick();
    for (const id of ['ord_a', 'ord_b', 'ord_c']) {
      const o = order('INITIALIZED', id);
      h.tracker.onOrder(update({ type: 'OrderInitialized', order: o, tsEvent: 0, tsInit: 0 }, o));
    }
    expect(h.tracker.pending).toBe(2);
    const a = order('SUBMITTED', 'ord_a');
    h.tracker.onOrder(update({ type: 'OrderSubmitted', ...base(a), venueOrderId: null }, a));
    expect(h.seen.ack).toEqual([]);
  });
});
