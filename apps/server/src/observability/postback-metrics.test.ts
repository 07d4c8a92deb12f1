import { anOrder, parseVenueOrderId, TestClock, type Order } from '@kitepilot/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PostbackMetrics, postbackMetricsOf } from './postback-metrics.ts';

const RECEIVED = Date.UTC(2026, 10, 23, 4, 0, 3); // 09:30:03 IST

function terminal(venueOrderId: string, status: Order['status'] = 'FILLED'): Order {
  return { ...anOrder(), venueOrderId: parseVenueOrderId(venueOrderId), status };
}

async function value(registry: Registry, name: string): Promise<number | null> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function world(): { registry: Registry; clock: TestClock; metrics: PostbackMetrics } {
  const registry = new Registry();
  const clock = new TestClock(RECEIVED);
  const metrics = new PostbackMetrics({ registry, clock, missedAfterMs: 30_000 });
  return { registry, clock, metrics };
}

describe('PostbackMetrics', () => {
  it('observes receipt minus order_timestamp (IST) for each verified postback', async () => {
    const { registry, metrics } = world();
    expect(postbackMetricsOf(registry)).toBe(metrics);
    metrics.observePostback(
      { order_id: '1', status: 'COMPLETE', order_timestamp: '2026-11-23 09:30:00' },
      RECEIVED,
    );
    metrics.observePostback({ order_id: '2', status: 'OPEN', order_timestamp: 'yesterday' }, RECEIVED);
    expect(await value(registry, 'kitepilot_postback_lag_seconds_count')).toBe(1);
    expect(await value(registry, 'kitepilot_postback_lag_seconds_sum')).toBe(3);
    const text = await registry.metrics();
    expect(text).toContain('kitepilot_postbacks_total{status="COMPLETE"} 1');
    expect(text).toContain('kitepilot_postbacks_total{status="OPEN"} 1');
  });

  it('counts a terminal order with no terminal postback within the delay as missed, only while expecting them', async () => {
    const { registry, clock, metrics } = world();
    metrics.onOrder(terminal('100')); // not expecting postbacks yet (paper): ignored
    metrics.expectPostbacks(true);
    metrics.onOrder(terminal('200')); // postback arrives later: not missed
    metrics.observePostback(
      { order_id: '300', status: 'CANCELLED', order_timestamp: '2026-11-23 09:30:00' },
      RECEIVED,
    );
    metrics.onOrder(terminal('300', 'CANCELLED')); // postback came first: not missed
    metrics.onOrder(terminal('400', 'REJECTED')); // never: missed
    metrics.onOrder({ ...terminal('500'), status: 'OPEN' }); // not terminal: ignored
    clock.advanceBy(10_000);
    metrics.observePostback(
      { order_id: '200', status: 'COMPLETE', order_timestamp: '2026-11-23 09:30:05' },
      RECEIVED,
    );
    expect(await value(registry, 'kitepilot_missed_postbacks_total')).toBe(0);
    clock.advanceBy(20_000);
    expect(await value(registry, 'kitepilot_missed_postbacks_total')).toBe(1);
    // An OPEN postback does not stand for the terminal one.
    metrics.onOrder(terminal('600'));
    metrics.observePostback(
      { order_id: '600', status: 'OPEN', order_timestamp: '2026-11-23 09:30:00' },
      RECEIVED,
    );
    clock.advanceBy(30_000);
    expect(await value(registry, 'kitepilot_missed_postbacks_total')).toBe(2);
    // Trading without postbacks forgets what was waiting.
    metrics.onOrder(terminal('700'));
    metrics.expectPostbacks(false);
    clock.advanceBy(60_000);
    expect(await value(registry, 'kitepilot_missed_postbacks_total')).toBe(2);
  });

  it('refuses a second instance on the same registry', () => {
    const { registry, clock } = world();
    expect(() => new PostbackMetrics({ registry, clock })).toThrow(
      'postback metrics are already registered on this registry',
    );
  });
});
