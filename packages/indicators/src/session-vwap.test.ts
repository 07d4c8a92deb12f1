import { describe, expect, it } from 'vitest';
import { SessionVwap } from './session-vwap.ts';

describe('SessionVwap', () => {
  it('weights prices by volume and starts again when the session changes', () => {
    const vwap = new SessionVwap();
    expect(vwap.update(100, 10, '2026-03-02')).toBe(100);
    expect(vwap.update(110, 30, '2026-03-02')).toBe(107.5);
    expect(vwap.update(200, 5, '2026-03-03')).toBe(200);
    expect(vwap.session).toBe('2026-03-03');
    expect(vwap.count).toBe(3);
  });

  it('is null while the session has no volume', () => {
    const vwap = new SessionVwap();
    expect(vwap.update(100, 0, 1)).toBeNull();
    expect(vwap.ready).toBe(false);
    expect(vwap.update(101, 2, 1)).toBe(101);
    expect(vwap.update(150, 0, 2)).toBeNull();
  });

  it('is exact for products beyond 2^53 and continues in floats after a fractional volume', () => {
    const vwap = new SessionVwap();
    vwap.update(2_000_000_000, 9_000_000, 'd');
    expect(vwap.update(2_000_000_001, 9_000_000, 'd')).toBe(
      Number(2_000_000_000n * 9_000_000n + 2_000_000_001n * 9_000_000n) / 18_000_000,
    );
    expect(vwap.update(10, 0.5, 'e')).toBe(10);
    expect(vwap.update(20, 1.5, 'e')).toBe(17.5);
  });

  it('refuses a negative volume', () => {
    expect(() => new SessionVwap().update(100, -1, 'd')).toThrow(/volume must not be negative, got -1/);
  });
});
