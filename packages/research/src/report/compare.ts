// Side-by-side comparison of backtest runs: one row per metric with a value per run (for the API and the CLI),
// and a self-contained HTML page with the same table and the runs' equity curves as returns on one chart.
import type { BacktestMetrics, BacktestResult } from '../backtest/backtest-result.ts';
import { escapeHtml, formatCount, formatPct } from './format.ts';
import { renderHtmlDocument, section, table, textCell } from './html-document.ts';
import { reportPeriod } from './html-report.ts';
import { formatMetricValue, METRIC_ROWS } from './metric-rows.ts';
import { lineChartSvg } from './svg-charts.ts';

/** One metric across the compared runs: values[i] belongs to results[i] (null where the ratio is undefined). */
export interface ComparisonRow {
  readonly metric: keyof BacktestMetrics;
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/** Colours of the compared runs' curves, reused in order past the eighth run (the legend numbers them). */
const RUN_COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0a7c86', '#bf3989', '#57606a'];

/** Returns one row per metric (METRIC_ROWS order) with each run's value, in the order of `results`. */
export function compareResults(results: readonly BacktestResult[]): ComparisonRow[] {
  return METRIC_ROWS.map((row) => ({
    metric: row.metric,
    label: row.label,
    values: results.map((result) => result.metrics[row.metric]),
  }));
}

function runName(result: BacktestResult, index: number): string {
  return `${index + 1}. ${result.strategy} (${result.runId})`;
}

function runsTable(results: readonly BacktestResult[]): string {
  const rows = results.map((result, index) => [
    textCell(formatCount(index + 1), { num: true }),
    textCell(result.strategy),
    textCell(result.runId),
    textCell(reportPeriod(result), { className: 'long' }),
    textCell(result.configHash, { className: 'hash' }),
    textCell(JSON.stringify(result.params), { className: 'long' }),
  ]);
  return table('Compared runs', ['#', 'Strategy', 'Run id', 'Period', 'Config hash', 'Parameters'], rows);
}

function metricsTable(results: readonly BacktestResult[]): string {
  const kinds = new Map(METRIC_ROWS.map((row) => [row.metric, row.kind]));
  const rows = compareResults(results).map((row) => [
    textCell(row.label),
    ...row.values.map((value) =>
      textCell(formatMetricValue(kinds.get(row.metric) ?? 'ratio', value), { num: true }),
    ),
  ]);
  return table(
    'Statistics side by side (— where a ratio is not defined)',
    ['Metric', ...results.map((result, index) => runName(result, index))],
    rows,
  );
}

function equityChart(results: readonly BacktestResult[]): string {
  const series = results.map((result, index) => {
    const start = result.metrics.startingCashPaise;
    return {
      name: runName(result, index),
      values: start > 0 ? result.equity.map((p) => ((p.equityPaise - start) / start) * 100) : [],
      color: RUN_COLORS[index % RUN_COLORS.length] ?? '#57606a',
    };
  });
  const chart = lineChartSvg({
    ariaLabel: `Return on starting cash over each run, ${results.length} runs, each spread over the full width`,
    series,
    formatY: (v) => formatPct(v),
    xLabels: ['start of each run', 'end of each run'],
    includeZero: true,
  });
  const legend = series
    .map(
      (s) =>
        `<li><span class="swatch" style="background:${escapeHtml(s.color)}" aria-hidden="true"></span>` +
        `${escapeHtml(s.name)}</li>`,
    )
    .join('');
  return `<figure>${chart}<figcaption><ul class="legend">${legend}</ul></figcaption></figure>`;
}

/** Returns a self-contained HTML page comparing the runs side by side; the same runs give the same text. */
export function renderComparisonHtml(results: readonly BacktestResult[]): string {
  const title = `Backtest comparison (${results.length} run${results.length === 1 ? '' : 's'})`;
  if (results.length === 0) {
    return renderHtmlDocument(title, `<h1>${escapeHtml(title)}</h1><p class="empty">No runs to compare.</p>`);
  }
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>` +
      '<p class="note">Money in rupees from integer paise; times in IST (UTC+05:30).</p></header>',
    section('runs', 'Runs', runsTable(results)),
    section('metrics', 'Metrics', metricsTable(results)),
    section('equity', 'Return on starting cash', equityChart(results)),
  ].join('\n');
  return renderHtmlDocument(title, body);
}
