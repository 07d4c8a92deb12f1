import { describe, expect, it } from 'vitest';
import { intentIdFromTag, intentTag } from '../model/order-intent.ts';
import { SequentialIdGenerator, TimeRandomIdGenerator } from './id-generator.ts';
import { SeededRandom } from './random.ts';
import { TestClock } from './test-clock.ts';

describe('SequentialIdGenerator', () => {
  it('counts per kind from 1 and repeats across instances', () => {
    const a = new SequentialIdGenerator();
    expect([a.next('clientOrder'), a.next('clientOrder'), a.next('intent')]).toEqual([
      'ord_0000000001',
      'ord_0000000002',
      'int_0000000001',
    ]);
    expect(new SequentialIdGenerator().next('clientOrder')).toBe('ord_0000000001');
  });
});

describe('TimeRandomIdGenerator', () => {
  it('makes distinct, time-ordered ids whose intent ids fit a Kite tag', () => {
    const clock = new TestClock(Date.UTC(2026, 10, 20, 4, 30));
    const gen = new TimeRandomIdGenerator(clock, new SeededRandom(7));
    const ids = new Set<string>();
    let previous = '';
    for (let i = 0; i < 1_000; i++) {
      if (i % 10 === 0) clock.advanceBy(1);
      const id = gen.next('intent');
      expect(intentIdFromTag(intentTag(id))).toBe(id);
      expect(id.slice(4, 13) >= previous.slice(4, 13)).toBe(true);
      ids.add(id);
      previous = id;
    }
    expect(ids.size).toBe(1_000);
  });
});
