import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../metrics/compute-metrics.ts';
import { bestCandidate, isMinimised, objectiveOf, objectiveScore, OBJECTIVES } from './objective.ts';

describe('objectiveScore', () => {
  it('returns the metric, or null when the metric is undefined', () => {
    const metrics = computeMetrics({
      startingCashPaise: 100_000,
      daily: [
        { date: '2025-01-06', equityPaise: 101_000 },
        { date: '2025-01-07', equityPaise: 100_500 },
      ],
      trades: [],
      chargesPaise: 0,
      tradedValuePaise: 0,
      bars: 10,
      barsInMarket: 0,
    });
    expect(objectiveScore(metrics, 'totalReturnPct')).toBeCloseTo(0.5, 12);
    expect(objectiveScore(metrics, 'netPnlPaise')).toBe(500);
    expect(objectiveScore(metrics, 'maxDrawdownPct')).toBeCloseTo((500 / 101_000) * 100, 12);
    expect(objectiveScore(metrics, 'profitFactor')).toBeNull();
    expect(typeof objectiveScore(metrics, 'sharpe')).toBe('number');
  });

  it('names the choices for an unknown objective', () => {
    expect(objectiveOf('calmar')).toBe('calmar');
    expect(() => objectiveOf('sharp')).toThrow(`objective "sharp" must be one of ${OBJECTIVES.join(', ')}`);
    expect(isMinimised('maxDrawdownPct')).toBe(true);
    expect(isMinimised('sharpe')).toBe(false);
  });
});

describe('bestCandidate', () => {
  it('picks the highest score, nulls last, failures never, ties to the earlier candidate', () => {
    expect(bestCandidate([1, 3, 2], 'sharpe')).toBe(1);
    expect(bestCandidate([null, -5, null], 'sharpe')).toBe(1);
    expect(bestCandidate([2, 3, 3], 'sharpe')).toBe(1);
    expect(bestCandidate([undefined, null, null], 'sharpe')).toBe(1);
    expect(bestCandidate([undefined, undefined, 1], 'sharpe')).toBe(2);
    expect(bestCandidate([undefined, undefined], 'sharpe')).toBe(-1);
    expect(bestCandidate([], 'sharpe')).toBe(-1);
  });

  it('picks the lowest drawdown', () => {
    expect(bestCandidate([5, 2, null, 2], 'maxDrawdownPct')).toBe(1);
  });

  it('never picks a candidate beaten by another, and always the first of equals', () => {
    const score = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(fc.array(score, { maxLength: 12 }), fc.constantFrom(...OBJECTIVES), (scores, objective) => {
        const best = bestCandidate(scores, objective);
        if (scores.every((s) => s === undefined)) {
          expect(best).toBe(-1);
          return;
        }
        const sign = isMinimised(objective) ? -1 : 1;
        const chosen = scores[best];
        expect(chosen).not.toBeUndefined();
        scores.forEach((s, i) => {
          if (typeof s === 'number') {
            expect(chosen).not.toBeNull();
            expect(sign * (chosen as number)).toBeGreaterThanOrEqual(sign * s);
            if (i < best) expect(s).not.toBe(chosen);
          } else if (s === null && i < best) {
            expect(chosen).not.toBeNull();
          }
        });
      }),
    );
  });
});
