// Public surface of the metrics: the run statistics and the equity series they are built on.
export {
  annualisedReturnPct,
  computeMetrics,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  TRADING_DAYS_PER_YEAR,
  type MaxDrawdown,
} from './compute-metrics.ts';
export {
  dailyReturns,
  drawdownSeries,
  monthlyReturns,
  yearlyReturns,
  type DailyReturn,
  type DrawdownPoint,
  type MonthlyReturn,
  type YearlyReturn,
} from './equity-series.ts';
