import { InvariantError, parseStrategyId } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from './in-process-bus.ts';
import { RecordingLogger } from './kernel-test-support.ts';
import type { Alert } from './topics.ts';

const alert = (message: string): Alert => ({
  level: 'info',
  code: 'test',
  message,
  strategyId: parseStrategyId('str_a'),
  ts: 1,
});

describe('InProcessBus', () => {
  it('delivers synchronously to every subscriber in subscription order', () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    bus.subscribe('alert', (a) => seen.push(`1:${a.message}`));
    bus.subscribe('alert', (a) => seen.push(`2:${a.message}`));
    bus.subscribe('controls', () => seen.push('wrong topic'));
    bus.publish('alert', alert('x'));
    expect(seen).toEqual(['1:x', '2:x']);
  });

  it('keeps delivering to the others when a subscriber throws, and logs the failure', () => {
    const logger = new RecordingLogger();
    const bus = new InProcessBus(logger);
    const seen: string[] = [];
    bus.subscribe('alert', () => seen.push('first'));
    bus.subscribe('alert', () => {
      throw new Error('subscriber bug');
    });
    bus.subscribe('alert', () => seen.push('third'));
    bus.publish('alert', alert('x'));
    expect(seen).toEqual(['first', 'third']);
    expect(bus.failures()).toBe(1);
    expect(logger.errors).toHaveLength(1);
  });

  it('rethrows an InvariantError from a subscriber', () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    bus.subscribe('alert', () => {
      throw new InvariantError('broken');
    });
    bus.subscribe('alert', () => seen.push('after'));
    expect(() => bus.publish('alert', alert('x'))).toThrow(InvariantError);
    expect(seen).toEqual([]);
  });

  it('unsubscribes, also during a delivery, without disturbing that delivery', () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    const offSecond = bus.subscribe('alert', () => {
      seen.push('first');
      offThird();
    });
    const offThird = bus.subscribe('alert', () => seen.push('third'));
    bus.publish('alert', alert('a'));
    bus.publish('alert', alert('b'));
    offSecond();
    offSecond();
    bus.publish('alert', alert('c'));
    expect(seen).toEqual(['first', 'third', 'first']);
  });
});
