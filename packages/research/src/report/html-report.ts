// The report of one backtest run as a single self-contained HTML document: header, metrics, equity curve,
// underwater chart, monthly returns, P&L histogram, trade list, parameters and configuration, warnings and counts.
// Every text that comes from the result is escaped; the output depends only on the result (no current time).
import type { JsonValue } from '@kitepilot/core';
import type { BacktestResult } from '../backtest/backtest-result.ts';
import { drawdownSeries, monthlyReturns, yearlyReturns } from '../metrics/equity-series.ts';
import {
  escapeHtml,
  formatCount,
  formatDurationMs,
  formatFixed,
  formatIstDateTime,
  formatPaise,
  formatPct,
} from './format.ts';
import { paiseHistogram } from './histogram.ts';
import { renderHtmlDocument, section, signClass, table, textCell, type Cell } from './html-document.ts';
import { formatMetricValue, METRIC_ROWS } from './metric-rows.ts';
import { histogramSvg, lineChartSvg } from './svg-charts.ts';

/** The most trades the trade list shows; the rest are counted in a note. */
export const REPORT_TRADE_ROWS = 500;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Returns the period of the run in IST: bar times when the equity curve has points, else trading dates. */
export function reportPeriod(result: BacktestResult): string {
  const first = result.equity[0];
  const last = result.equity.at(-1);
  if (first !== undefined && last !== undefined) {
    return `${formatIstDateTime(first.atMs)} – ${formatIstDateTime(last.atMs)}`;
  }
  const firstDay = result.daily[0];
  const lastDay = result.daily.at(-1);
  if (firstDay !== undefined && lastDay !== undefined) {
    return `${firstDay.date} – ${lastDay.date} (IST trading dates)`;
  }
  return 'no trading day in the data';
}

function header(result: BacktestResult): string {
  const rows: [string, string][] = [
    ['Strategy', result.strategy],
    ['Run id', result.runId],
    ['Period', reportPeriod(result)],
    ['Config hash', result.configHash],
    ['Order list hash', result.orderListHash],
    ['Run started', formatIstDateTime(result.startedAtMs)],
    ['Run finished', formatIstDateTime(result.finishedAtMs)],
  ];
  const items = rows
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return (
    `<header><h1>Backtest report: ${escapeHtml(result.strategy)}</h1>` +
    `<dl class="meta">${items}</dl>` +
    `<p class="note">Money in rupees from integer paise; times in IST (UTC+05:30).</p></header>`
  );
}

function metricsTable(result: BacktestResult): string {
  const rows = METRIC_ROWS.map((row) => [
    textCell(row.label),
    textCell(formatMetricValue(row.kind, result.metrics[row.metric]), { num: true }),
  ]);
  return table('Statistics of the run (— where a ratio is not defined)', ['Metric', 'Value'], rows);
}

function equityChart(result: BacktestResult): string {
  const points = result.equity;
  const first = points[0];
  const last = points.at(-1);
  const values = points.map((p) => p.equityPaise);
  const label =
    first === undefined || last === undefined
      ? 'Equity curve'
      : `Equity curve at bar closes from ${formatPaise(first.equityPaise)} to ${formatPaise(last.equityPaise)}, ` +
        `${formatIstDateTime(first.atMs)} to ${formatIstDateTime(last.atMs)}`;
  const chart = lineChartSvg({
    ariaLabel: label,
    series: [{ name: 'Equity', values, color: '#0969da' }],
    formatY: (v) => formatPaise(Math.round(v)),
    xLabels: [formatIstDateTime(first?.atMs), formatIstDateTime(last?.atMs)],
  });
  return `<figure>${chart}</figure>`;
}

function drawdownChart(result: BacktestResult): string {
  const series = drawdownSeries(result.daily, result.metrics.startingCashPaise);
  const worst = Math.max(0, ...series.map((p) => p.drawdownPct));
  const chart = lineChartSvg({
    ariaLabel:
      series.length === 0
        ? 'Drawdown of daily closing equity'
        : `Drawdown of daily closing equity below its running peak, worst ${formatPct(worst)}, ` +
          `${series[0]?.date ?? ''} to ${series.at(-1)?.date ?? ''}`,
    series: [{ name: 'Drawdown', values: series.map((p) => -p.drawdownPct), color: '#cf222e' }],
    formatY: (v) => formatPct(v),
    xLabels: [series[0]?.date ?? '', series.at(-1)?.date ?? ''],
    area: true,
    includeZero: true,
  });
  return `<figure>${chart}</figure>`;
}

/** Returns a cell for a percentage coloured by the sign it is shown with. */
function pctCell(value: number | null): Cell {
  const shown = value === null ? null : Number(value.toFixed(2));
  return textCell(formatPct(value), { num: true, className: signClass(shown) });
}

function monthlyTable(result: BacktestResult): string {
  const start = result.metrics.startingCashPaise;
  const months = monthlyReturns(result.daily, start);
  if (months.length === 0) return '<p class="empty">No trading day, so no monthly returns.</p>';
  const years = new Map(yearlyReturns(result.daily, start).map((y) => [y.year, y.returnPct]));
  const byMonth = new Map(months.map((m) => [m.month, m.returnPct]));
  const rows = [...years.entries()].map(([year, yearPct]) => [
    textCell(year),
    ...MONTHS.map((_, index) => {
      const key = `${year}-${String(index + 1).padStart(2, '0')}`;
      return byMonth.has(key) ? pctCell(byMonth.get(key) ?? null) : textCell('', { num: true });
    }),
    pctCell(yearPct),
  ]);
  return (
    table(
      'Monthly returns: month-end equity over the previous month-end (the first over the starting cash)',
      ['Year', ...MONTHS, 'Year total'],
      rows,
    ) +
    '<p class="note">Green cells gained, red cells lost; an empty cell is a month without trading days.</p>'
  );
}

function histogram(result: BacktestResult): string {
  const bins = paiseHistogram(result.trades.map((t) => t.netPnlPaise));
  const chart = histogramSvg({
    ariaLabel:
      bins.length === 0
        ? 'Histogram of trade net P&L'
        : `Histogram of the net P&L of ${result.trades.length} trades in ${bins.length} bins, ` +
          `from ${formatPaise(bins[0]?.fromPaise)} to ${formatPaise(bins.at(-1)?.toPaise)}`,
    bins,
    formatEdge: (p) => formatPaise(p),
  });
  return `<figure>${chart}</figure>`;
}

function tradeList(result: BacktestResult): string {
  const trades = result.trades;
  if (trades.length === 0) return '<p class="empty">No trades.</p>';
  const shown = trades.slice(0, REPORT_TRADE_ROWS);
  const rows = shown.map((t, index) => [
    textCell(formatCount(index + 1), { num: true }),
    textCell(t.instrumentId),
    textCell(t.direction),
    textCell(formatCount(t.qty), { num: true }),
    textCell(formatIstDateTime(t.entryAtMs), { className: 'when' }),
    textCell(formatPaise(t.entryPricePaise), { num: true }),
    textCell(formatIstDateTime(t.exitAtMs), { className: 'when' }),
    textCell(formatPaise(t.exitPricePaise), { num: true }),
    textCell(formatPaise(t.grossPnlPaise), { num: true }),
    textCell(formatPaise(t.chargesPaise), { num: true }),
    textCell(formatPaise(t.netPnlPaise), { num: true, className: signClass(t.netPnlPaise) }),
    textCell(formatCount(t.bars), { num: true }),
  ]);
  const note =
    trades.length > REPORT_TRADE_ROWS
      ? `<p class="note">Showing the first ${formatCount(REPORT_TRADE_ROWS)} of ${formatCount(trades.length)} trades.</p>`
      : '';
  return (
    note +
    table(
      `Trades in order of entry (${formatCount(trades.length)})`,
      [
        '#',
        'Instrument',
        'Side',
        'Qty',
        'Entry (IST)',
        'Entry price',
        'Exit (IST)',
        'Exit price',
        'Gross P&L',
        'Charges',
        'Net P&L',
        'Bars',
      ],
      rows,
    )
  );
}

/** Returns a JSON value as compact JSON text (a string as itself). */
function jsonText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function parameters(result: BacktestResult): string {
  const entries = Object.entries(result.params);
  const params =
    entries.length === 0
      ? '<p class="empty">No parameters.</p>'
      : table(
          'Strategy parameters',
          ['Parameter', 'Value'],
          entries.map(([key, value]) => [textCell(key), textCell(jsonText(value))]),
        );
  const config = `<h3>Full configuration</h3><pre>${escapeHtml(JSON.stringify(result.config, null, 2))}</pre>`;
  return params + config;
}

function warnings(result: BacktestResult): string {
  if (result.warnings.length === 0) return '<p class="empty">No warnings.</p>';
  return `<ul>${result.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
}

function counts(result: BacktestResult): string {
  const c = result.counts;
  const rows: [string, string][] = [
    ['Bars', formatCount(c.bars)],
    ['Orders', formatCount(c.orders)],
    ['Fills', formatCount(c.fills)],
    ['Risk denials', formatCount(c.denials)],
    ['Rejections', formatCount(c.rejections)],
    ['Trades', formatCount(result.trades.length)],
    ['Trading days', formatCount(result.daily.length)],
    ['Equity points', formatCount(result.equity.length)],
    ['Final equity', formatPaise(result.finalEquityPaise)],
    ['Run time', formatDurationMs(result.finishedAtMs - result.startedAtMs)],
    ['Bars per second', formatFixed(result.barsPerSecond, 0)],
  ];
  return table(
    'Counts of the run',
    ['Count', 'Value'],
    rows.map(([label, value]) => [textCell(label), textCell(value, { num: true })]),
  );
}

/** Returns the self-contained HTML report of one backtest run; the same result always gives the same text. */
export function renderHtmlReport(result: BacktestResult): string {
  const body = [
    header(result),
    section('metrics', 'Metrics', metricsTable(result)),
    section('equity', 'Equity curve', equityChart(result)),
    section('drawdown', 'Drawdown (underwater)', drawdownChart(result)),
    section('monthly', 'Monthly returns', monthlyTable(result)),
    section('pnl-histogram', 'Distribution of trade net P&L', histogram(result)),
    section('trades', 'Trades', tradeList(result)),
    section('parameters', 'Parameters and configuration', parameters(result)),
    section('warnings', `Warnings (${formatCount(result.warnings.length)})`, warnings(result)),
    section('counts', 'Counts', counts(result)),
  ].join('\n');
  const title = `Backtest ${result.strategy} ${result.runId}`;
  return renderHtmlDocument(title, body);
}
