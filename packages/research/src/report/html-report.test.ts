import { describe, expect, it } from 'vitest';
import type { BacktestResult } from '../backtest/backtest-result.ts';
import { renderHtmlReport, REPORT_TRADE_ROWS } from './html-report.ts';
import { aBacktestResult, aTrade } from './testing.ts';

/** Returns the HTML of one `<section id="…">` of a report. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

/** Asserts the document loads nothing from outside and runs no script (tags only: escaped text may say anything). */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b|<[^>]*\s(src|href)=|url\(|@import/i);
}

function expectNoBadNumbers(html: string): void {
  expect(html).not.toMatch(/NaN|Infinity|undefined/);
}

describe('renderHtmlReport', () => {
  const result = aBacktestResult();
  const html = renderHtmlReport(result);

  it('is one accessible, self-contained HTML document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-IN">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Backtest sma-cross run_01JH2METRICS</title>');
    expect(html).toContain('<style>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expectSelfContained(html);
    expect(html).not.toMatch(/https?:/);
    expectNoBadNumbers(html);
  });

  it('has a header with strategy, run id, period in IST and config hash', () => {
    expect(html).toContain('<h1>Backtest report: sma-cross</h1>');
    expect(html).toContain('<dd>run_01JH2METRICS</dd>');
    // equity points at 15:29 IST on the first and last trading day
    expect(html).toContain('<dd>2026-01-05 15:29:00 IST – 2026-02-03 15:29:00 IST</dd>');
    expect(html).toContain(`<dd>${result.configHash}</dd>`);
    expect(html).toContain(`<dd>${result.orderListHash}</dd>`);
  });

  it('lists the metrics with rupees in en-IN grouping', () => {
    const metrics = sectionOf(html, 'metrics');
    const row = (label: string, value: string) =>
      expect(metrics).toContain(`<th scope="row">${label}</th><td class="num">${value}</td>`);
    row('Starting cash', '₹1,00,000.00');
    row('Final equity', '₹1,03,456.78');
    row('Net P&amp;L', '₹3,456.78');
    row('Total return', '3.46%'); // 345678 / 10000000 = 3.45678 %
    row('Max drawdown', '3.41%'); // (10250000 − 9900000) / 10250000 = 3.4146 %
    row('Max drawdown (₹)', '₹3,500.00');
    row('Trades', '4');
    row('Win rate', '50.00%');
    row('Profit factor', '1.99'); // (250000 + 445678) / (150000 + 200000) = 1.98765
    row('Expectancy per trade', '₹864.195'); // 345678 / 4 = 86419.5 paise
    expect(metrics).toContain('<th scope="col">Metric</th>');
  });

  it('draws the equity curve, the underwater chart and the P&L histogram as labelled inline SVG', () => {
    for (const id of ['equity', 'drawdown', 'pnl-histogram']) {
      const part = sectionOf(html, id);
      expect(part).toMatch(/<svg [^>]*role="img" aria-label="[^"]+">/);
      expect(part).toMatch(/<path |<rect /);
    }
    expect(sectionOf(html, 'equity')).toContain('from ₹1,02,500.00 to ₹1,03,456.78');
    expect(sectionOf(html, 'drawdown')).toContain('worst 3.41%');
    expect(sectionOf(html, 'pnl-histogram')).toContain('net P&amp;L of 4 trades');
  });

  it('shows monthly returns as a year × month table coloured by sign', () => {
    const monthly = sectionOf(html, 'monthly');
    expect(monthly).toContain('<th scope="col">Jan</th>');
    expect(monthly).toContain('<th scope="col">Year total</th>');
    expect(monthly).toContain('<th scope="row">2026</th>');
    expect(monthly).toContain('<td class="num neg">-1.00%</td>'); // 9900000 / 10000000 − 1
    expect(monthly).toContain('<td class="num pos">4.50%</td>'); // 10345678 / 9900000 − 1 = 4.4998 %
    expect(monthly).toContain('<td class="num pos">3.46%</td>'); // the year
  });

  it('lists the trades with IST times and signed P&L', () => {
    const trades = sectionOf(html, 'trades');
    expect(trades).toContain('<td>INFY.NSE</td><td>SHORT</td>');
    expect(trades).toContain('<td class="when">2026-01-05 09:15:00 IST</td>');
    expect(trades).toContain('<td class="num neg">-₹1,500.00</td>');
    expect(trades).toContain('<td class="num pos">₹4,456.78</td>');
    expect(trades).not.toContain('Showing the first');
    expect(trades.match(/<tr>/g)).toHaveLength(1 + 4);
  });

  it('shows parameters, the full configuration, warnings and counts', () => {
    const params = sectionOf(html, 'parameters');
    expect(params).toContain('<th scope="row">fast</th><td>9</td>');
    expect(params).toContain('<th scope="row">product</th><td>MIS</td>');
    expect(params).toContain('&quot;interval&quot;: &quot;1m&quot;');
    expect(sectionOf(html, 'warnings')).toContain('No warnings.');
    const counts = sectionOf(html, 'counts');
    expect(counts).toContain('<th scope="row">Orders</th><td class="num">8</td>');
    expect(counts).toContain('<th scope="row">Risk denials</th><td class="num">1</td>');
    expect(counts).toContain('<th scope="row">Bars</th><td class="num">1,875</td>');
    expect(counts).toContain('<th scope="row">Run time</th><td class="num">2.500s</td>');
  });

  it('lists warnings', () => {
    const withWarnings = renderHtmlReport(aBacktestResult({ warnings: ['bars on 2026-01-26, a holiday'] }));
    expect(sectionOf(withWarnings, 'warnings')).toContain('<li>bars on 2026-01-26, a holiday</li>');
    expect(withWarnings).toContain('Warnings (1)');
  });

  it('escapes every text that comes from the result', () => {
    const hostile = aBacktestResult({
      strategy: '<b>bold</b>',
      runId: 'run_"quoted"',
      params: {
        '<script>alert(1)</script>': '<img src=x onerror=alert(2)>',
        nested: { html: '</td><script>' },
      },
      config: { note: '</pre><script>alert(3)</script>' },
      warnings: ['<script>alert(4)</script>'],
      trades: [aTrade({ instrumentId: 'M&M.NSE<script>' })],
    });
    const out = renderHtmlReport(hostile);
    expectSelfContained(out);
    expect(out).not.toContain('<b>bold</b>');
    expect(out).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(out).toContain('run_&quot;quoted&quot;');
    expect(out).toContain('<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>');
    expect(out).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(out).toContain('&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(out).toContain('<li>&lt;script&gt;alert(4)&lt;/script&gt;</li>');
    expect(out).toContain('<td>M&amp;M.NSE&lt;script&gt;</td>');
  });

  it('renders a run without trades or trading days', () => {
    const empty = aBacktestResult({ daily: [], trades: [], equity: [] });
    const out = renderHtmlReport(empty);
    expectNoBadNumbers(out);
    expectSelfContained(out);
    expect(out).toContain('<dd>no trading day in the data</dd>');
    expect(sectionOf(out, 'trades')).toContain('No trades.');
    expect(sectionOf(out, 'monthly')).toContain('No trading day, so no monthly returns.');
    expect(sectionOf(out, 'equity')).toContain('no data to chart');
    expect(sectionOf(out, 'pnl-histogram')).toContain('no data to chart');
    expect(sectionOf(out, 'metrics')).toContain('<th scope="row">Sharpe ratio</th><td class="num">—</td>');
  });

  it('renders a single trading day with one trade', () => {
    const one = aBacktestResult({
      daily: [{ date: '2026-03-02', equityPaise: 10_003_000 }],
      trades: [aTrade({ netPnlPaise: 3_000 })],
    });
    const out = renderHtmlReport(one);
    expectNoBadNumbers(out);
    expect(out).toContain('<dd>2026-03-02 15:29:00 IST – 2026-03-02 15:29:00 IST</dd>');
    expect(sectionOf(out, 'equity')).toContain('<circle');
    expect(sectionOf(out, 'monthly')).toContain('<td class="num pos">0.03%</td>');
  });

  it('renders the daily dates as the period when the equity curve is empty', () => {
    const out = renderHtmlReport(aBacktestResult({ equity: [] }));
    expect(out).toContain('<dd>2026-01-05 – 2026-02-03 (IST trading dates)</dd>');
  });

  it(`lists at most ${REPORT_TRADE_ROWS} trades and says how many were left out`, () => {
    const trades = Array.from({ length: REPORT_TRADE_ROWS + 1 }, (_, i) => aTrade({ netPnlPaise: i - 250 }));
    const out = sectionOf(renderHtmlReport(aBacktestResult({ trades })), 'trades');
    expect(out).toContain('Showing the first 500 of 501 trades.');
    expect(out.match(/<tr>/g)).toHaveLength(1 + REPORT_TRADE_ROWS);
    const exact = sectionOf(
      renderHtmlReport(aBacktestResult({ trades: trades.slice(0, REPORT_TRADE_ROWS) })),
      'trades',
    );
    expect(exact).not.toContain('Showing the first');
  });

  it('gives the same text for the same result', () => {
    const copy = structuredClone(result) as BacktestResult;
    expect(renderHtmlReport(copy)).toBe(html);
    expect(renderHtmlReport(result)).toBe(html);
  });
});
