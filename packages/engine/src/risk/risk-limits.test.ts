import { paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_LIMITS, makeRiskLimits } from './risk-limits.ts';

describe('makeRiskLimits', () => {
  it('fills in the documented defaults', () => {
    expect(makeRiskLimits({ dailyLossCapPaise: paise(500_000) })).toEqual({
      ...DEFAULT_RISK_LIMITS,
      dailyLossCapPaise: 500_000,
    });
    expect(DEFAULT_RISK_LIMITS).toMatchObject({
      maxOrdersPerSecond: 10,
      requireStopLoss: true,
      freezeQtyPolicy: 'slice',
      entryWindow: { start: '09:15', end: '15:10' },
      allowlist: null,
      blocklist: [],
      maxOrdersPerDay: null,
    });
  });

  it('refuses maxOrdersPerSecond above the SEBI threshold of 10 or not positive, naming the value', () => {
    expect(() => makeRiskLimits({ dailyLossCapPaise: paise(1), maxOrdersPerSecond: 11 })).toThrow(
      new RangeError(
        'maxOrdersPerSecond 11 must be an integer from 1 to 10 (the SEBI retail algo threshold)',
      ),
    );
    expect(() => makeRiskLimits({ dailyLossCapPaise: paise(1), maxOrdersPerSecond: 0 })).toThrow(
      'maxOrdersPerSecond 0',
    );
    expect(makeRiskLimits({ dailyLossCapPaise: paise(1), maxOrdersPerSecond: 3 }).maxOrdersPerSecond).toBe(3);
  });

  it('refuses bad amounts, counts, windows and policies with the value in the message', () => {
    const cap = { dailyLossCapPaise: paise(1) };
    expect(() => makeRiskLimits({ dailyLossCapPaise: -1 as never })).toThrow('dailyLossCapPaise -1');
    expect(() => makeRiskLimits({ ...cap, maxOrderValuePaise: paise(0) })).toThrow('maxOrderValuePaise 0');
    expect(() => makeRiskLimits({ ...cap, maxOpenPositions: 1.5 })).toThrow('maxOpenPositions 1.5');
    expect(() => makeRiskLimits({ ...cap, entryWindow: { start: '15:00', end: '09:15' } })).toThrow(
      'entry window start 15:00 must be before its end 09:15',
    );
    expect(() => makeRiskLimits({ ...cap, entryWindow: { start: '9am', end: '15:00' } })).toThrow('"9am"');
    expect(() => makeRiskLimits({ ...cap, freezeQtyPolicy: 'split' as never })).toThrow(
      'freezeQtyPolicy "split"',
    );
  });
});
