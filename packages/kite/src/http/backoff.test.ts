import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelayMs } from './backoff.ts';

describe('backoffDelayMs', () => {
  it('doubles the cap per retry within [cap/2, cap) and stops at maxDelayMs', () => {
    const caps = [1, 2, 3, 4, 5, 6, 7, 8].map((r) => [
      backoffDelayMs(r, DEFAULT_BACKOFF, () => 0),
      backoffDelayMs(r, DEFAULT_BACKOFF, () => 0.999999),
    ]);
    expect(caps).toEqual([
      [125, 249],
      [250, 499],
      [500, 999],
      [1000, 1999],
      [2000, 3999],
      [4000, 7999],
      [4000, 7999],
      [4000, 7999],
    ]);
  });
});
