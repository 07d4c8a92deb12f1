import { describe, expect, it } from 'vitest';
import { LiveOutbox, type LiveFrame } from './live-outbox.ts';

const frame = (type: string, key: string | null, n: number): LiveFrame => ({
  type,
  key,
  body: JSON.stringify({ type, n }),
});

function drain(outbox: LiveOutbox): string[] {
  const out: string[] = [];
  for (let f = outbox.shift(); f !== undefined; f = outbox.shift()) out.push(f.body);
  return out;
}

describe('LiveOutbox', () => {
  it('keeps unkeyed frames in order and never replaces them', () => {
    const outbox = new LiveOutbox();
    for (let n = 0; n < 5; n++) expect(outbox.push(frame('order', null, n))).toBeNull();
    expect(outbox.size).toBe(5);
    expect(drain(outbox).map((b) => (JSON.parse(b) as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
    expect(outbox.size).toBe(0);
    expect(outbox.shift()).toBeUndefined();
  });

  it('replaces a pending frame of the same key and moves the newer one to the end', () => {
    const outbox = new LiveOutbox();
    outbox.push(frame('tick', 'tick|A', 1));
    outbox.push(frame('fill', null, 2));
    const replaced = outbox.push(frame('tick', 'tick|A', 3));
    expect(replaced?.body).toBe(JSON.stringify({ type: 'tick', n: 1 }));
    outbox.push(frame('tick', 'tick|B', 4));
    expect(outbox.size).toBe(3);
    expect(drain(outbox)).toEqual([
      JSON.stringify({ type: 'fill', n: 2 }),
      JSON.stringify({ type: 'tick', n: 3 }),
      JSON.stringify({ type: 'tick', n: 4 }),
    ]);
  });

  it('does not replace a frame that was already taken', () => {
    const outbox = new LiveOutbox();
    outbox.push(frame('tick', 'tick|A', 1));
    expect(outbox.shift()?.body).toContain('"n":1');
    expect(outbox.push(frame('tick', 'tick|A', 2))).toBeNull();
    expect(drain(outbox)).toEqual([JSON.stringify({ type: 'tick', n: 2 })]);
  });

  it('keeps its memory bounded by the pending frames when one key is replaced many times', () => {
    const outbox = new LiveOutbox();
    outbox.push(frame('order', null, -1));
    for (let n = 0; n < 100_000; n++) outbox.push(frame('tick', 'tick|A', n));
    expect(outbox.size).toBe(2);
    expect(outbox.slots).toBeLessThan(2100);
    expect(drain(outbox)).toEqual([
      JSON.stringify({ type: 'order', n: -1 }),
      JSON.stringify({ type: 'tick', n: 99_999 }),
    ]);
  });

  it('clear() drops everything, keys included', () => {
    const outbox = new LiveOutbox();
    outbox.push(frame('tick', 'tick|A', 1));
    outbox.clear();
    expect(outbox.size).toBe(0);
    expect(outbox.push(frame('tick', 'tick|A', 2))).toBeNull();
    expect(drain(outbox)).toHaveLength(1);
  });
});
