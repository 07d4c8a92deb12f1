import { describe, expect, it } from 'vitest';
import { compareResults, renderComparisonHtml } from './compare.ts';
import { METRIC_ROWS } from './metric-rows.ts';
import { aBacktestResult, aTrade } from './testing.ts';

const a = aBacktestResult();
const b = aBacktestResult({
  runId: 'run_02',
  strategy: 'orb',
  params: { rangeMinutes: 15 },
  daily: [
    { date: '2026-01-05', equityPaise: 9_800_000 },
    { date: '2026-01-06', equityPaise: 9_700_000 },
  ],
  trades: [aTrade({ netPnlPaise: 1_000 })],
});

describe('compareResults', () => {
  it('returns one row per metric with each run’s value in order', () => {
    const rows = compareResults([a, b]);
    expect(rows.map((r) => r.metric)).toEqual(METRIC_ROWS.map((r) => r.metric));
    const byMetric = new Map(rows.map((r) => [r.metric, r]));
    expect(byMetric.get('finalEquityPaise')).toEqual({
      metric: 'finalEquityPaise',
      label: 'Final equity',
      values: [10_345_678, 9_700_000],
    });
    expect(byMetric.get('trades')?.values).toEqual([4, 1]);
    // b has one winning trade and no losing one: no profit factor
    expect(byMetric.get('profitFactor')?.values).toEqual([a.metrics.profitFactor, null]);
    expect(byMetric.get('sharpe')?.values).toEqual([a.metrics.sharpe, b.metrics.sharpe]);
  });

  it('returns empty value lists for no runs', () => {
    const rows = compareResults([]);
    expect(rows).toHaveLength(METRIC_ROWS.length);
    for (const row of rows) expect(row.values).toEqual([]);
  });
});

describe('renderComparisonHtml', () => {
  const html = renderComparisonHtml([a, b]);

  it('is a self-contained, accessible document with the runs and their metrics side by side', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-IN">')).toBe(true);
    expect(html).toContain('<title>Backtest comparison (2 runs)</title>');
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=|\shref=|url\(|@import|https?:/i);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    expect(html).toContain(
      '<th scope="col">1. sma-cross (run_01JH2METRICS)</th><th scope="col">2. orb (run_02)</th>',
    );
    expect(html).toContain(
      '<th scope="row">Final equity</th><td class="num">₹1,03,456.78</td><td class="num">₹97,000.00</td>',
    );
    expect(html).toContain(
      '<th scope="row">Profit factor</th><td class="num">1.99</td><td class="num">—</td>',
    );
    expect(html).toContain('{&quot;rangeMinutes&quot;:15}');
    expect(html).toMatch(/<svg [^>]*role="img" aria-label="Return on starting cash[^"]*">/);
    expect(html.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(2);
    expect(html).toContain('2. orb (run_02)</li>');
  });

  it('escapes run names and parameters', () => {
    const out = renderComparisonHtml([
      aBacktestResult({ strategy: '<script>x</script>', params: { p: '<i>' } }),
    ]);
    expect(out).not.toContain('<script>x');
    expect(out).not.toContain('<i>');
    expect(out).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('says so when there is nothing to compare', () => {
    const out = renderComparisonHtml([]);
    expect(out).toContain('No runs to compare.');
    expect(out).toContain('<title>Backtest comparison (0 runs)</title>');
  });

  it('renders runs without trading days', () => {
    const out = renderComparisonHtml([aBacktestResult({ daily: [], trades: [], equity: [] }), a]);
    expect(out).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('gives the same text for the same runs', () => {
    expect(renderComparisonHtml([structuredClone(a), structuredClone(b)])).toBe(html);
  });
});
