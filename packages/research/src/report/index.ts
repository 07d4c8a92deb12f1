// Public surface of the reports: the HTML report of one run and the comparison of several.
export { compareResults, renderComparisonHtml, type ComparisonRow } from './compare.ts';
export { renderHtmlReport, REPORT_TRADE_ROWS } from './html-report.ts';
export { METRIC_ROWS, formatMetricValue, type MetricKind, type MetricRow } from './metric-rows.ts';
export { escapeHtml, formatIstDateTime, formatPaise, formatPct } from './format.ts';
