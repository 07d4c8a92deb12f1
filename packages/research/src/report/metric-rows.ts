// The metrics a report shows, in display order, each with its label and how its value is formatted.
import type { BacktestMetrics } from '../backtest/backtest-result.ts';
import { formatCount, formatFixed, formatPaise, formatPct, formatRatio, MISSING } from './format.ts';

/** How a metric's value reads: rupees from paise, percent, a ratio, a count, a multiple or trading days. */
export type MetricKind = 'paise' | 'pct' | 'ratio' | 'count' | 'times' | 'days';

/** One metric of BacktestMetrics as a report shows it. */
export interface MetricRow {
  readonly metric: keyof BacktestMetrics;
  readonly label: string;
  readonly kind: MetricKind;
}

/** Every field of BacktestMetrics, in the order reports list them. */
export const METRIC_ROWS: readonly MetricRow[] = [
  { metric: 'startingCashPaise', label: 'Starting cash', kind: 'paise' },
  { metric: 'finalEquityPaise', label: 'Final equity', kind: 'paise' },
  { metric: 'netPnlPaise', label: 'Net P&L', kind: 'paise' },
  { metric: 'totalReturnPct', label: 'Total return', kind: 'pct' },
  { metric: 'annualisedReturnPct', label: 'Annualised return (CAGR)', kind: 'pct' },
  { metric: 'sharpe', label: 'Sharpe ratio', kind: 'ratio' },
  { metric: 'sortino', label: 'Sortino ratio', kind: 'ratio' },
  { metric: 'maxDrawdownPct', label: 'Max drawdown', kind: 'pct' },
  { metric: 'maxDrawdownPaise', label: 'Max drawdown (₹)', kind: 'paise' },
  { metric: 'maxDrawdownDays', label: 'Max drawdown duration', kind: 'days' },
  { metric: 'calmar', label: 'Calmar ratio', kind: 'ratio' },
  { metric: 'trades', label: 'Trades', kind: 'count' },
  { metric: 'winRatePct', label: 'Win rate', kind: 'pct' },
  { metric: 'profitFactor', label: 'Profit factor', kind: 'ratio' },
  { metric: 'expectancyPaise', label: 'Expectancy per trade', kind: 'paise' },
  { metric: 'exposurePct', label: 'Exposure', kind: 'pct' },
  { metric: 'turnover', label: 'Turnover', kind: 'times' },
  { metric: 'tradedValuePaise', label: 'Traded value', kind: 'paise' },
  { metric: 'chargesPaise', label: 'Charges', kind: 'paise' },
  { metric: 'tradingDays', label: 'Trading days', kind: 'count' },
];

function withUnit(text: string, unit: string): string {
  return text === MISSING ? MISSING : `${text}${unit}`;
}

/** Returns a metric value as text for its kind; a null value reads as an em dash. */
export function formatMetricValue(kind: MetricKind, value: number | null): string {
  switch (kind) {
    case 'paise':
      return formatPaise(value);
    case 'pct':
      return formatPct(value);
    case 'ratio':
      return formatRatio(value);
    case 'count':
      return formatCount(value);
    case 'times':
      return withUnit(formatFixed(value, 2), '×');
    case 'days':
      return withUnit(formatCount(value), ' trading days');
  }
}
