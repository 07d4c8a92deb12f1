// Prometheus gauges of the trading environment the server runs (read at each scrape from the trading slot): intents,
// risk decisions, orders, fills, missed order updates, rejected reports, the kernel queue, halted strategies, P&L.
import { Gauge, type Registry } from 'prom-client';
import type { TradingSlot } from './trading-slot.ts';

/** The metric names registered (all prefixed `kitepilot_trading_`). */
export const TRADING_METRIC_NAMES = [
  'kitepilot_trading_running',
  'kitepilot_trading_kill_switch',
  'kitepilot_trading_intents',
  'kitepilot_trading_decisions',
  'kitepilot_trading_orders_sent',
  'kitepilot_trading_fills',
  'kitepilot_trading_duplicate_fills',
  'kitepilot_trading_missed_order_updates',
  'kitepilot_trading_rejected_reports',
  'kitepilot_trading_unknown_reports',
  'kitepilot_trading_strategies_halted',
  'kitepilot_trading_kernel_queued',
  'kitepilot_trading_kernel_queue_high_water',
  'kitepilot_trading_pnl_paise',
] as const;

/** Registers the trading gauges on `registry`; they describe `slot.current` at each scrape (0 when none runs). */
export function registerTradingMetrics(registry: Registry, slot: TradingSlot): void {
  const gauges: Gauge[] = [];
  const gauge = (name: string, help: string, labelNames: readonly string[] = []): Gauge => {
    const g = new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] });
    gauges.push(g);
    return g;
  };
  // Registered first: prom-client calls its collect before reading the others, so one refresh serves the scrape.
  const running = new Gauge({
    name: 'kitepilot_trading_running',
    help: 'A trading environment runs (1) or not (0)',
    labelNames: ['mode', 'simulated'],
    registers: [registry],
    collect: () => collect(),
  });
  const killSwitch = gauge('kitepilot_trading_kill_switch', 'The kill switch is on (1)');
  const intents = gauge('kitepilot_trading_intents', 'Order intents stored in the current run', ['run_id']);
  const decisions = gauge('kitepilot_trading_decisions', 'Risk decisions of the current run', [
    'run_id',
    'decision',
    'code',
  ]);
  const ordersSent = gauge('kitepilot_trading_orders_sent', 'Orders handed to the execution client', [
    'run_id',
  ]);
  const fills = gauge('kitepilot_trading_fills', 'Fills applied to positions', ['run_id']);
  const duplicateFills = gauge('kitepilot_trading_duplicate_fills', 'Fills already applied (same trade id)', [
    'run_id',
  ]);
  const missed = gauge(
    'kitepilot_trading_missed_order_updates',
    'Order changes learned from the orderbook poll that a postback or WebSocket update should have reported',
    ['run_id'],
  );
  const rejected = gauge(
    'kitepilot_trading_rejected_reports',
    'Broker reports the order state machine refused (stored, not applied)',
    ['run_id'],
  );
  const unknown = gauge('kitepilot_trading_unknown_reports', 'Broker reports naming no known order', [
    'run_id',
  ]);
  const halted = gauge('kitepilot_trading_strategies_halted', 'Strategies halted after a handler threw', [
    'run_id',
  ]);
  const queued = gauge('kitepilot_trading_kernel_queued', 'Inputs waiting in the kernel queue', ['run_id']);
  const highWater = gauge('kitepilot_trading_kernel_queue_high_water', 'Longest kernel queue so far', [
    'run_id',
  ]);
  const pnl = gauge('kitepilot_trading_pnl_paise', "The day's P&L in paise", ['run_id', 'kind']);

  function collect(): void {
    running.reset();
    for (const g of gauges) g.reset();
    const current = slot.current;
    if (current === null) {
      running.set({ mode: 'none', simulated: 'false' }, 0);
      killSwitch.set(0);
      return;
    }
    const { env } = current;
    const run = { run_id: env.runId };
    running.set({ mode: env.mode, simulated: String(env.simulated) }, 1);
    killSwitch.set(env.controls().killSwitch ? 1 : 0);
    const stats = env.stats();
    const kernel = env.kernel.stats();
    intents.set(run, stats.intents);
    decisions.set({ ...run, decision: 'allow', code: 'ok' }, stats.allowed);
    for (const [code, n] of Object.entries(stats.denied)) {
      decisions.set({ ...run, decision: 'deny', code }, n ?? 0);
    }
    ordersSent.set(run, stats.ordersSent);
    fills.set(run, stats.fills);
    duplicateFills.set(run, stats.duplicateFills);
    missed.set(run, stats.missedUpdates);
    rejected.set(run, stats.rejectedReports);
    unknown.set(run, stats.unknownReports);
    halted.set(run, kernel.strategiesHalted);
    queued.set(run, kernel.queued);
    highWater.set(run, kernel.queueHighWater);
    pnl.set({ ...run, kind: 'realised_net' }, env.portfolio.realisedNetTodayPaise());
    pnl.set({ ...run, kind: 'charges' }, env.portfolio.chargesTodayPaise());
    pnl.set({ ...run, kind: 'unrealised' }, env.portfolio.totalUnrealisedPnlPaise());
  }
}
