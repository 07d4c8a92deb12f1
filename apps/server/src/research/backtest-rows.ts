// The list of an account's backtest runs as `GET /api/backtests` and `kitepilot backtests list` give it.
import { type BacktestKeyMetrics, type BacktestRowBody, type BacktestStatus } from '@kitepilot/api-contract';
import {
  formatIst,
  paise,
  paiseToRupeesString,
  type AccountId,
  type BacktestResultSummary,
  type JsonValue,
} from '@kitepilot/core';
import { type BacktestMetrics } from '@kitepilot/research';
import type { Store } from '@kitepilot/store';
import { RUN_SCAN } from './backtest-request.ts';

export interface ConfigFacts {
  readonly strategy: string | null;
  readonly params: Record<string, unknown> | null;
  readonly symbol: string | null;
  readonly interval: string | null;
}

export function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Returns what a backtest run's stored config says about it: the API's `{ startedBy: 'api', spec }` or a result's
 * config (`strategy`, `params`, `instrument.id`, `interval`).
 */
export function configFacts(config: JsonValue | null): ConfigFacts {
  const root = objectOf(config);
  const spec = root?.['startedBy'] === 'api' ? objectOf(root['spec']) : null;
  if (spec !== null) {
    const data = objectOf(spec['data']);
    return {
      strategy: stringOf(spec['strategy']),
      params: objectOf(spec['params']),
      symbol: stringOf(spec['symbol']),
      interval: stringOf(spec['interval']) ?? stringOf(data?.['interval']),
    };
  }
  return {
    strategy: stringOf(root?.['strategy']),
    params: objectOf(root?.['params']),
    symbol: stringOf(objectOf(root?.['instrument'])?.['id']),
    interval: stringOf(root?.['interval']),
  };
}

/** Returns the key figures of a run's metrics. */
export function keyMetrics(metrics: BacktestMetrics): BacktestKeyMetrics {
  return {
    startingCashPaise: metrics.startingCashPaise,
    finalEquityPaise: metrics.finalEquityPaise,
    netPnlPaise: metrics.netPnlPaise,
    netPnl: paiseToRupeesString(paise(Math.round(metrics.netPnlPaise))),
    totalReturnPct: metrics.totalReturnPct,
    sharpe: metrics.sharpe,
    maxDrawdownPct: metrics.maxDrawdownPct,
    trades: metrics.trades,
    winRatePct: metrics.winRatePct,
    profitFactor: metrics.profitFactor,
    chargesPaise: metrics.chargesPaise,
  };
}

export const istOrNull = (ms: number | null): string | null => (ms === null ? null : formatIst(ms));

/** What the route knows about runs it works on: `queued` or `running` by run id. */
export type LiveStatus = (runId: string) => 'queued' | 'running' | null;

/**
 * Returns the account's backtest runs, newest first (by finish, else start): the stored results (at most `limit`,
 * of `strategy` when given) and the runs without a result among the account's RUN_SCAN most recent runs (queued,
 * running, failed, aborted). A completed run whose result was deleted is not listed.
 */
export async function listBacktestRows(
  store: Store,
  account: AccountId,
  query: { readonly limit: number; readonly strategy?: string },
  live: LiveStatus,
): Promise<BacktestRowBody[]> {
  const results: BacktestResultSummary[] = await store.backtests.list(account, {
    limit: query.limit,
    ...(query.strategy === undefined ? {} : { strategy: query.strategy }),
  });
  const runs = (await store.runs.listRecent(account, RUN_SCAN)).filter((r) => r.environment === 'backtest');
  const runById = new Map(runs.map((r) => [r.id as string, r]));
  const withResult = new Set(results.map((r) => r.runId as string));
  const rows: { readonly at: number; readonly row: BacktestRowBody }[] = [];
  for (const summary of results) {
    const run = runById.get(summary.runId) ?? (await store.runs.get(account, summary.runId));
    const facts = configFacts(run?.config ?? null);
    rows.push({
      at: summary.createdAt,
      row: {
        runId: summary.runId,
        // A run this server still works on (its result stored, its row not yet finished) is not completed yet.
        status: live(summary.runId) ?? 'completed',
        strategy: summary.strategy,
        params: objectOf(summary.params) ?? {},
        symbol: facts.symbol,
        interval: facts.interval,
        dataFrom: istOrNull(summary.dataFrom),
        dataTo: summary.dataTo === null ? null : formatIst(summary.dataTo - 1),
        metrics: keyMetrics(summary.metrics as unknown as BacktestMetrics),
        error: null,
        startedAt: run === null ? null : formatIst(run.startedAt),
        finishedAt: formatIst(summary.createdAt),
      },
    });
  }
  for (const run of runs) {
    if (run.status === 'completed' || withResult.has(run.id)) continue;
    const facts = configFacts(run.config);
    if (query.strategy !== undefined && facts.strategy !== query.strategy) continue;
    const status: BacktestStatus = run.status === 'running' ? (live(run.id) ?? 'running') : run.status;
    rows.push({
      at: run.finishedAt ?? run.startedAt,
      row: {
        runId: run.id,
        status,
        strategy: facts.strategy ?? '',
        params: facts.params ?? {},
        symbol: facts.symbol,
        interval: facts.interval,
        dataFrom: null,
        dataTo: null,
        metrics: null,
        error: stringOf(objectOf(run.summary)?.['error']),
        startedAt: formatIst(run.startedAt),
        finishedAt: istOrNull(run.finishedAt),
      },
    });
  }
  rows.sort((a, b) => b.at - a.at || (a.row.runId < b.row.runId ? 1 : a.row.runId > b.row.runId ? -1 : 0));
  return rows.slice(0, query.limit).map((r) => r.row);
}
