import { describe, expect, it } from 'vitest';
import type { RunningTrading } from '../trading/trading-slot.ts';
import { ObservedTradingSlot } from './observed-trading-slot.ts';

const running = (name: string): RunningTrading =>
  ({ close: async () => undefined, env: { runId: name } }) as never;

describe('ObservedTradingSlot', () => {
  it('tells its listeners of each new trading and of its removal, once per change', () => {
    const slot = new ObservedTradingSlot();
    const a = running('a');
    const b = running('b');
    const seen: (string | null)[] = [];
    slot.current = a;
    const stop = slot.observe((r) => seen.push(r === null ? null : r.env.runId));
    expect(seen).toEqual(['a']); // already running: told at once
    slot.current = a;
    slot.current = b;
    slot.current = null;
    expect(seen).toEqual(['a', 'b', null]);
    expect(slot.current).toBeNull();
    stop();
    slot.current = a;
    expect(seen).toEqual(['a', 'b', null]);
    expect(slot.current).toBe(a);
  });
});
