import { paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { aPosition, aSnapshot, anEntry, anOpenOrder, INFY } from './risk-test-support.ts';
import { worstCaseDailyPnl, worstCaseDailyPnlPaise, workingEntryQuantities } from './worst-case.ts';

describe('worstCaseDailyPnl', () => {
  it('counts a long at the lower of its stop and its mark, and a long without a stop at zero', () => {
    // 10 bought for ₹15,000: stop ₹1,450 → −₹500; marked ₹1,400 below the stop → −₹1,000; no stop → −₹15,000.
    expect(worstCaseDailyPnlPaise(aSnapshot({ positions: [aPosition()] }))).toBe(-50_000n);
    expect(worstCaseDailyPnlPaise(aSnapshot({ positions: [aPosition({ markPaise: paise(140_000) })] }))).toBe(
      -100_000n,
    );
    expect(worstCaseDailyPnlPaise(aSnapshot({ positions: [aPosition({ stopPaise: null })] }))).toBe(
      -1_500_000n,
    );
  });

  it('counts a short at the higher of its stop and its mark, and a short without a stop as unbounded', () => {
    const short = aPosition({
      netQty: -10,
      costBasisPaise: paise(-1_500_000),
      markPaise: paise(149_000),
      stopPaise: paise(152_000),
    });
    expect(worstCaseDailyPnlPaise(aSnapshot({ positions: [short] }))).toBe(-20_000n);
    const naked = worstCaseDailyPnl(aSnapshot({ positions: [{ ...short, stopPaise: null }] }));
    expect(naked.totalPaise).toBeNull();
    expect(naked.unboundedReason).toContain('short position -10 of RELIANCE.NSE (MIS) has no stop-loss');
  });

  it('adds realised P&L, working entries at their stops and the new entry', () => {
    const wc = worstCaseDailyPnl(
      aSnapshot({ realisedPnlTodayPaise: paise(-1_000), openOrders: [anOpenOrder()] }),
      anEntry({ qty: 2 }),
    );
    expect(wc).toEqual({
      realisedPaise: -1_000n,
      positionsPaise: 0n,
      workingEntriesPaise: -10_000n,
      newEntryPaise: -4_740n,
      totalPaise: -15_740n,
      unboundedReason: null,
    });
  });

  it('counts a reducing working order only for its part beyond the position', () => {
    const sell = anOpenOrder({
      side: 'SELL',
      leavesQty: 15,
      pricePaise: paise(150_000),
      stopLossPaise: paise(151_000),
    });
    const snapshot = aSnapshot({ positions: [aPosition()], openOrders: [sell, { ...sell, leavesQty: 4 }] });
    expect(workingEntryQuantities(snapshot).map((w) => w.entryQty)).toEqual([5, 4]);
    expect(worstCaseDailyPnl(snapshot).workingEntriesPaise).toBe(-9_000n);
  });

  it('bounds a sell without a price by its stop and finds a buy without a price unbounded', () => {
    const sell = anOpenOrder({
      instrumentId: INFY,
      side: 'SELL',
      leavesQty: 3,
      pricePaise: null,
      stopLossPaise: paise(1_000),
    });
    expect(worstCaseDailyPnlPaise(aSnapshot({ openOrders: [sell] }))).toBe(-3_000n);
    const buy = anOpenOrder({ pricePaise: null });
    expect(worstCaseDailyPnl(aSnapshot({ openOrders: [buy] })).unboundedReason).toContain(
      'has no known price',
    );
  });

  it('stays exact past 2^53 paise', () => {
    const big = aPosition({
      netQty: 9_000_000_000,
      costBasisPaise: paise(9_000_000_000_000_000),
      markPaise: null,
      stopPaise: paise(999_999),
    });
    expect(worstCaseDailyPnlPaise(aSnapshot({ positions: [big] }))).toBe(
      9_000_000_000n * 999_999n - 9_000_000_000_000_000n,
    );
  });
});
